"""The executor's plain path (graphql_api/execution.py) answers exactly as graphql-core does:
the same data and the same errors (messages, locations, paths, the nulls they leave), for the
contract's queries, for documents generated from the schema, and for records that break the
schema's promises (a null for a non-null field, an item of the wrong type)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import queries
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from atlas_pages.publication import public_atlas
from graphql_api import execution
from graphql_api.schema import schema
from tests import factories
from tests.graphql_api.conftest import contract_query
from tests.graphql_api.test_fuzz import SCALARS, _printed

pytestmark = pytest.mark.django_db

CONTRACT_QUERIES = {
    "whole-atlas": None,
    "country": {"code": "JP", "locale": "en"},
    "accounts-by-platform": {"platform": "twitter"},
    "verify": {"url": "https://x.com/NLinJapan"},
}


def answers(document, variables=None):
    """The answer of the atlas's executor and of graphql-core's (strawberry's default)."""
    found = []
    for context_class in (execution.AtlasExecutionContext, StrawberryGraphQLCoreExecutionContext):
        schema.execution_context_class = context_class
        try:
            result = schema.execute_sync(document, variable_values=variables)
        finally:
            schema.execution_context_class = execution.AtlasExecutionContext
        errors = sorted((error.formatted for error in result.errors or ()), key=str)
        found.append((result.data, errors))
    return found


@pytest.fixture
def atlas_with_people(tokyo, vancouver, ambassador):
    factories.make_account("https://x.com/NLinJapan", post=tokyo)
    factories.make_account("https://www.facebook.com/NLinVancouver", post=vancouver)
    factories.make_account("https://x.com/JaneExample", person=ambassador)


def test_the_atlas_executor_takes_the_plain_path():
    account = schema._schema.type_map["Account"]
    assert execution.plain_field(account, "handle").leaf
    assert execution.plain_field(account, "platform").item_type.name == "Platform"
    post = schema._schema.type_map["Post"]
    assert execution.plain_field(post, "accounts").is_list
    assert execution.plain_field(account, "recentPosts") is None  # it has a resolver
    # A resolver without arguments: only strawberry's is_default_resolver tells it apart.
    assert execution.plain_field(schema._schema.type_map["Change"], "account") is None
    assert execution.plain_field(schema._schema.type_map["Query"], "countries") is None
    assert schema.execution_context_class is execution.AtlasExecutionContext


@pytest.mark.parametrize("name", sorted(CONTRACT_QUERIES))
def test_contract_queries_answer_as_graphql_core(atlas_with_people, name):
    ours, graphql_cores = answers(contract_query(name), CONTRACT_QUERIES[name])
    assert ours == graphql_cores
    assert ours[0] and not ours[1]


def test_aliases_fragments_and_directives_answer_as_graphql_core(atlas_with_people):
    document = """
      query ($with: Boolean!) {
        countries {
          ... on Country { code }
          code2: code
          posts {
            ...PostBits
            accounts { h: handle handle @include(if: $with) platform { slug @skip(if: $with) } }
          }
        }
      }
      fragment PostBits on Post { name location { lat } people { name accounts { url } } }
    """
    for value in (True, False):
        ours, graphql_cores = answers(document, {"with": value})
        assert ours == graphql_cores and not ours[1]


@pytest.fixture
def forget_atlas():
    yield
    public_atlas.forget()  # the records broken below are not read again


def _break(atlas, how):
    japan = next(country for country in atlas.countries if country.code == "JP")
    tokyo = japan.posts[0]
    if how == "a null handle":
        tokyo.accounts[0].handle = None  # a non-null String: the nulls go up to a nullable field
        return "Cannot return null for non-nullable field Account.handle."
    if how == "a null location":
        tokyo.location = None  # a nullable object: null, and no error
        return None
    if how == "a country among posts":
        next(c for c in atlas.countries if c.code == "CA").posts.append(japan)  # is_type_of
        return "Expected value of type"
    if how == "a null account":
        next(person for person in atlas.people if person.accounts).accounts.append(None)
        return "Cannot return null for non-nullable field Person.accounts."
    raise AssertionError(how)


@pytest.mark.parametrize(
    "how", ["a null handle", "a null location", "a country among posts", "a null account"]
)
def test_broken_records_give_graphql_cores_errors(atlas_with_people, forget_atlas, caplog, how):
    expected = _break(public_atlas.public_atlas("nl"), how)
    ours, graphql_cores = answers(contract_query("whole-atlas"))
    assert ours == graphql_cores
    messages = [error["message"] for error in ours[1]]
    if expected is None:
        assert not messages and ours[0]["countries"]
    else:
        # A resolver's error is answered as "Unexpected error." and logged as it is.
        assert len(messages) == 1 and expected in messages[0] + caplog.text, messages


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    document=st.builds(
        _printed,
        queries(schema._schema, print_ast=lambda document: document, custom_scalars=SCALARS),
        st.sampled_from(["nl", "en"]),  # every locale argument a language of the atlas
    )
)
def test_generated_documents_answer_as_graphql_core(atlas_with_people, document):
    ours, graphql_cores = answers(document)
    assert ours == graphql_cores

"""Schema fuzzing: documents generated from the real schema by hypothesis-graphql, valid ones
and ones with one schema violation each, sent as real HTTP requests to the API on a small atlas.
Whatever the document, the server answers GraphQL-shaped JSON (``data`` or ``errors``), never a
server error (no 5xx, no masked "Unexpected error."), in bounded time.

ATLAS_FUZZ_EXAMPLES sets the number of documents (default 300, under a minute in CI); e.g.
``ATLAS_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/graphql_api/test_fuzz.py -s``.
"""

import json
import os
import time
from collections import Counter

import pytest
from graphql import ArgumentNode, StringValueNode, Visitor, print_ast, visit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, queries

from graphql_api.limits import UNEXPECTED
from graphql_api.schema import schema
from tests import factories

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("ATLAS_FUZZ_EXAMPLES", 300))
#: The slowest answer allowed: the guard refuses costly documents before they run.
MAX_SECONDS = 5.0


class _WithLocale(Visitor):
    """Every ``locale`` argument set to one language: random strings are all refused, and
    would leave the resolvers behind them unvisited."""

    def __init__(self, locale):
        super().__init__()
        self.locale = locale

    def enter_argument(self, node, *_):
        if node.name.value == "locale" and isinstance(node.value, StringValueNode):
            return ArgumentNode(name=node.name, value=StringValueNode(value=self.locale))
        return None


def _printed(document, locale):
    return print_ast(visit(document, _WithLocale(locale)) if locale else document)


#: DateTime arguments (``changes(since:)``): ISO 8601 moments, with and without an offset.
SCALARS = {
    "DateTime": st.datetimes(timezones=st.none() | st.timezones()).map(
        lambda moment: StringValueNode(value=moment.isoformat())
    )
}
documents = st.builds(
    _printed,
    st.one_of(
        *(
            queries(
                schema._schema,
                mode=mode,
                print_ast=lambda document: document,
                custom_scalars=SCALARS,
            )
            for mode in (Mode.POSITIVE, Mode.NEGATIVE)
        )
    ),
    st.sampled_from(["nl", "en", None]),  # None: as generated
)


@pytest.fixture
def small_atlas(tokyo, vancouver, ambassador):
    factories.make_account("https://x.com/NLinJapan", post=tokyo)
    factories.make_account("https://www.facebook.com/NLinVancouver", post=vancouver)
    factories.make_account("https://x.com/JaneExample", person=ambassador)


def send(client, document, method, path):
    if method == "GET":
        return client.get(path, {"query": document})
    return client.post(path, json.dumps({"query": document}), content_type="application/json")


def test_fuzzed_documents_never_fail_the_server(client, small_atlas):
    seen = Counter()
    slowest = 0.0

    @settings(
        max_examples=EXAMPLES,
        deadline=None,  # held to MAX_SECONDS below: a shared CI machine has slow moments
        database=None,  # nothing written into the work tree
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        document=documents,
        method=st.sampled_from(["POST", "GET"]),
        path=st.sampled_from(["/graphql/", "/graphql"]),
    )
    def run(document, method, path):
        nonlocal slowest
        started = time.perf_counter()
        response = send(client, document, method, path)
        elapsed = time.perf_counter() - started
        slowest = max(slowest, elapsed)
        assert response.status_code < 500, (document, response.content)
        assert response["Content-Type"].startswith("application/json"), document
        body = response.json()
        assert isinstance(body, dict) and ("data" in body or "errors" in body), body
        for error in body.get("errors") or []:
            assert isinstance(error["message"], str) and error["message"], body
            assert error["message"] != UNEXPECTED, (document, body)
        assert elapsed < MAX_SECONDS, (document, elapsed)
        seen["documents"] += 1
        seen[f"HTTP {response.status_code} {'errors' if body.get('errors') else 'data'}"] += 1

    started = time.perf_counter()
    run()
    print(
        f"\nfuzzed {seen.pop('documents')} documents in {time.perf_counter() - started:.1f} s "
        f"(slowest {slowest:.2f} s): {dict(sorted(seen.items()))}"
    )

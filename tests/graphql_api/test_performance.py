"""The front ends' queries, exactly as the contract keeps them and with a `locale` argument
added: their answers and their SQL query counts, the same at a small and a ten times larger
atlas and the same in either language."""

import pytest

from atlas_pages.publication import generation
from tests import factories
from tests.factories import translate
from tests.graphql_api.conftest import contract_query, with_locale

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_response_cache")]

WHOLE_ATLAS = contract_query("whole-atlas")
COUNTRY = contract_query("country")
VERIFY = contract_query("verify")
ACCOUNTS_BY_PLATFORM = contract_query("accounts-by-platform")

#: Every query, on a new publication generation (after a publish): the public atlas 3 (pages,
#: people, accounts; every language at once) and the generation's next expiry 1. With the
#: atlas read (the rest of the generation), no query at all.
NEW_GENERATION_QUERIES = 4
READ_ATLAS_QUERIES = 0

CODES = ["AR", "BE", "CL", "DK", "EG", "FR", "GH", "HU", "IN", "KE"]

#: No locale (the contract's query as it is), and the query with a `locale` argument added.
LOCALES = [None, "nl", "en"]
#: What build_atlas names things in each language.
NAMES = {
    None: {"country": "Land", "post": "Ambassade", "city": "Stad", "job": "Ambassadeur"},
    "en": {"country": "Country", "post": "Embassy", "city": "City", "job": "Ambassador"},
}
NAMES["nl"] = NAMES[None]


def build_atlas(atlas, countries):
    """`countries` countries, each with one post, a person and three accounts; the pages in
    Dutch and in English."""
    en = NAMES["en"]
    for n, code in enumerate(CODES[:countries]):
        country = factories.make_country(atlas, code, title=f"Land {n}")
        post = factories.make_post(country, title=f"Ambassade {n}", city=f"Stad {n}")
        translate(country, f"{en['country']} {n}")
        translate(post, f"{en['post']} {n}", city=f"{en['city']} {n}")
        person = factories.make_person(
            name=f"Person {n}", post=post, job_title="Ambassadeur", job_titles={"en": "Ambassador"}
        )
        factories.make_account(f"https://x.com/embassy{n}", post=post)
        factories.make_account(f"https://www.linkedin.com/company/embassy{n}", post=post)
        factories.make_account(f"https://x.com/person{n}", person=person)


def new_generation():
    """What a publish does: a new publication generation, the public atlas to be read again."""
    generation.bump()


def run(gql, query, locale, variables=None):
    """The contract's query as it is, or with `locale` passed to its root fields."""
    if locale is None:
        return gql(query, variables)
    return gql(with_locale(query), {**(variables or {}), "locale": locale})


@pytest.mark.parametrize("countries", [1, 10])
def test_the_contract_queries_run_a_constant_number_of_queries_in_every_locale(
    atlas, gql, countries, django_assert_num_queries
):
    """The same counts at both sizes, with no locale, "nl" and "en" (one build per size: the
    translations make building slow)."""
    build_atlas(atlas, countries)
    run(gql, WHOLE_ATLAS, None)  # Wagtail's site root paths cached, as on a running server
    for query, variables in [
        (WHOLE_ATLAS, {}),
        (COUNTRY, {"code": "ar"}),
        (VERIFY, {"url": "https://x.com/person0"}),
        (ACCOUNTS_BY_PLATFORM, {"platform": "twitter"}),
    ]:
        for locale in LOCALES:
            new_generation()
            with django_assert_num_queries(NEW_GENERATION_QUERIES):
                assert "errors" not in run(gql, query, locale, variables)
    for locale in LOCALES:
        check_whole_atlas(gql, countries, locale, django_assert_num_queries)
        check_country(gql, countries, locale, django_assert_num_queries)
        check_verify(gql, countries, locale, django_assert_num_queries)
        check_accounts_by_platform(gql, countries, locale, django_assert_num_queries)


def check_whole_atlas(gql, countries, locale, django_assert_num_queries):
    with django_assert_num_queries(READ_ATLAS_QUERIES):
        result = run(gql, WHOLE_ATLAS, locale)
    data = result["data"]
    assert data["atlas"]["accountCount"] == 3 * countries
    assert data["atlas"]["countryCount"] == countries  # not doubled by the translations
    assert len(data["countries"]) == countries
    assert sum(c["accountCount"] for c in data["countries"]) == 3 * countries
    assert sum(p["accountCount"] for p in data["platforms"]) == 3 * countries
    assert all(len(c["posts"][0]["people"][0]["accounts"]) == 1 for c in data["countries"])
    names = NAMES[locale]
    first = data["countries"][0]
    assert (first["name"], first["posts"][0]["name"]) == (
        f"{names['country']} 0",
        f"{names['post']} 0",
    )
    assert first["posts"][0]["people"][0]["jobTitle"] == names["job"]
    assert first["url"] == f"/{locale or 'nl'}/land-0/"


def test_whole_atlas_answer(gql, tokyo, ambassador):
    org = factories.make_account(
        "https://x.com/NLinJapan", post=tokyo, display_name="Embassy", language="ja"
    )
    personal = factories.make_account("https://x.com/JaneInJapan", person=ambassador)
    data = gql(WHOLE_ATLAS)["data"]
    assert data["atlas"] == {
        "countryCount": 1,
        "postCount": 1,
        "accountCount": 2,
        "personCount": 1,
        "lastPublishedAt": None,
    }
    assert data["platforms"] == [{"slug": "twitter", "name": "X (Twitter)", "accountCount": 2}]
    assert data["countries"] == [
        {
            "id": str(tokyo.country_id),
            "code": "JP",
            "name": "Japan",
            "slug": "japan",
            "url": "/nl/japan/",
            "accountCount": 2,
            "location": {"lat": 36.2, "lng": 138.25},
            "posts": [
                {
                    "id": str(tokyo.pk),
                    "name": "Embassy in Tokyo",
                    "slug": "embassy-in-tokyo",
                    "url": "/nl/japan/embassy-in-tokyo/",
                    "kind": "EMBASSY",
                    "city": "Tokyo",
                    "location": {"lat": 35.66, "lng": 139.74},
                    "accounts": [
                        {
                            "id": str(org.pk),
                            "handle": "NLinJapan",
                            "url": "https://x.com/NLinJapan",
                            "name": "Embassy",
                            "language": "ja",
                            "kind": "ORGANISATION",
                            "platform": {"slug": "twitter", "name": "X (Twitter)"},
                        }
                    ],
                    "people": [
                        {
                            "id": str(ambassador.pk),
                            "name": "Jane Example",
                            "role": "AMBASSADOR",
                            "jobTitle": "Ambassador to Japan",
                            "accounts": [
                                {
                                    "id": str(personal.pk),
                                    "handle": "JaneInJapan",
                                    "url": "https://x.com/JaneInJapan",
                                    "platform": {"slug": "twitter"},
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    ]


def check_country(gql, countries, locale, django_assert_num_queries):
    with django_assert_num_queries(READ_ATLAS_QUERIES):
        data = run(gql, COUNTRY, locale, {"code": "ar"})["data"]
    post = data["country"]["posts"][0]
    names = NAMES[locale]
    assert data["country"]["code"] == "AR"
    assert data["country"]["name"] == f"{names['country']} 0"
    assert data["country"]["url"] == f"/{locale or 'nl'}/land-0/"
    assert (post["name"], post["city"]) == (f"{names['post']} 0", f"{names['city']} 0")
    assert [a["platform"]["slug"] for a in post["accounts"]] == ["twitter", "linkedin"]
    assert post["people"] == [
        {
            "name": "Person 0",
            "role": "AMBASSADOR",
            "jobTitle": names["job"],
            "accounts": [
                {
                    "handle": "person0",
                    "url": "https://x.com/person0",
                    "platform": {"slug": "twitter"},
                }
            ],
        }
    ]


def check_verify(gql, countries, locale, django_assert_num_queries):
    url = "http://mobile.twitter.com/PERSON0/?lang=en#top"
    with django_assert_num_queries(READ_ATLAS_QUERIES):
        data = run(gql, VERIFY, locale, {"url": url})["data"]
    names = NAMES[locale]
    assert data["accountByUrl"] == {
        "handle": "person0",
        "url": "https://x.com/person0",
        "kind": "PERSONAL",
        "platform": {"name": "X (Twitter)"},
        "post": {
            "name": f"{names['post']} 0",
            "city": f"{names['city']} 0",
            "country": {"name": f"{names['country']} 0"},
        },
        "person": {"name": "Person 0", "jobTitle": names["job"]},
    }


def check_accounts_by_platform(gql, countries, locale, django_assert_num_queries):
    with django_assert_num_queries(READ_ATLAS_QUERIES):
        data = run(gql, ACCOUNTS_BY_PLATFORM, locale, {"platform": "twitter"})["data"]
    names = NAMES[locale]
    post = {"name": f"{names['post']} 0", "city": f"{names['city']} 0"}
    accounts = data["accounts"]
    assert accounts["totalCount"] == 2 * countries  # accounts are not doubled by translations
    first = accounts["results"][0]
    assert first == {
        "handle": "embassy0",
        "url": "https://x.com/embassy0",
        "name": "",
        "kind": "ORGANISATION",
        "post": post,
        "person": None,
    }
    personal = next(a for a in accounts["results"] if a["kind"] == "PERSONAL")
    assert personal["post"] == post
    assert personal["person"] == {"name": "Person 0", "jobTitle": names["job"]}
    variables = {"platform": "linkedin", "country": "be"}
    only_be = run(gql, ACCOUNTS_BY_PLATFORM, locale, variables)["data"]
    assert [a["handle"] for a in only_be["accounts"]["results"]] == ["embassy1"] * (countries > 1)

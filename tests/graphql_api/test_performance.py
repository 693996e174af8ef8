"""The front ends' queries, exactly as the contract keeps them: their answers and their SQL
query counts, the same at a small and a ten times larger atlas."""

import pytest
from django.core.cache import cache

from tests import factories
from tests.graphql_api.conftest import contract_query

pytestmark = pytest.mark.django_db

WHOLE_ATLAS = contract_query("whole-atlas")
COUNTRY = contract_query("country")
VERIFY = contract_query("verify")
ACCOUNTS_BY_PLATFORM = contract_query("accounts-by-platform")

#: WholeAtlas: atlas figures 1, platforms 1, countries 1, posts 1, post accounts 1,
#: people 1, people's accounts 1, site root paths 2 (Wagtail, cached per request).
WHOLE_ATLAS_QUERIES = 9


CODES = ["AR", "BE", "CL", "DK", "EG", "FR", "GH", "HU", "IN", "KE"]


def build_atlas(atlas, countries):
    """`countries` countries, each with one post, a person and three accounts."""
    for n, code in enumerate(CODES[:countries]):
        country = factories.make_country(atlas, code, title=f"Land {n}")
        post = factories.make_post(country, title=f"Embassy {n}", city=f"City {n}")
        person = factories.make_person(name=f"Person {n}", post=post, job_title="Ambassador")
        factories.make_account(f"https://x.com/embassy{n}", post=post)
        factories.make_account(f"https://www.linkedin.com/company/embassy{n}", post=post)
        factories.make_account(f"https://x.com/person{n}", person=person)


@pytest.mark.parametrize("countries", [1, 10])
def test_whole_atlas_runs_a_constant_number_of_queries(
    atlas, gql, countries, django_assert_num_queries
):
    build_atlas(atlas, countries)
    cache.clear()
    with django_assert_num_queries(WHOLE_ATLAS_QUERIES):
        result = gql(WHOLE_ATLAS)
    data = result["data"]
    assert data["atlas"]["accountCount"] == 3 * countries
    assert len(data["countries"]) == countries
    assert sum(c["accountCount"] for c in data["countries"]) == 3 * countries
    assert sum(p["accountCount"] for p in data["platforms"]) == 3 * countries
    assert all(len(c["posts"][0]["people"][0]["accounts"]) == 1 for c in data["countries"])


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
            "url": "/japan/",
            "accountCount": 2,
            "location": {"lat": 36.2, "lng": 138.25},
            "posts": [
                {
                    "id": str(tokyo.pk),
                    "name": "Embassy in Tokyo",
                    "slug": "embassy-in-tokyo",
                    "url": "/japan/embassy-in-tokyo/",
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


@pytest.mark.parametrize("countries", [1, 10])
def test_country_query(atlas, gql, countries, django_assert_num_queries):
    build_atlas(atlas, countries)
    cache.clear()
    with django_assert_num_queries(7):
        data = gql(COUNTRY, {"code": "ar"})["data"]
    post = data["country"]["posts"][0]
    assert data["country"]["code"] == "AR"
    assert [a["platform"]["slug"] for a in post["accounts"]] == ["twitter", "linkedin"]
    assert post["people"] == [
        {
            "name": "Person 0",
            "role": "AMBASSADOR",
            "jobTitle": "Ambassador",
            "accounts": [
                {
                    "handle": "person0",
                    "url": "https://x.com/person0",
                    "platform": {"slug": "twitter"},
                }
            ],
        }
    ]


def test_verify_query(gql, tokyo, ambassador, django_assert_num_queries):
    factories.make_account("https://x.com/JaneInJapan", person=ambassador)
    with django_assert_num_queries(5):
        data = gql(VERIFY, {"url": "http://mobile.twitter.com/janeinjapan/?lang=en#top"})["data"]
    assert data["accountByUrl"] == {
        "handle": "JaneInJapan",
        "url": "https://x.com/JaneInJapan",
        "kind": "PERSONAL",
        "platform": {"name": "X (Twitter)"},
        "post": {"name": "Embassy in Tokyo", "city": "Tokyo", "country": {"name": "Japan"}},
        "person": {"name": "Jane Example", "jobTitle": "Ambassador to Japan"},
    }


@pytest.mark.parametrize("countries", [1, 10])
def test_accounts_by_platform_query(atlas, gql, countries, django_assert_num_queries):
    build_atlas(atlas, countries)
    with django_assert_num_queries(6):
        data = gql(ACCOUNTS_BY_PLATFORM, {"platform": "twitter"})["data"]
    accounts = data["accounts"]
    assert accounts["totalCount"] == 2 * countries
    first = accounts["results"][0]
    assert first == {
        "handle": "embassy0",
        "url": "https://x.com/embassy0",
        "name": "",
        "kind": "ORGANISATION",
        "post": {"name": "Embassy 0", "city": "City 0"},
        "person": None,
    }
    personal = next(a for a in accounts["results"] if a["kind"] == "PERSONAL")
    assert personal["post"] == {"name": "Embassy 0", "city": "City 0"}
    assert personal["person"] == {"name": "Person 0", "jobTitle": "Ambassador"}
    only_bb = gql(ACCOUNTS_BY_PLATFORM, {"platform": "linkedin", "country": "be"})["data"]
    assert [a["handle"] for a in only_bb["accounts"]["results"]] == ["embassy1"] * (countries > 1)

"""The API in both content languages: pages of the asked locale, people and accounts matched
to them through the Dutch source, drafts of one language never leaking through the other."""

import json

import pytest

from tests import factories
from tests.factories import translate
from tests.graphql_api.conftest import with_locale
from tests.graphql_api.test_publication import EVERYWHERE

#: What EVERYWHERE asks of an account beyond its names.
AN_ACTIVE_OFFICE_ACCOUNT = {"speaksFor": "OFFICE", "status": "ACTIVE", "newUrl": None}

pytestmark = pytest.mark.django_db


@pytest.fixture
def germany(atlas):
    """Germany and its embassy in Berlin, in Dutch and in English, with two people (one with
    an English job title) and three accounts."""
    land = factories.make_country(atlas, "DE", title="Duitsland", lat=51.1, lng=10.4)
    berlijn = factories.make_post(
        land, title="Ambassade in Berlijn", city="Berlijn", lat=52.5, lng=13.4
    )
    country = translate(land, "Germany", slug="germany")
    berlin = translate(berlijn, "Embassy in Berlin", city="Berlin", slug="embassy-in-berlin")
    anna = factories.make_person(
        name="Anna Ambassador",
        job_title="Ambassadeur in Duitsland",
        job_titles={"en": "Ambassador to Germany"},
        post=berlijn,
    )
    bert = factories.make_person(
        name="Bert Consul", role="consul", job_title="Consul", post=berlijn
    )
    return {
        "nl": {"country": land, "post": berlijn},
        "en": {"country": country, "post": berlin},
        "anna": anna,
        "bert": bert,
        "embassy_x": factories.make_account("https://x.com/NLinGermany", post=berlijn),
        "embassy_in": factories.make_account(
            "https://www.linkedin.com/company/nl-in-germany", post=berlijn
        ),
        "anna_x": factories.make_account("https://x.com/AnnaInBerlin", person=anna),
    }


NAMES = {
    "nl": {"country": "Duitsland", "post": "Ambassade in Berlijn", "city": "Berlijn"},
    "en": {"country": "Germany", "post": "Embassy in Berlin", "city": "Berlin"},
}
JOB_TITLES = {
    "nl": {"Anna Ambassador": "Ambassadeur in Duitsland", "Bert Consul": "Consul"},
    "en": {"Anna Ambassador": "Ambassador to Germany", "Bert Consul": "Consul"},
}
URLS = {
    "nl": ("/nl/duitsland/", "/nl/duitsland/ambassade-in-berlijn/"),
    "en": ("/en/germany/", "/en/germany/embassy-in-berlin/"),
}


def test_countries_in_both_locales_in_one_request(data, germany):
    """Each root field has its own locale, and what is nested in it follows."""
    fields = "name slug url code accountCount posts { name city url country { name } }"
    result = data(f'{{ nl: countries {{ {fields} }} en: countries(locale: "en") {{ {fields} }} }}')
    for language in ("nl", "en"):
        names, (country_url, post_url) = NAMES[language], URLS[language]
        assert result[language] == [
            {
                "name": names["country"],
                "slug": country_url.split("/")[2],
                "url": country_url,
                "code": "DE",
                "accountCount": 3,
                "posts": [
                    {
                        "name": names["post"],
                        "city": names["city"],
                        "url": post_url,
                        "country": {"name": names["country"]},
                    }
                ],
            }
        ]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_country_by_code(data, germany, language):
    query = 'query ($l: String) { country(code: "de", locale: $l) { id name url } }'
    assert data(query, {"l": language}) == {
        "country": {
            "id": str(germany[language]["country"].pk),
            "name": NAMES[language]["country"],
            "url": URLS[language][0],
        }
    }


@pytest.mark.parametrize("language", ["nl", "en"])
def test_posts_with_their_accounts_and_people(data, germany, language):
    """An English post has the accounts and people of its Dutch source; job titles are in the
    locale's language, Dutch when there is no English one."""
    query = """query ($l: String) { posts(locale: $l) { totalCount results {
      id name city url
      accounts { handle }
      people { name jobTitle post { name } accounts { handle post { name } } }
    } } }"""
    names = NAMES[language]
    assert data(query, {"l": language})["posts"] == {
        "totalCount": 1,
        "results": [
            {
                "id": str(germany[language]["post"].pk),
                "name": names["post"],
                "city": names["city"],
                "url": URLS[language][1],
                "accounts": [{"handle": "NLinGermany"}, {"handle": "nl-in-germany"}],
                "people": [
                    {
                        "name": "Anna Ambassador",
                        "jobTitle": JOB_TITLES[language]["Anna Ambassador"],
                        "post": {"name": names["post"]},
                        "accounts": [{"handle": "AnnaInBerlin", "post": {"name": names["post"]}}],
                    },
                    {
                        "name": "Bert Consul",
                        "jobTitle": "Consul",
                        "post": {"name": names["post"]},
                        "accounts": [],
                    },
                ],
            }
        ],
    }


@pytest.mark.parametrize("language", ["nl", "en"])
def test_platform_counts_are_those_of_the_dutch_source(data, germany, language):
    query = """query ($l: String) { countries(locale: $l) { posts {
      name platformCounts { platform { slug } count }
    } } }"""
    assert data(query, {"l": language})["countries"] == [
        {
            "posts": [
                {
                    "name": NAMES[language]["post"],
                    "platformCounts": [
                        {"platform": {"slug": "twitter"}, "count": 2},
                        {"platform": {"slug": "linkedin"}, "count": 1},
                    ],
                }
            ]
        }
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_post_by_the_id_of_either_translation(data, germany, language):
    query = "query ($i: ID!, $l: String) { post(id: $i, locale: $l) { id name people { name } } }"
    wanted = {
        "id": str(germany[language]["post"].pk),
        "name": NAMES[language]["post"],
        "people": [{"name": "Anna Ambassador"}, {"name": "Bert Consul"}],
    }
    for source in ("nl", "en"):
        variables = {"i": germany[source]["post"].pk, "l": language}
        assert data(query, variables) == {"post": wanted}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_accounts_people_and_lookups_follow_the_locale(data, germany, language):
    query = """query ($l: String, $u: String!, $a: ID!, $p: ID!) {
      accounts(locale: $l) { totalCount results {
        handle post { name } country { name } person { name jobTitle }
      } }
      people(locale: $l) { results { name jobTitle post { name url } } }
      accountByUrl(url: $u, locale: $l) { post { city country { name } } person { jobTitle } }
      account(id: $a, locale: $l) { country { name } }
      person(id: $p, locale: $l) { jobTitle post { name } }
    }"""
    variables = {
        "l": language,
        "u": "https://twitter.com/annainberlin",
        "a": germany["embassy_x"].pk,
        "p": germany["anna"].pk,
    }
    result = data(query, variables)
    names, titles = NAMES[language], JOB_TITLES[language]
    post, country = {"name": names["post"]}, {"name": names["country"]}
    anna = {"name": "Anna Ambassador", "jobTitle": titles["Anna Ambassador"]}
    assert result["accounts"] == {
        "totalCount": 3,  # accounts are language-neutral: never doubled
        "results": [
            {"handle": "AnnaInBerlin", "post": post, "country": country, "person": anna},
            {"handle": "NLinGermany", "post": post, "country": country, "person": None},
            {"handle": "nl-in-germany", "post": post, "country": country, "person": None},
        ],
    }
    assert result["people"]["results"] == [
        {**anna, "post": {**post, "url": URLS[language][1]}},
        {"name": "Bert Consul", "jobTitle": "Consul", "post": {**post, "url": URLS[language][1]}},
    ]
    assert result["accountByUrl"] == {
        "post": {"city": names["city"], "country": country},
        "person": {"jobTitle": titles["Anna Ambassador"]},
    }
    assert result["account"] == {"country": country}
    assert result["person"] == {"jobTitle": titles["Anna Ambassador"], "post": post}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_filters_take_the_post_id_of_either_translation(data, germany, language):
    query = """query ($p: ID!, $l: String) {
      accounts(filters: {post: $p}, locale: $l) { results { handle } }
      people(filters: {post: $p}, locale: $l) { results { name } }
      countries(filters: {platform: "linkedin"}, locale: $l) { code }
      posts(filters: {country: "de"}, locale: $l) { results { name } }
    }"""
    result = data(query, {"p": germany[language]["post"].pk, "l": language})
    assert [a["handle"] for a in result["accounts"]["results"]] == [
        "AnnaInBerlin",
        "NLinGermany",
        "nl-in-germany",
    ]
    assert [p["name"] for p in result["people"]["results"]] == ["Anna Ambassador", "Bert Consul"]
    assert result["countries"] == [{"code": "DE"}]
    assert result["posts"]["results"] == [{"name": NAMES[language]["post"]}]


def test_atlas_counts_pages_of_one_language(data, germany):
    fields = "countryCount postCount accountCount personCount"
    result = data(f'{{ nl: atlas {{ {fields} }} en: atlas(locale: "en") {{ {fields} }} }}')
    counts = {"countryCount": 1, "postCount": 1, "accountCount": 3, "personCount": 2}
    assert result == {"nl": counts, "en": counts}


SEARCH = """query ($q: String!, $l: String) { search(query: $q, locale: $l) {
  __typename
  ... on Country { name }
  ... on Post { name people { jobTitle } }
  ... on Person { name jobTitle post { name } }
  ... on Account { handle post { name } }
} }"""


def test_search_in_each_locale(data, germany):
    def found(query, language):
        return data(SEARCH, {"q": query, "l": language})["search"]

    berlin = {
        "__typename": "Post",
        "name": "Embassy in Berlin",
        "people": [{"jobTitle": "Ambassador to Germany"}, {"jobTitle": "Consul"}],
    }
    assert berlin in found("Berlin", "en")
    assert found("Germany", "en")[0] == {"__typename": "Country", "name": "Germany"}
    assert {"__typename": "Post", "name": "Ambassade in Berlijn"} not in found("Berlijn", "en")
    assert {r["__typename"] for r in found("Berlijn", "en")} <= {"Person", "Account"}
    assert found("Duitsland", None)[0] == {"__typename": "Country", "name": "Duitsland"}
    anna = {
        "__typename": "Person",
        "name": "Anna Ambassador",
        "jobTitle": "Ambassador to Germany",
        "post": {"name": "Embassy in Berlin"},
    }
    # The person's whole name first; then her account, whose handle only starts with it.
    assert [result["__typename"] for result in found("Anna", "en")] == ["Person", "Account"]
    assert found("Anna", "en")[0] == anna
    assert found("AnnaInBerlin", "nl") == [
        {
            "__typename": "Account",
            "handle": "AnnaInBerlin",
            "post": {"name": "Ambassade in Berlijn"},
        }
    ]


def hidden_translations(atlas, germany):
    """Dutch pages that are live, with English translations that are not public: a draft post
    (in public Germany), and a live post under a draft country. All names that must not leak
    contain "Hidden"; the Dutch pages, people and accounts are public."""
    munchen = factories.make_post(
        germany["nl"]["country"], title="Consulaat in München", city="München"
    )
    translate(munchen, "Hidden Consulate", live=False, city="Hidden City")
    frankrijk = factories.make_country(atlas, "FR", title="Frankrijk")
    parijs = factories.make_post(frankrijk, title="Ambassade in Parijs", city="Parijs")
    translate(frankrijk, "Hidden France", live=False)
    translate(parijs, "Hidden Paris", city="Hidden City")  # live, under a draft country
    consul = factories.make_person(name="Carla Consul", job_title="Consul", post=munchen)
    return {
        "munchen": munchen,
        "parijs": parijs,
        "consul": consul,
        "munchen_x": factories.make_account("https://x.com/NLinMunich", post=munchen),
        "carla_x": factories.make_account("https://x.com/CarlaInMunich", person=consul),
        "parijs_x": factories.make_account("https://x.com/NLinParis", post=parijs),
    }


def everywhere(data, language, hidden, url):
    variables = {
        "url": url,
        "post": hidden["munchen"].pk,
        "person": hidden["consul"].pk,
        "account": hidden["munchen_x"].pk,
        "locale": language,
    }
    return data(with_locale(EVERYWHERE), variables)


def test_a_draft_english_translation_does_not_leak(data, atlas, germany):
    hidden = hidden_translations(atlas, germany)
    result = everywhere(data, "en", hidden, "https://x.com/NLinParis")
    assert "Hidden" not in json.dumps(result)
    assert result["search"] == []
    assert result["accountByUrl"] == {"handle": "NLinParis"}  # the account is public ...
    assert result["atlas"] == {
        "countryCount": 1,
        "postCount": 1,
        "accountCount": 6,
        "personCount": 3,
    }
    assert [c["name"] for c in result["countries"]] == ["Germany"]
    assert [p["name"] for p in result["countries"][0]["posts"]] == ["Embassy in Berlin"]
    assert [p["name"] for p in result["posts"]["results"]] == ["Embassy in Berlin"]
    assert result["post"] is None  # München's Dutch id: no public English translation
    accounts = {a["handle"]: a for a in result["accounts"]["results"]}
    # ... but its post is null in English, and so is the country of the one in France.
    assert accounts["NLinMunich"] == {
        **AN_ACTIVE_OFFICE_ACCOUNT,
        "handle": "NLinMunich",
        "post": None,
        "person": None,
        "country": {"name": "Germany"},
    }
    assert accounts["CarlaInMunich"]["post"] is None
    assert accounts["NLinParis"] == {
        **AN_ACTIVE_OFFICE_ACCOUNT,
        "handle": "NLinParis",
        "post": None,
        "person": None,
        "country": None,
    }
    assert result["person"] == {"name": "Carla Consul"}
    people = {p["name"]: p for p in result["people"]["results"]}
    assert people["Carla Consul"]["post"] is None
    # The Dutch pages stay public in Dutch.
    dutch = everywhere(data, "nl", hidden, "https://x.com/NLinParis")
    assert [c["name"] for c in dutch["countries"]] == ["Duitsland", "Frankrijk"]
    assert dutch["post"] == {"name": "Consulaat in München"}
    dutch_accounts = {a["handle"]: a for a in dutch["accounts"]["results"]}
    assert dutch_accounts["NLinParis"]["post"] == {"name": "Ambassade in Parijs"}
    assert dutch_accounts["NLinParis"]["country"] == {"name": "Frankrijk"}


def test_the_check_sees_a_published_english_translation(data, atlas, germany):
    """The same pages published in English show up: the check above can fail."""
    hidden = hidden_translations(atlas, germany)
    hidden["munchen"].get_translation(germany["en"]["country"].locale).save_revision().publish()
    hidden["parijs"].get_parent().specific.get_translation(
        germany["en"]["country"].locale
    ).save_revision().publish()
    result = everywhere(data, "en", hidden, "https://x.com/NLinParis")
    assert "Hidden" in json.dumps(result["search"])
    assert result["post"] == {"name": "Hidden Consulate"}
    assert result["atlas"]["postCount"] == 3
    accounts = {a["handle"]: a for a in result["accounts"]["results"]}
    assert accounts["NLinParis"]["country"] == {"name": "Hidden France"}


def test_an_english_translation_of_an_unpublished_dutch_page(data, germany):
    """The English page is public on its own; the people and accounts, which belong to the
    unpublished Dutch post, are not (the publication rule of
    atlas_pages.publication.public_atlas)."""
    berlijn = germany["nl"]["post"]
    berlijn.unpublish()
    query = """query ($l: String) {
      posts(locale: $l) { results { name accounts { handle } people { name } } }
      countries(locale: $l) { name accountCount posts { name } }
      accounts(locale: $l) { totalCount }
    }"""
    assert data(query, {"l": "nl"}) == {
        "posts": {"results": []},
        "countries": [{"name": "Duitsland", "accountCount": 0, "posts": []}],
        "accounts": {"totalCount": 0},
    }
    assert data(query, {"l": "en"}) == {
        "posts": {"results": [{"name": "Embassy in Berlin", "accounts": [], "people": []}]},
        "countries": [
            {"name": "Germany", "accountCount": 0, "posts": [{"name": "Embassy in Berlin"}]}
        ],
        "accounts": {"totalCount": 0},
    }


@pytest.mark.parametrize("locale", ["fr", "", "EN", "en-gb"])
def test_unknown_locale_is_a_clear_error(gql, germany, locale):
    message = f"Unknown locale '{locale}'; use one of: nl, en"
    for query in (
        "query ($l: String) { countries(locale: $l) { name } }",
        'query ($l: String) { search(query: "Berlin", locale: $l) { __typename } }',
        "query ($l: String) { atlas(locale: $l) { countryCount } }",
    ):
        result = gql(query, {"l": locale})
        assert result["data"] is None
        assert [error["message"] for error in result["errors"]] == [message]
    nullable = gql(
        '{ country(code: "de", locale: "fr") { name } people(locale: "fr") { totalCount } }'
    )
    assert nullable["data"] is None  # people is not nullable: the whole answer is null
    assert {error["message"] for error in nullable["errors"]} == {
        "Unknown locale 'fr'; use one of: nl, en"
    }
    only_nullable = gql('{ country(code: "de", locale: "fr") { name } }')
    assert only_nullable["data"] == {"country": None}
    assert only_nullable["errors"][0]["path"] == ["country"]

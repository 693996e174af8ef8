"""The public surfaces, read over HTTP with Django's test client and compared with the oracle.

Only public URLs are used (no view, type or resolver is imported): the read path may be
rewritten, the comparisons stay. Each check asserts what one surface shows equals what the
oracle says is public; every response is also searched for any object's name or handle, which
must belong to a public object (this catches drafts, stale cache entries and leaks through
fields no comparison names).
"""

import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from django.utils import timezone

from tests.leaks.oracle import speaks_for as oracle_speaks_for
from tests.leaks.oracle import term_ended

#: Every object the histories create is named "Zork <Kind> <n> (v<version>)" (translations
#: "Zork <Kind> <n> EN (v<version>)") and accounts are handled "ZorkAcct<n>Q": one pattern finds
#: any of them in any response.
NAME = re.compile(r"Zork [A-Z][a-z]+ \d+(?: EN)? \(v\d+\)|ZorkAcct\d+Q")
#: The word every name shares: searching it finds everything public.
SEARCH_WORD = "Zork"
#: The site's pages outside the page tree that every page links to (the footer).
VERIFY_PATH = {"nl": "/nl/controleer/", "en": "/en/verify/"}

LISTS = """query Lists($locale: String) {
  atlas(locale: $locale) { countryCount postCount accountCount personCount }
  platforms { slug accountCount }
  countries(locale: $locale) {
    id code name accountCount
    posts {
      id name
      accounts { id }
      people { id accounts { id } }
      platformCounts { platform { slug } count }
    }
  }
  posts(locale: $locale, pagination: {limit: 200}) {
    totalCount
    results { id name country { id } accounts { id } people { id } }
  }
  accounts(locale: $locale, pagination: {limit: 200}) {
    totalCount
    results {
      id handle name url kind speaksFor status newUrl post { id } person { id } country { id }
    }
  }
  people(locale: $locale, pagination: {limit: 200}) {
    totalCount
    results { id name post { id } accounts { id } }
  }
  search(query: "Zork", limit: 50, locale: $locale) {
    __typename
    ... on Country { id } ... on Post { id } ... on Person { id } ... on Account { id }
  }
}"""

#: Lookups per document: below the API's alias limit (ATLAS_GRAPHQL_MAX_ALIASES).
LOOKUPS_PER_DOCUMENT = 15


def assert_no_hidden_name(body, public, where, also_shown=frozenset()):
    seen = set(NAME.findall(body))
    hidden = seen - public.names - also_shown
    assert not hidden, f"{where} shows what is not public: {sorted(hidden)}"


def _ids(items):
    return {int(item["id"]) for item in items}


def _pk(item):
    return int(item["id"]) if item else None


def graphql(client, public, query, variables, where):
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
    )
    body = response.content.decode()
    assert response.status_code == 200, f"{where}: {response.status_code} {body[:500]}"
    result = json.loads(body)
    assert "errors" not in result, f"{where}: {result['errors']}"
    assert_no_hidden_name(body, public, where)
    return result["data"]


def check_lists(client, public, language):
    """Every list root field of the API, with the relations nested in them."""
    where = f"GraphQL lists ({language})"
    data = graphql(client, public, LISTS, {"locale": language}, where)
    countries, posts = public.countries[language], public.posts[language]

    assert data["atlas"] == {
        "countryCount": len(countries),
        "postCount": len(posts),
        "accountCount": len(public.accounts),
        "personCount": len(public.people),
    }, where
    assert {p["slug"]: p["accountCount"] for p in data["platforms"]} == dict(
        public.platform_counts(public.accounts)
    ), f"{where}: platforms"

    assert {int(c["id"]): c["name"] for c in data["countries"]} == {
        pk: row.title for pk, row in countries.items()
    }, f"{where}: countries"
    for country in data["countries"]:
        pk = int(country["id"])
        assert _ids(country["posts"]) == public.posts_of_country(language, pk), (
            f"{where}: posts of country {pk}"
        )
        for post in country["posts"]:
            key = posts[int(post["id"])].translation_key
            assert _ids(post["accounts"]) == public.accounts_of_post(key), f"{where}: {post}"
            assert _ids(post["people"]) == public.people_of_post(key), f"{where}: {post}"
            for person in post["people"]:
                assert _ids(person["accounts"]) == public.accounts_of_person(int(person["id"]))
            every = public.all_accounts_of_post(key)
            counts = {c["platform"]["slug"]: c["count"] for c in post["platformCounts"]}
            assert counts == dict(public.platform_counts(every)), f"{where}: {post}"
        # The accounts of the country's posts shown in this language and of their people.
        expected_count = sum(
            len(public.all_accounts_of_post(posts[post_pk].translation_key))
            for post_pk in public.posts_of_country(language, pk)
        )
        assert country["accountCount"] == expected_count, f"{where}: country {pk} accountCount"

    results = data["posts"]["results"]
    assert data["posts"]["totalCount"] == len(posts), f"{where}: posts totalCount"
    assert {int(p["id"]): p["name"] for p in results} == {
        pk: row.title for pk, row in posts.items()
    }, f"{where}: posts"
    for post in results:
        row = posts[int(post["id"])]
        assert _pk(post["country"]) == row.country, f"{where}: country of {post}"
        assert _ids(post["accounts"]) == public.accounts_of_post(row.translation_key)
        assert _ids(post["people"]) == public.people_of_post(row.translation_key)

    results = data["accounts"]["results"]
    assert data["accounts"]["totalCount"] == len(public.accounts), f"{where}: accounts total"
    assert _ids(results) == set(public.accounts), f"{where}: accounts"
    for account in results:
        row = public.accounts[int(account["id"])]
        assert (account["handle"], account["name"], account["url"]) == (
            row.handle,
            row.display_name,
            row.url,
        ), where
        assert _pk(account["person"]) == public.person_shown(row), where
        assert account["speaksFor"] == oracle_speaks_for(row).upper(), f"{where}: {account}"
        assert account["status"] == row.status.upper(), f"{where}: {account}"
        expected_new_url = row.new_url if row.status == "renamed" else None
        assert account["newUrl"] == expected_new_url, f"{where}: {account}"
        owning = public.owning_post(row)
        expected_post = public.post_in(language, owning.translation_key) if owning else None
        assert _pk(account["post"]) == expected_post, f"{where}: post of {account}"
        # Which country an account is placed in after a move is the API's to decide; only
        # that it is a public one is the rule.
        assert account["country"] is None or _pk(account["country"]) in countries, where

    results = data["people"]["results"]
    assert data["people"]["totalCount"] == len(public.people), f"{where}: people total"
    assert {int(p["id"]): p["name"] for p in results} == {
        pk: person.name for pk, person in public.people.items()
    }, f"{where}: people"
    for person in results:
        row = public.people[int(person["id"])]
        serving = public.serving_post(row)
        expected_post = public.post_in(language, serving.translation_key) if serving else None
        assert _pk(person["post"]) == expected_post, f"{where}: post of {person}"
        assert _ids(person["accounts"]) == public.accounts_of_person(row.pk), where

    found = {(hit["__typename"], int(hit["id"])) for hit in data["search"]}
    expected = {
        *(("Country", pk) for pk in countries),
        *(("Post", pk) for pk in posts),
        *(("Person", pk) for pk in public.people),
        *(("Account", pk) for pk in public.accounts),
    }
    assert_found(found, expected, GRAPHQL_SEARCH_LIMIT, f"{where}: search")


#: At most this many search hits, of every kind together: GraphQL, the search page.
GRAPHQL_SEARCH_LIMIT = 50
SEARCH_PAGE_LIMIT = 40  # atlas_pages.site.search.SEARCH_LIMIT


def assert_found(found, expected, limit, where):
    """Search finds everything public, or as many public things as its limit allows."""
    if len(expected) <= limit:
        assert found == expected, f"{where}: {sorted(found ^ expected)}"
    else:
        assert found <= expected and len(found) == limit, f"{where}: {sorted(found - expected)}"


def check_lookups(client, public, language, lookups):
    """country(code), post(id), person(id), account(id) and accountByUrl for the given
    objects, public or not: each answers the public object or null."""
    where = f"GraphQL lookups ({language})"
    fields, expected = [], {}
    for n, (kind, key, answer) in enumerate(lookups):
        argument = {
            "country": f'country(code: "{key}", locale: $locale)',
            "post": f'post(id: "{key}", locale: $locale)',
            "person": f'person(id: "{key}", locale: $locale)',
            "account": f'account(id: "{key}", locale: $locale)',
            "accountByUrl": f'accountByUrl(url: "{key}", locale: $locale)',
        }[kind]
        fields.append(f"l{n}: {argument} {{ id }}")
        expected[f"l{n}"] = answer
    for start in range(0, len(fields), LOOKUPS_PER_DOCUMENT):
        chunk = fields[start : start + LOOKUPS_PER_DOCUMENT]
        query = "query Lookups($locale: String) {\n  " + "\n  ".join(chunk) + "\n}"
        data = graphql(client, public, query, {"locale": language}, where)
        for alias, item in data.items():
            assert _pk(item) == expected[alias], (
                f"{where}: {lookups[int(alias[1:])][:2]} answered {item}, expected "
                f"{expected[alias]}"
            )


def lookups_for(public, language, codes, posts, people, accounts):
    """What each lookup must answer for the given objects, public, hidden or deleted: ISO
    codes, post and person primary keys, and accounts as (primary key, URL)."""
    found = []
    for code in codes:
        answer = next(
            (pk for pk, row in public.countries[language].items() if row.code == code), None
        )
        found.append(("country", code, answer))
    for pk in posts:
        row = public.pages.get(pk)
        found.append(("post", pk, public.post_in(language, row.translation_key) if row else None))
    for pk in people:
        found.append(("person", pk, pk if pk in public.people else None))
    for pk, url in accounts:
        answer = pk if pk in public.accounts else None
        found.append(("account", pk, answer))
        found.append(("accountByUrl", url, answer))
    return found


def _get(client, public, url, where):
    response = client.get(url)
    body = response.content.decode()
    # 301: Wagtail's redirect from where a moved page was, for a URL that is no page now.
    allowed = (200, 301, 302, 401, 403, 404)
    assert response.status_code in allowed, f"{where}: {response.status_code}"
    assert_no_hidden_name(body, public, where)
    return response, body


#: Links of the home page's A–Z list and the search results: to country and post pages.
PAGE_LINK = re.compile(r'<a (?:class="[^"]*" )?href="(/(?:nl|en)/[^"?#]+/)"')


def check_home(client, public, language):
    where = f"home page ({language})"
    response, body = _get(client, public, f"/{language}/", where)
    assert response.status_code == 200, where
    site_links = {f"/{language}/search/", f"/{language}/open-data/", VERIFY_PATH[language]}
    links = set(PAGE_LINK.findall(body)) - site_links
    expected = {row.url for row in public.countries[language].values()} | {
        row.url for row in public.posts[language].values()
    }
    assert links == expected, f"{where}: links"
    # The ministry's top (people at no post) is listed by name.
    shown = set(NAME.findall(body))
    top = {
        person.name
        for person in public.people.values()
        if person.post_id is None and not term_ended(person)
    }
    assert top <= shown, f"{where}: missing {sorted(top - shown)}"


SEARCH_TITLE = re.compile(r'<p class="search-result__title"><a href="[^"]+">([^<]+)</a>')


def check_search_page(client, public, language):
    where = f"search page ({language})"
    response, body = _get(client, public, f"/{language}/search/?q={SEARCH_WORD}", where)
    assert response.status_code == 200, where
    titles = set(SEARCH_TITLE.findall(body))
    kinds = [
        {row.title for row in public.countries[language].values()},
        {row.title for row in public.posts[language].values()},
        {person.name for person in public.people.values()},
        {account.display_name or account.handle for account in public.accounts.values()},
    ]
    # One ranked list of every kind, as the API's search (atlas_pages.publication.public_atlas).
    assert_found(titles, set().union(*kinds), SEARCH_PAGE_LIMIT, where)


def check_pages(client, public, rows):
    """Each page's own URL: a public page answers with its title, any other does not (404, a
    password form, a redirect to the login or Wagtail's redirect of a moved page)."""
    for row in rows:
        where = f"page {row.url}"
        response, body = _get(client, public, row.url, where)
        shown = response.status_code == 200 and row.title in body
        is_public = row.pk in public.countries[row.language] or row.pk in public.posts[row.language]
        assert shown == is_public, f"{where}: {response.status_code}, public={is_public}"


VERIFIED = re.compile(r'data-account="(\d+)"')
NOT_LISTED = 'class="verify-answer__verdict verify-answer__verdict--unknown"'
OFFICIAL_VERDICT = 'class="verify-answer__verdict verify-answer__verdict--official"'


def check_verify(client, public, language, accounts):
    """The verify page for each account's URL (public, hidden or deleted): answered exactly
    when the account is public, or former (closed: "was official until"), and official only
    when public."""
    for pk, url in accounts:
        where = f"verify page ({language}) {url}"
        response = client.get(f"{VERIFY_PATH[language]}?url={quote(url, safe='')}")
        assert response.status_code == 200, where
        body = response.content.decode()
        # The URL asked about is echoed (the form, the language links): not a leak.
        echo_removed = body.replace(url, "").replace(quote(url, safe=""), "")
        echo_removed = echo_removed.replace(quote(url), "")  # e.g. the report link's ?url=
        assert_no_hidden_name(echo_removed, public, where, public.former_names)
        answered = {**public.accounts, **public.former}
        expected = sorted(p for p, row in answered.items() if row.url == url)
        found = sorted(int(p) for p in VERIFIED.findall(body))
        assert found == expected, f"{where}: answered {found}, expected {expected} (pk {pk})"
        assert (NOT_LISTED in body) == (not expected), where
        # The old address of a renamed account is answered "renamed", never "official".
        official = any(
            row.url == url and row.status != "renamed" for row in public.accounts.values()
        )
        assert (OFFICIAL_VERDICT in body) == official, where


def check_exports(client, public, language):
    """The open-data files and the data page: the public accounts and posts, nothing else."""
    where = f"exports ({language})"
    bodies = {}
    for name in ("accounts.csv", "accounts.json", "posts.geojson"):
        response, body = _get(client, public, f"/export/{name}?lang={language}", where)
        assert response.status_code == 200, f"{where}: {name}"
        bodies[name] = body
    _get(client, public, f"/{language}/open-data/", where)
    # The published schemas (issue 24) name columns, never content: nothing hidden either.
    for name in ("datapackage.json", "accounts.schema.json", "posts.schema.json"):
        response, body = _get(client, public, f"/export/{name}?lang={language}", where)
        assert response.status_code == 200, f"{where}: {name}"
        for public_name in (row.handle for row in public.accounts.values()):
            assert public_name not in body, f"{where}: {name} holds data ({public_name})"
    records = json.loads(bodies["accounts.json"])["accounts"]
    assert {r["id"] for r in records} == set(public.accounts), f"{where}: accounts.json"
    for record in records:
        row = public.accounts[record["id"]]
        assert (record["handle"], record["name"], record["url"]) == (
            row.handle,
            row.display_name,
            row.url,
        ), where
        assert record["person_id"] == public.person_shown(row), where
        owning = public.owning_post(row)
        expected_post = public.post_in(language, owning.translation_key) if owning else None
        assert record["post_id"] == expected_post, f"{where}: post of {record}"
    csv_ids = re.findall(r"^(\d+),", bodies["accounts.csv"].lstrip("\ufeff"), re.MULTILINE)
    assert {int(pk) for pk in csv_ids} == set(public.accounts), f"{where}: accounts.csv"
    features = json.loads(bodies["posts.geojson"])["features"]
    assert {f["id"] for f in features} == set(public.posts[language]), f"{where}: posts.geojson"


PAST = """query Past($asOf: DateTime, $locale: String) {
  atlas(asOf: $asOf, locale: $locale) { postCount accountCount personCount }
  posts(asOf: $asOf, locale: $locale, pagination: {limit: 200}) {
    results { id name accounts { id } people { id } }
  }
  accounts(asOf: $asOf, locale: $locale, pagination: {limit: 200}) {
    results { id handle name url status post { id name } person { id name } }
  }
  people(asOf: $asOf, locale: $locale, pagination: {limit: 200}) {
    results { id name accounts { id handle } }
  }
}"""
#: A moment after any history: the present (asking for it records the changes log).
FAR_FUTURE = "2999-01-01T00:00:00Z"


@dataclass(frozen=True)
class Past:
    """What the oracle said was public at one moment: posts per language, people, accounts
    (with the person of a personal one, whose consent may be withdrawn later), names."""

    moment: str
    posts: dict
    people: frozenset
    accounts: dict  # pk -> the person's pk for a personal account, else None
    names: frozenset


def remember_the_present(client, public):
    """Ask the API for the present through asOf (which records the changes log, as the
    scheduler would) and keep what the oracle says is public now, to ask for it later."""
    for language in ("nl", "en"):
        data = graphql(client, public, PAST, {"asOf": FAR_FUTURE, "locale": language}, "asOf")
        assert _ids(data["accounts"]["results"]) == set(public.accounts), "asOf the future"
    return Past(
        moment=timezone.now().isoformat(),  # after the log recorded the present
        posts={language: frozenset(posts) for language, posts in public.posts.items()},
        people=frozenset(public.people),
        accounts={
            pk: account.person_id if oracle_speaks_for(account) == "person" else None
            for pk, account in public.accounts.items()
        },
        names=frozenset(public.names),
    )


def check_past(client, past, consenting, language):
    """The atlas as of a remembered moment is what the oracle said was public then, less the
    personal accounts of people whose consent does not stand now; nothing else is named."""
    where = f"GraphQL asOf {past.moment} ({language})"
    response = client.post(
        "/graphql/",
        json.dumps({"query": PAST, "variables": {"asOf": past.moment, "locale": language}}),
        content_type="application/json",
    )
    body = response.content.decode()
    assert response.status_code == 200, f"{where}: {body[:500]}"
    result = json.loads(body)
    assert "errors" not in result, f"{where}: {result['errors']}"
    data = result["data"]
    accounts = {
        pk for pk, person in past.accounts.items() if person is None or person in consenting
    }
    assert _ids(data["accounts"]["results"]) == accounts, f"{where}: accounts"
    assert _ids(data["posts"]["results"]) == set(past.posts[language]), f"{where}: posts"
    assert _ids(data["people"]["results"]) == set(past.people), f"{where}: people"
    assert data["atlas"]["accountCount"] == len(accounts), where
    seen = set(NAME.findall(body))
    assert seen <= past.names, f"{where} shows what was not public: {sorted(seen - past.names)}"

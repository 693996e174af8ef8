"""The reconciliation service (Reconciliation Service API 0.2, as OpenRefine speaks it), over
HTTP: the manifest, the protocol's own query shapes, an OpenRefine-style run of 200 handles in
batches of 10, the verdicts as candidates (only an official account matches), previews and
views, bad input, and nothing that is not public."""

import json
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from atlas_pages.models import Person, SocialAccount
from atlas_pages.models.signals import public_content_changed
from atlas_pages.site import reconcile
from tests.atlas_pages.site.test_verify import HIDDEN, _in_moderation, _unpublished
from tests.atlas_pages.site.test_verify_status import _rename, _set, _take_over
from tests.factories import make_account, make_country, make_person, make_post

pytestmark = pytest.mark.django_db

ENDPOINT = {"en": "/en/reconcile/", "nl": "/nl/reconcile/"}


def _reconcile(client, queries, language="en", method="post"):
    """A batch as OpenRefine sends it: form data with the JSON in `queries`."""
    payload = {"queries": json.dumps(queries)}
    send = client.post if method == "post" else client.get
    response = send(ENDPOINT[language], payload)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def _results(client, text, language="en", **query):
    return _reconcile(client, {"q0": {"query": text, **query}}, language)["q0"]["result"]


def _ids(results):
    return [(int(result["id"]), result["score"], result["match"]) for result in results]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_manifest_says_what_the_protocol_requires(client, small_atlas, language):
    response = client.get(ENDPOINT[language])
    assert response.status_code == 200
    manifest = response.json()
    assert "0.2" in manifest["versions"]
    for key in ("name", "identifierSpace", "schemaSpace"):
        assert isinstance(manifest[key], str) and manifest[key]
    assert manifest["identifierSpace"].startswith("http://testserver/")
    assert manifest["view"]["url"] == f"http://testserver{ENDPOINT[language]}view/{{{{id}}}}/"
    preview = manifest["preview"]
    assert "{{id}}" in preview["url"]
    assert isinstance(preview["width"], int) and isinstance(preview["height"], int)
    [default_type] = manifest["defaultTypes"]
    assert default_type["id"] == "account"
    assert (
        default_type["name"]
        == {
            "en": "Official social-media account",
            "nl": "Officieel socialemedia-account",
        }[language]
    )


def test_the_protocol_s_query_shapes(client, small_atlas):
    """A query with a type, a limit and properties; a type as a list; a query by GET; a
    result with the fields the protocol requires (id, name, score) and match, type."""
    tokyo_x = small_atlas.accounts.tokyo_x
    batch = {
        "q0": {"query": "https://x.com/NLinJapan", "type": "account", "limit": 3},
        "q1": {"query": "@NLinJapan", "type": ["account"], "type_strict": "any"},
        "q2": {
            "query": "NLinJapan",
            "properties": [{"pid": "platform", "v": "twitter"}],
        },
        "q3": {"query": "NLinJapan", "properties": [{"pid": "platform", "v": ["X"]}]},
        "q6": {"query": "NLinJapan", "properties": [{"pid": "platform", "v": "X (Twitter)"}]},
        "q4": {"query": "https://x.com/NLinJapan", "type": "DifferentiatedPerson"},
        "q5": {"query": "NLinJapan", "properties": [{"pid": "platform", "v": "myspace"}]},
    }
    for method in ("post", "get"):
        answer = _reconcile(client, batch, method=method)
        assert set(answer) == set(batch)
        for key in ("q0", "q1", "q2", "q3", "q6"):
            [result] = answer[key]["result"]
            assert result["id"] == str(tokyo_x.pk)
            assert result["name"] == "NL in Japan · Embassy in Tokyo · X (Twitter)"
            assert result["score"] == 100 and result["match"] is True
            assert result["type"] == [{"id": "account", "name": "Official social-media account"}]
            assert result["description"] == "Official: X (Twitter) NLinJapan (Embassy in Tokyo)."
            assert result["features"] == [{"id": "official", "value": True}]
        assert answer["q4"]["result"] == []  # a type the service does not have
        assert answer["q5"]["result"] == []  # a platform the atlas does not know


def test_a_handle_on_two_platforms_is_two_candidates_and_no_match(client, small_atlas):
    tokyo = small_atlas.tokyo
    on_x = make_account("https://x.com/nlin_japan", post=tokyo)
    on_instagram = make_account(
        "https://www.instagram.com/nlin_japan", post=tokyo, platform_slug="instagram"
    )
    results = _results(client, "nlin_japan")
    assert sorted(_ids(results)) == sorted([(on_x.pk, 100, False), (on_instagram.pk, 100, False)])
    narrowed = _results(client, "nlin_japan", properties=[{"pid": "platform", "v": "Instagram"}])
    assert _ids(narrowed) == [(on_instagram.pk, 100, True)]
    assert _ids(_results(client, "nlin_japan", limit=1)) in (
        [(on_x.pk, 100, False)],
        [(on_instagram.pk, 100, False)],
    )


@pytest.mark.parametrize("language", ["en", "nl"])
def test_renamed_closed_and_taken_over_accounts_are_candidates_that_never_match(
    client, small_atlas, language
):
    renamed = _rename(small_atlas)
    [old] = _results(client, "https://x.com/NLinJapan", language)
    assert _ids([old]) == [(renamed.pk, 50, False)]
    assert old["features"] == [{"id": "official", "value": False}]
    assert old["description"].startswith(
        {"en": "This address belonged to", "nl": "Dit adres was van"}[language]
    )
    assert _ids(_results(client, "https://x.com/NLinJapanNew", language)) == [
        (renamed.pk, 100, True)
    ]

    closed = _set(small_atlas.accounts.tokyo_linkedin, status="closed")
    SocialAccount.objects.filter(pk=closed.pk).update(status_since=date(2025, 6, 30))
    public_content_changed.send(sender=SocialAccount)
    [result] = _results(client, "https://www.linkedin.com/company/nl-in-japan", language)
    assert _ids([result]) == [(closed.pk, 20, False)]

    taken = small_atlas.accounts.ottawa_facebook
    _take_over(taken)
    [result] = _results(client, "https://www.facebook.com/NLinCanada", language)
    assert _ids([result]) == [(taken.pk, 0, False)]


def test_what_names_no_profile_or_no_listed_account_has_no_candidates(client, small_atlas):
    answer = _reconcile(
        client,
        {
            "video": {"query": "https://www.youtube.com/watch?v=abc"},
            "unknown": {"query": "https://x.com/FakeEmbassyJapan"},
            "empty": {"query": ""},
            "spaces": {"query": "   "},
            "words": {"query": "the embassy in Tokyo"},
        },
    )
    assert all(value == {"result": []} for value in answer.values())


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{not json", "queries is not valid JSON"),
        ("[1, 2]", "queries must be a JSON object of queries by key."),
        ('{"q0": "NLinJapan"}', "Query q0 must be an object with a query string."),
        ('{"q0": {"query": 12}}', "Query q0 must be an object with a query string."),
    ],
)
def test_a_malformed_batch_is_a_400_that_says_why(client, small_atlas, payload, message):
    response = client.post(ENDPOINT["en"], {"queries": payload})
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)


def test_a_batch_over_the_limit_is_refused(client, small_atlas):
    batch = {f"q{n}": {"query": "NLinJapan"} for n in range(reconcile.MAX_QUERIES + 1)}
    response = client.post(ENDPOINT["en"], {"queries": json.dumps(batch)})
    assert response.status_code == 400
    assert "at most 500 queries" in response.json()["error"]
    assert client.put(ENDPOINT["en"]).status_code == 405


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_preview_card_and_the_view(client, small_atlas, language):
    account = small_atlas.accounts.tokyo_x
    response = client.get(f"{ENDPOINT[language]}preview/", {"id": account.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-verdict="official"' in html and "NLinJapan" in html
    assert '<base target="_blank">' in html
    assert "X-Frame-Options" not in response  # OpenRefine frames it
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    again = client.get(f"{ENDPOINT[language]}preview/", {"id": account.pk})
    assert again["X-Atlas-Cache"] == "hit"  # the view's own policy kept in the cache
    assert "frame-ancestors *" in again["Content-Security-Policy"]
    view = client.get(f"{ENDPOINT[language]}view/{account.pk}/")
    assert view.status_code == 302
    location = urlsplit(view["Location"])
    assert location.path == {"en": "/en/verify/", "nl": "/nl/controleer/"}[language]
    assert parse_qs(location.query) == {"url": ["https://x.com/NLinJapan"]}
    for bad in ("abc", "999999", ""):
        assert client.get(f"{ENDPOINT[language]}preview/", {"id": bad}).status_code == 404
    assert client.get(f"{ENDPOINT[language]}view/abc/").status_code == 404


@pytest.mark.parametrize("hidden", [*HIDDEN, "of_draft_person", "withdrawn_consent"])
def test_nothing_hidden_is_a_candidate_a_preview_or_a_view(client, small_atlas, hidden):
    made = {"in_moderation": _in_moderation, "unpublished": _unpublished}
    if hidden == "withdrawn_consent":
        person = make_person(
            name="Withdrawn Person",
            post=small_atlas.tokyo,
            role=Person.Role.EMPLOYEE,
            consent_given_at=timezone.localdate(),
        )
        account = make_account("https://x.com/WithdrawnNL", person=person)
        assert _results(client, account.url)  # public while consent stands
        person.consent_withdrawn_at = timezone.localdate()
        person.save()
    else:
        account = (
            made[hidden](small_atlas) if hidden in made else getattr(small_atlas.accounts, hidden)
        )
    assert _results(client, account.url) == []
    assert _results(client, account.handle) == []
    assert client.get(f"{ENDPOINT['en']}preview/", {"id": account.pk}).status_code == 404
    assert client.get(f"{ENDPOINT['en']}view/{account.pk}/").status_code == 404


COUNTRIES = ["AU", "BE", "DE", "FR", "IT", "ES", "US", "BR", "MX", "AR"]


def _grow(atlas):
    """Ten more countries of three posts, each with an X and a Facebook account of the same
    handle and a head of post on X: 90 accounts."""
    made = []
    for code in COUNTRIES:
        country = make_country(atlas, code, title=f"Land {code}")
        for index in range(3):
            post = make_post(country, title=f"Post {code} {index}", city=f"Plaats {index}")
            made.append(make_account(f"https://x.com/{code}post{index}", post=post))
            made.append(make_account(f"https://www.facebook.com/{code}post{index}", post=post))
            person = make_person(name=f"Head {code} {index}", post=post)
            made.append(make_account(f"https://x.com/{code}head{index}", person=person))
    return made


def test_an_openrefine_run_of_200_handles_in_batches_of_ten(
    client, small_atlas, django_assert_max_num_queries
):
    """A journalist's column of 200 cells, spelt as spreadsheets spell them, reconciled ten at
    a time as OpenRefine does: every listed account matched with score 100, a handle that two
    platforms share not auto-matched, the rest without candidates; no SQL per batch."""
    accounts = _grow(small_atlas.atlas)
    cells, expected = [], []
    spellings = [
        lambda a: a.url,
        lambda a: a.url.replace("https://", "http://").upper(),
        lambda a: a.url + "/",
        lambda a: a.url.replace("https://x.com/", "https://twitter.com/").replace(
            "https://www.facebook.com/", "https://m.facebook.com/"
        ),
        lambda a: (a.url + "/status/1234567890") if "x.com" in a.url else a.url + "?ref=embed",
    ]
    for index, account in enumerate(accounts):
        cells.append({"query": spellings[index % len(spellings)](account)})
        expected.append([(account.pk, 100, True)])
    # A head's handle on X, typed with its @ and the platform in a column.
    for account in [account for account in accounts if "head" in account.url][:30]:
        cells.append({"query": "@" + account.handle, "properties": [{"pid": "platform", "v": "X"}]})
        expected.append([(account.pk, 100, True)])
    # The same handle on X and Facebook (a post's two accounts): both candidates, no match.
    for account in [account for account in accounts if "facebook" in account.url][:30]:
        both = [other.pk for other in accounts if other.handle.lower() == account.handle.lower()]
        cells.append({"query": account.handle})
        expected.append(sorted((pk, 100, False) for pk in both))
    # Cells that are no listed account.
    while len(cells) < 200:
        cells.append({"query": f"https://x.com/NotTheEmbassy{len(cells)}"})
        expected.append([])
    assert len(cells) == 200 and sum(1 for found in expected if found) == 150

    # The atlas read once, and the confirmed impersonators (asked of an unknown address).
    _reconcile(client, {"first": {"query": "NLinJapan"}, "unknown": {"query": "x.com/nobody"}})
    found = []
    for start in range(0, 200, 10):
        batch = {f"q{n}": cells[n] for n in range(start, start + 10)}
        with django_assert_max_num_queries(0):
            answer = _reconcile(client, batch)
        found += [sorted(_ids(answer[f"q{n}"]["result"])) for n in range(start, start + 10)]
    wrong = [(cells[n], found[n], expected[n]) for n in range(200) if found[n] != expected[n]]
    assert wrong == []

"""manage.py propose_wikidata_matches and manage.py wikidata_report against a local fake SPARQL
endpoint (an HTTP server in a thread, never the internet) answering with recorded answers of
Wikidata's endpoint (fixtures/wikidata/): the proposals, the leads, the stale claims and the
exact QuickStatements batch."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from atlas_pages.models import Lead, PostPage, SocialAccount, WikidataClaim, WikidataProposal
from tests.factories import make_account, make_person, make_post, platform

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "wikidata"


def recorded(name):
    return (FIXTURES / name).read_text()


def answer_for(query):
    """The recorded answer to each kind of query the atlas asks."""
    if "VALUES ?property" in query:
        return recorded("claims.json")
    if "wdt:P137" in query:
        return recorded("posts.json")
    if "wd:Q5" in query:
        return recorded("people.json")
    if "wdt:P297 ?code" in query:
        return recorded("countries.json")
    return None


class Endpoint(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.queries: list[tuple[str, str, str]] = []  # (query, format, User-Agent)
        self.status = 200

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"


class Handler(BaseHTTPRequestHandler):
    server: Endpoint

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        params = parse_qs(parts.query)
        query = params.get("query", [""])[0]
        self.server.queries.append(
            (query, params.get("format", [""])[0], self.headers.get("User-Agent", ""))
        )
        body = answer_for(query) if parts.path == "/sparql" else None
        status = self.server.status if body is not None else 400
        data = (body or "Bad query").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/sparql-results+json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def endpoint(settings):
    server = Endpoint()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ATLAS_OUTBOUND_PRIVATE_HOSTS = True  # the fake endpoint lives on 127.0.0.1
    settings.ATLAS_WIKIDATA_SPARQL_URL = server.url
    settings.ATLAS_WIKIDATA_OPERATORS = ["Q55"]
    settings.ATLAS_WIKIDATA_COUNTRY_CODE = "NL"
    settings.ATLAS_WIKIDATA_TIMEOUT = 5
    settings.ATLAS_WIKIDATA_HOST_INTERVAL = 0
    settings.ATLAS_WIKIDATA_RETRIES = 0
    yield server
    server.shutdown()
    server.server_close()


def run(name, *args, **options):
    out = StringIO()
    call_command(name, *args, stdout=out, **options)
    return out.getvalue()


def proposals():
    return {
        (p.subject, p.object_id, p.qid, p.score, tuple(p.reasons), p.status)
        for p in WikidataProposal.objects.all()
    }


def test_matches_are_proposed_for_countries_posts_and_people_without_an_id(endpoint, japan, tokyo):
    osaka = make_post(japan, "Consulate-general in Osaka", city="Osaka", lat=34.69, lng=135.50,
                      kind=PostPage.Kind.CONSULATE_GENERAL)  # fmt: skip
    jane = make_person(post=tokyo)
    known = make_person("Piet Known", post=tokyo, wikidata_id="Q4242")  # has one: not asked
    output = run("propose_wikidata_matches")
    assert proposals() == {
        ("country", japan.pk, "Q17", 100, ("ISO code",), "new"),
        ("post", tokyo.pk, "Q11878930", 90, ("country", "type", "name", "0.3 km"), "new"),
        ("post", osaka.pk, "Q56046352", 90, ("country", "type", "name", "0.6 km"), "new"),
        ("person", jane.pk, "Q98765432", 100, ("name", "position", "citizenship"), "new"),
        ("person", jane.pk, "Q12345678", 50, ("name",), "new"),
    }
    assert "4 without a Wikidata id, 5 new proposals" in output
    queries = [query for query, _format, _agent in endpoint.queries]
    assert len(queries) == 3
    assert '"JP"' in queries[0] and "wd:Q55" in queries[1] and '"Jane Example"@en' in queries[2]
    assert known.name not in queries[2]
    assert all(fmt == "json" for _q, fmt, _a in endpoint.queries)
    assert all(
        agent.startswith("SocialMediaAtlas-Wikidata/1.0 (+") for *_q, agent in endpoint.queries
    )

    # Again: nothing new; a rejected proposal stays rejected and is not proposed anew.
    WikidataProposal.objects.filter(qid="Q12345678").update(status="rejected")
    assert "5 new proposals" not in run("propose_wikidata_matches")
    assert WikidataProposal.objects.count() == 5
    assert WikidataProposal.objects.get(qid="Q12345678").status == "rejected"


def test_an_id_in_use_is_not_proposed_for_another_subject(endpoint, japan, tokyo):
    make_post(japan, "Old embassy", city="Kyoto", wikidata_id="Q11878930")
    run("propose_wikidata_matches")
    assert not WikidataProposal.objects.filter(qid="Q11878930").exists()


@pytest.fixture
def embassy(tokyo):
    """The embassy in Tokyo with its Wikidata id and accounts; Jane, its ambassador, with hers."""
    PostPage.objects.filter(pk=tokyo.pk).update(wikidata_id="Q11878930")
    tokyo.refresh_from_db()
    make_account("https://x.com/NLinJapan", post=tokyo)
    make_account("https://facebook.com/NLEmbassyTokyo", post=tokyo)
    make_account(
        "https://x.com/OldNLTokyo",
        post=tokyo,
        status=SocialAccount.Status.RENAMED,
        new_url="https://x.com/NLTokyoNew",
        status_since=timezone.localdate(),
    )
    make_account(
        "https://x.com/ClosedNLTokyo",
        post=tokyo,
        status=SocialAccount.Status.CLOSED,
        status_since=timezone.localdate(),
    )
    make_account("https://x.com/DraftNLTokyo", post=tokyo, live=False)  # a draft: not public
    jane = make_person(post=tokyo, wikidata_id="Q98765432")
    make_account("https://x.com/JaneExampleNL", person=jane)
    make_account("https://instagram.com/janeexample", person=jane)
    now = timezone.now()
    Lead.objects.create(  # rejected before: it stays so
        platform=platform("instagram"),
        url="https://www.instagram.com/nlinjapan_rejected",
        normalized_url="instagram.com/nlinjapan_rejected",
        handle="nlinjapan_rejected",
        found_on="https://www.example.nl/",
        first_seen_at=now,
        last_seen_at=now,
        status=Lead.Status.REJECTED,
    )
    return tokyo


def expected_batch(tokyo):
    day = timezone.localdate().isoformat()
    page = tokyo.get_full_url()
    reference = f'|S854|"{page}"|S813|+{day}T00:00:00Z/11'
    return (
        '-Q11878930|P2002|"ClosedNLTokyo"\n'
        '-Q11878930|P2002|"OldNLTokyo"\n'
        f'Q11878930|P2002|"NLTokyoNew"{reference}\n'
        f'Q11878930|P2013|"NLEmbassyTokyo"{reference}\n'
        f'Q98765432|P2003|"janeexample"{reference}\n'
    )


def test_the_report_files_leads_lists_stale_claims_and_writes_the_batch(
    endpoint, embassy, tmp_path
):
    target = tmp_path / "batch.txt"
    output = run("wikidata_report", "--quickstatements", str(target))
    leads = {
        (lead.normalized_url, lead.found_on, lead.post_id, lead.status)
        for lead in Lead.objects.all()
    }
    assert leads == {
        ("instagram.com/nlintokyo", "https://www.wikidata.org/wiki/Q11878930", embassy.pk, "new"),
        (
            "facebook.com/embassynltokyo",
            "https://www.wikidata.org/wiki/Q11878930",
            embassy.pk,
            "new",
        ),
        (
            "bsky.app/profile/janeexample.bsky.social",
            "https://www.wikidata.org/wiki/Q98765432",
            embassy.pk,
            "new",
        ),
        (
            "instagram.com/nlinjapan_rejected",
            "https://www.wikidata.org/wiki/Q11878930",
            embassy.pk,
            "rejected",
        ),
    }
    assert "2 items, 8 account claims, 4 profiles not in the atlas (3 new leads)" in output
    assert (
        "Stale (closed): Q11878930 P2002 'ClosedNLTokyo' (Embassy in Tokyo)\n"
        "Stale (renamed): Q11878930 P2002 'OldNLTokyo' (Embassy in Tokyo), "
        "now at https://x.com/NLTokyoNew\n"
        "Stale (differs): Q11878930 P2013 'EmbassyNLTokyo' (Embassy in Tokyo)\n"
    ) in output
    assert target.read_text() == expected_batch(embassy)
    assert "QuickStatements: 5 lines written to" in output
    assert WikidataClaim.objects.count() == 8
    (query, _fmt, _agent) = endpoint.queries[0]
    assert "VALUES ?item { wd:Q11878930 wd:Q98765432 }" in query

    # Again: the same leads (one per profile), the claims replaced, the same batch on stdout.
    assert "(0 new leads)" in run("wikidata_report")
    assert Lead.objects.count() == 4 and WikidataClaim.objects.count() == 8
    assert run("wikidata_report", "--quickstatements", "-", verbosity=0) == expected_batch(embassy)


def test_an_endpoint_that_fails_is_a_clear_error_and_changes_nothing(endpoint, embassy):
    run("wikidata_report")
    endpoint.status = 500
    with pytest.raises(CommandError, match="Wikidata: .*500"):
        call_command("wikidata_report", stdout=StringIO())
    assert WikidataClaim.objects.count() == 8  # the last claims read are kept


def test_private_addresses_are_refused_unless_allowed(endpoint, embassy, settings):
    settings.ATLAS_OUTBOUND_PRIVATE_HOSTS = False
    with pytest.raises(CommandError, match="PrivateAddress"):
        call_command("wikidata_report", stdout=StringIO())
    assert endpoint.queries == []

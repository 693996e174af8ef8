"""manage.py sweep_leads against a local HTTP server (never the internet): an embassy's website
that links profiles in its header, body and footer (relatively too), with share buttons, links to
accounts the atlas lists (live, draft, renamed), a dead link; a robots.txt that keeps a post's
website closed; a dead website; the ministry's central page. The sweep files exactly the
profiles the atlas does not list, and nothing else."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command

from atlas_pages.models import Lead, PostPage, SocialAccount
from atlas_pages.outbound import leads
from tests.atlas_pages.outbound.test_site_links import Server
from tests.factories import make_account, make_country, make_person, make_post, translate

pytestmark = pytest.mark.django_db

EMBASSY_PAGE = """<!doctype html>
<html lang="nl"><head>
  <meta charset="utf-8"><title>Ambassade van het Koninkrijk der Nederlanden in Tokio</title>
  <link rel="stylesheet" href="/css/site.css">
  <link rel="alternate" hreflang="en" href="/en/tokyo/">
</head><body>
<header class="site-header">
  <a href="/nl/"><img src="/logo.svg" alt="Nederland wereldwijd"></a>
  <nav class="social" aria-label="Volg ons">
    <a href="https://x.com/NLinJapan" class="icon-x">X</a>
    <a href="https://www.instagram.com/nlintokyo/?hl=ja" class="icon-instagram">Instagram</a>
  </nav>
</header>
<main>
  <h1>Ambassade in Tokio</h1>
  <p>Lees ons <a href="../nieuws/">nieuws</a> of neem <a href="contact">contact</a> op.</p>
  <p>Bekijk de toespraak van de ambassadeur op
  <a href="https://www.youtube.com/@NLinTokyoTV/videos">ons YouTube-kanaal</a> en volg haar op
  <a href="https://www.linkedin.com/in/jane-example/">LinkedIn</a>.</p>
  <p>Ons bericht <a href="https://x.com/NLinJapan/status/1790000000000000000">op X</a>; ons
  nieuwe kanaal <a href="https://youtube.com/@nltokyo">YouTube</a> (nog niet gepubliceerd);
  ons oude account <a href="https://twitter.com/OldNLTokyo">@OldNLTokyo</a> heet nu anders.</p>
  <p>Een <a href="/verdwenen-pagina">pagina die niet meer bestaat</a> en een
  <a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">video</a>.</p>
  <div class="share" aria-label="Deel deze pagina">
    <a href="https://twitter.com/intent/tweet?url=https%3A%2F%2Fx.com%2FNLinJapan">Tweet</a>
    <a href="https://www.facebook.com/sharer/sharer.php?u=https://facebook.com/NLEmbassyTokyo">Deel</a>
    <a href="https://www.linkedin.com/shareArticle?mini=true&url=https://x.com/NLinJapan">Deel</a>
    <a href="https://api.whatsapp.com/send?text=Ambassade">WhatsApp</a>
    <a href="mailto:tok@minbuza.nl">Mail</a>
  </div>
</main>
<footer>
  <ul>
    <li><a href="https://www.facebook.com/NLEmbassyTokyo/#about">Facebook</a></li>
    <li><a href="//www.flickr.com/photos/nltokyo/albums">Flickr</a></li>
    <li><a href="https://www.facebook.com/">Facebook (home)</a></li>
    <li><a href="https://www.nederlandwereldwijd.nl/">Nederland wereldwijd</a></li>
  </ul>
</footer>
</body></html>
"""

CENTRAL_PAGE = """<html><body>
<h1>Social media van het ministerie</h1>
<ul>
  <li><a href="https://x.com/MinBZ">X</a></li>
  <li><a href="https://www.instagram.com/nlintokyo">Instagram Tokio</a></li>
  <li><a href="https://bsky.app/profile/minbz.bsky.social">Bluesky</a></li>
</ul></body></html>"""

#: Behind robots.txt's "Disallow: /private/": never read, its profile never a lead.
CLOSED_PAGE = '<html><body><a href="https://x.com/NLinCanadaSecret">X</a></body></html>'

#: The profiles of the embassy's page and the central page that the atlas does not list:
#: (platform, profile URL, handle, post's title or None).
UNLISTED = {
    ("instagram", "instagram.com/nlintokyo", "nlintokyo", "Embassy in Tokyo"),
    ("youtube", "youtube.com/@nlintokyotv", "NLinTokyoTV", "Embassy in Tokyo"),
    ("linkedin", "linkedin.com/in/jane-example", "jane-example", "Embassy in Tokyo"),
    ("flickr", "flickr.com/photos/nltokyo", "nltokyo", "Embassy in Tokyo"),
    ("twitter", "x.com/minbz", "MinBZ", None),
    ("bluesky", "bsky.app/profile/minbz.bsky.social", "minbz.bsky.social", None),
}


@pytest.fixture
def server(settings):
    server = Server()
    server.pages.update(
        {
            "/nl/tokyo/": ("text/html; charset=utf-8", EMBASSY_PAGE),
            "/private/ottawa": ("text/html", CLOSED_PAGE),
            "/ministerie/social-media": ("text/html", CENTRAL_PAGE),
        }
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ATLAS_OUTBOUND_PRIVATE_HOSTS = True  # the fake websites live on 127.0.0.1
    settings.ATLAS_LINK_CHECK_HOST_INTERVAL = 0
    settings.ATLAS_LINK_CHECK_TIMEOUT = 2
    settings.ATLAS_LEAD_SOURCES = [f"{server.base}/ministerie/social-media"]
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def embassy(server, japan, atlas):
    """The embassy in Tokyo (its website on the local server) with the accounts the atlas lists,
    a post whose website robots.txt closes and one whose website is gone."""
    tokyo = make_post(japan, "Embassy in Tokyo", website=f"{server.base}/nl/tokyo/")
    make_account("https://x.com/NLinJapan", post=tokyo)
    make_account("https://facebook.com/NLEmbassyTokyo", post=tokyo)
    make_account("https://youtube.com/@nltokyo", post=tokyo, live=False)  # a draft
    make_account(  # renamed: its new address is listed too
        "https://x.com/OldNLTokyoRenamed",
        post=tokyo,
        status=SocialAccount.Status.RENAMED,
        new_url="https://x.com/OldNLTokyo",
    )
    canada = make_country(atlas, "CA", title="Canada")
    make_post(canada, "Embassy in Ottawa", website=f"{server.base}/private/ottawa")
    make_post(japan, "Consulate in Osaka", website=f"{server.base}/gone")
    return tokyo


def run():
    out = StringIO()
    call_command("sweep_leads", stdout=out)
    return out.getvalue()


def filed():
    return {
        (
            lead.platform.slug,
            lead.normalized_url,
            lead.handle,
            lead.post.title if lead.post else None,
        )
        for lead in Lead.objects.select_related("platform", "post")
    }


def test_the_sweep_files_exactly_the_profiles_the_atlas_does_not_list(server, embassy):
    output = run()
    assert filed() == UNLISTED
    assert "4 pages, 6 profiles not in the atlas (6 new leads)" in output
    assert "not read: 404: 1, robots.txt: 1" in output
    page = f"{server.base}/nl/tokyo/"
    central = f"{server.base}/ministerie/social-media"
    found_on = dict(Lead.objects.values_list("normalized_url", "found_on"))
    # Instagram is on both pages: the post's website wins, the post is named.
    assert found_on["instagram.com/nlintokyo"] == page
    assert found_on["x.com/minbz"] == central
    lead = Lead.objects.get(normalized_url="youtube.com/@nlintokyotv")
    assert lead.url == "https://www.youtube.com/@NLinTokyoTV"  # the channel, not its tab
    assert lead.status == Lead.Status.NEW and lead.handled_by is None
    assert lead.first_seen_at == lead.last_seen_at
    # robots.txt asked first, per site; the closed page, the profiles and links never fetched.
    paths = [path for path, _agent in server.requests]
    assert paths == ["/robots.txt", "/nl/tokyo/", "/gone", "/ministerie/social-media"]
    assert all(agent.startswith("SocialMediaAtlas-SiteLinks/") for _p, agent in server.requests)


def test_a_second_sweep_keeps_one_lead_per_profile_and_a_rejection(server, embassy):
    run()
    rejected = Lead.objects.get(normalized_url="flickr.com/photos/nltokyo")
    rejected.status = Lead.Status.REJECTED
    rejected.save()
    first_seen = dict(Lead.objects.values_list("normalized_url", "first_seen_at"))
    assert "(0 new leads)" in run()
    assert Lead.objects.count() == len(UNLISTED)
    rejected.refresh_from_db()
    assert rejected.status == Lead.Status.REJECTED  # never returns
    assert rejected.last_seen_at > rejected.first_seen_at
    assert dict(Lead.objects.values_list("normalized_url", "first_seen_at")) == first_seen


def test_an_accepted_lead_without_an_account_returns_and_one_listed_stays(server, embassy):
    run()
    saved = Lead.objects.get(normalized_url="instagram.com/nlintokyo")
    abandoned = Lead.objects.get(normalized_url="x.com/minbz")
    Lead.objects.filter(pk__in=[saved.pk, abandoned.pk]).update(status=Lead.Status.ACCEPTED)
    make_account("https://instagram.com/nlintokyo", post=embassy, live=False)
    run()
    saved.refresh_from_db()
    abandoned.refresh_from_db()
    assert saved.status == Lead.Status.ACCEPTED
    assert abandoned.status == Lead.Status.NEW


def test_an_account_of_any_post_or_person_is_listed(server, embassy, japan):
    """A profile listed for someone else is no lead either: the atlas lists it."""
    osaka = make_post(japan, "Consulate in Kobe")
    make_account("https://x.com/MinBZ", post=osaka)
    make_account("https://linkedin.com/in/jane-example", person=make_person(post=osaka))
    run()
    assert {item[1] for item in filed()} == {item[1] for item in UNLISTED} - {
        "x.com/minbz",
        "linkedin.com/in/jane-example",
    }


def test_a_translation_s_website_files_under_the_post_in_the_default_language(server, embassy):
    server.pages["/en/tokyo/"] = ("text/html", '<a href="https://threads.net/@nlintokyo">T</a>')
    english = translate(embassy, title="Embassy in Tokyo (en)")
    PostPage.objects.filter(pk=english.pk).update(website=f"{server.base}/en/tokyo/")
    run()
    lead = Lead.objects.get(normalized_url__contains="threads")
    assert lead.post == embassy and lead.found_on == f"{server.base}/en/tokyo/"


def test_private_addresses_are_refused_unless_allowed(server, embassy, settings):
    settings.ATLAS_OUTBOUND_PRIVATE_HOSTS = False
    assert "private address: 2" in run() or "robots.txt" in run()
    assert Lead.objects.count() == 0 and server.requests == []


def test_profile_of_reads_only_profiles_of_known_platforms(db):
    from atlas_pages.models import Platform
    from atlas_pages.outbound import site_links

    hosts = site_links.directory()
    platforms = {platform.slug: platform for platform in Platform.objects.all()}
    assert leads.profile_of("https://www.example.nl/nl/tokyo/", hosts, platforms) is None
    assert leads.profile_of("https://www.facebook.com/", hosts, platforms) is None
    assert leads.profile_of("https://bit.ly/abc", hosts, platforms) is None
    profile = leads.profile_of("https://nl.linkedin.com/company/nl-embassy/", hosts, platforms)
    assert (profile.platform.slug, profile.key) == ("linkedin", "linkedin.com/company/nl-embassy")


def test_the_scheduler_sweeps_for_leads_at_its_own_interval(monkeypatch):
    from atlas_pages.management.commands import run_scheduled_publishing

    calls = []
    monkeypatch.setattr(
        run_scheduled_publishing, "call_command", lambda name, **options: calls.append(name)
    )
    call_command(
        "run_scheduled_publishing",
        interval=0,
        runs=3,
        activity_interval=0,
        leads_interval=3600,
        stdout=StringIO(),
    )
    assert (calls.count("publish_scheduled"), calls.count("sweep_leads")) == (3, 1)

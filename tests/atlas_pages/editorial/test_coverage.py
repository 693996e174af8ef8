"""The coverage report: posts × platforms (live, draft and in review marked apart), its
filters (region, country, post kind, posts with no account), its CSV export (safe from
formula injection) and its cost, the same whatever the atlas's size."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from atlas_pages.editorial.coverage import region_of
from atlas_pages.models import PostPage, SocialAccount
from atlas_pages.rules.spreadsheets import neutralise
from tests.atlas_pages.editorial.test_pressdesk import submitted
from tests.atlas_pages.editorial.test_workflow import account_form
from tests.factories import make_account, make_country, make_person, make_post, make_user, platform

pytestmark = pytest.mark.django_db

URL = "/admin/atlas/coverage/"


@pytest.fixture
def world(client, atlas, japan, tokyo, editor):
    """Tokyo: a live X account, a draft Facebook one, one in review on Instagram and the
    ambassador's personal X account. Osaka (a consulate): nothing. Paris (Europe): a live one."""
    osaka = make_post(
        japan,
        title="Consulate-General in Osaka",
        city="Osaka",
        kind=PostPage.Kind.CONSULATE_GENERAL,
    )
    france = make_country(atlas, "FR", title="France", lat=46.6, lng=2.2)
    paris = make_post(france, title="=Embassy in Paris", city="Paris", lat=48.86, lng=2.35)
    make_account("https://x.com/NLinJapan", post=tokyo)
    make_account("https://facebook.com/NLEmbassyTokyo", post=tokyo, live=False)
    submitted(
        client,
        editor,
        SocialAccount,
        account_form(
            tokyo, platform=platform("instagram").pk, url="https://instagram.com/nlintokyo"
        ),
    )
    ambassador = make_person(name="Jane Example", post=tokyo)
    make_account("https://x.com/JaneExample", person=ambassador)
    make_account("https://x.com/NLinFrance", post=paris)
    return {"tokyo": tokyo, "osaka": osaka, "paris": paris}


def matrix(html):
    """{post title: {platform column: [(handle, state)]}} of the report's table."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        title = re.search(r'<a href="/admin/pages/\d+/edit/"[^>]*>\s*([^<]+?)\s*</a>', row)
        if not title:
            continue
        cells = dict(re.findall(r'<td data-platform="platform_([^"]+)">(.*?)</td>', row, re.S))
        rows[title[1]] = {
            slug: re.findall(r'data-state="([^"]+)"[^>]*>([^<(]+?)[ <(]', cell)
            for slug, cell in cells.items()
            if "data-state" in cell
        }
    return rows


def test_the_matrix_shows_who_has_what(client, editor, world):
    client.force_login(editor)
    html = client.get(URL).content.decode()
    assert matrix(html) == {
        "Consulate-General in Osaka": {},
        "Embassy in Tokyo": {
            "twitter": [("live", "JaneExample"), ("live", "NLinJapan")],
            "facebook": [("draft", "NLEmbassyTokyo")],
            "instagram": [("in_review", "nlintokyo")],
        },
        "=Embassy in Paris": {"twitter": [("live", "NLinFrance")]},
    }
    assert 'data-posts-without-accounts="1"' in html


#: Each filter (one atlas built for all of them): the posts it leaves.
FILTERED = {
    "region=EU": {"=Embassy in Paris"},
    "region=AS": {"Embassy in Tokyo", "Consulate-General in Osaka"},
    "region=AF": set(),
    "kind=consulate_general": {"Consulate-General in Osaka"},
    "coverage=none": {"Consulate-General in Osaka"},
    "coverage=some": {"Embassy in Tokyo", "=Embassy in Paris"},
    "region=AS&coverage=some": {"Embassy in Tokyo"},
}


def test_filters(client, editor, world, japan):
    client.force_login(editor)
    found = {
        query: set(matrix(client.get(f"{URL}?{query}").content.decode())) for query in FILTERED
    }
    assert found == FILTERED
    html = client.get(f"{URL}?country={japan.pk}").content.decode()
    assert set(matrix(html)) == {"Embassy in Tokyo", "Consulate-General in Osaka"}


def test_csv_export(client, editor, world):
    client.force_login(editor)
    response = client.get(f"{URL}?export=csv&region=AS")
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["Post"] for row in rows] == ["Consulate-General in Osaka", "Embassy in Tokyo"]
    tokyo = rows[1]
    assert tokyo["Country"] == "Japan" and tokyo["Region"] == "Asia"
    assert tokyo["Kind"] == "Embassy" and tokyo["Accounts"] == "4"
    assert tokyo["X (Twitter)"] == "JaneExample (live); NLinJapan (live)"
    assert tokyo["Facebook"] == "NLEmbassyTokyo (draft)"
    assert tokyo["Instagram"] == "nlintokyo (in review)"
    assert rows[0]["Accounts"] == "0"
    # A cell a spreadsheet would run as a formula is neutralised.
    response = client.get(f"{URL}?export=csv&region=EU")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["Post"] == "'=Embassy in Paris"


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+1", "'=1+1"), ("+31", "'+31"), ("-2", "'-2"), ("@SUM", "'@SUM"), ("ok", "ok"), (4, 4)],
)
def test_neutralise(value, safe):
    assert neutralise(value) == safe


def test_regions_come_from_the_iso_code():
    assert (region_of("JP"), region_of("fr"), region_of("BR"), region_of("XX")) == (
        "AS",
        "EU",
        "SA",
        "",
    )


def test_the_report_costs_the_same_whatever_the_size(client, editor, world, japan):
    client.force_login(editor)
    client.get(URL)  # warm the caches of content types and sites
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for n in range(6):
        post = make_post(japan, title=f"Post {n}", city=f"City {n}")
        make_account(f"https://x.com/post{n}", post=post)
        make_account(f"https://facebook.com/post{n}", post=post, live=False)
        person = make_person(name=f"Person {n}", post=post)
        make_account(f"https://x.com/person{n}", person=person)
    with CaptureQueriesContext(connection) as large:
        html = client.get(URL).content.decode()
    assert len(matrix(html)) == 9
    assert len(large) == len(small) == 19, [q["sql"][:150] for q in large]


def test_who_may_see_the_report(client, world, editor, moderator):
    client.logout()
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response.url  # anonymous
    for user in (editor, moderator):
        client.force_login(user)
        assert client.get(URL).status_code == 200
    from django.contrib.auth.models import Permission

    reader = make_user("reader")
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reader)
    assert client.get(URL).status_code in (302, 403)
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_report_speaks_dutch(client, world):
    dutch = make_user("redacteur", Group.objects.get(name="Press editors"), "nl")
    client.force_login(dutch)
    html = client.get(URL).content.decode()
    for label in ("Dekking", "Regio", "Azië", "concept", "ter beoordeling", "zonder enig account"):
        assert label in html
    response = client.get(f"{URL}?export=csv")
    header = b"".join(response.streaming_content).decode().splitlines()[0]
    assert header.startswith("Post,Land,Regio,Soort,Accounts")

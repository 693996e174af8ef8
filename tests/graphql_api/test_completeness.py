"""Completeness in the API (Post.coverage, Post/Country/Atlas.completeness, Atlas.regions): the
same states and figures as the country page and the coverage report, in a fixed number of
queries, and nothing of a post that is not public."""

import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from atlas_pages.editorial.confirmed_none import set_confirmed_none
from atlas_pages.models import Platform
from atlas_pages.publication import generation
from atlas_pages.publication.public_atlas import public_atlas
from tests.factories import make_account, make_post, make_user, platform, translate

pytestmark = pytest.mark.django_db

QUERY = """
query Completeness($code: String!, $locale: String) {
  atlas(locale: $locale) {
    completeness { known total unknown share checkedAt }
    regions { code name completeness { known total } }
  }
  country(code: $code, locale: $locale) {
    region
    completeness { known total unknown checkedAt }
    posts {
      id name
      completeness { known total unknown share checkedAt }
      coverage { platform { slug } state checkedAt }
    }
  }
}
"""
#: After a publish: the public atlas 3, its next expiry 1, the coverage 1.
QUERIES_AFTER_PUBLISH = 5


@pytest.fixture
def checked(tokyo, japan):
    osaka = make_post(japan, title="Consulate in Osaka", city="Osaka")
    make_account("https://x.com/NLinJapan", post=tokyo)
    editor = make_user("checker")
    for slug in Platform.objects.exclude(slug="twitter").values_list("slug", flat=True):
        set_confirmed_none(tokyo, platform(slug), editor)  # Tokyo: every platform known
    set_confirmed_none(osaka, platform("facebook"), editor)
    hidden = make_post(japan, title="Hidden Private", city="Nara")
    PageViewRestriction.objects.create(page=hidden, restriction_type="password", password="x")
    set_confirmed_none(hidden, platform("youtube"), editor)
    draft = make_post(japan, title="Hidden Draft", city="Kyoto", live=False)
    set_confirmed_none(draft, platform("youtube"), editor)
    return {"tokyo": tokyo, "osaka": osaka}


def test_the_api_gives_the_cells_and_figures(data, checked):
    total = Platform.objects.count()
    result = data(QUERY, {"code": "JP"})
    posts = {post["name"]: post for post in result["country"]["posts"]}
    assert set(posts) == {"Embassy in Tokyo", "Consulate in Osaka"}
    tokyo, osaka = posts["Embassy in Tokyo"], posts["Consulate in Osaka"]
    assert tokyo["completeness"]["known"] == tokyo["completeness"]["total"] == total
    assert tokyo["completeness"]["share"] == 1.0 and tokyo["completeness"]["checkedAt"]
    assert {cell["state"] for cell in tokyo["coverage"]} == {"LISTED", "CONFIRMED_NONE"}
    assert [c["state"] for c in tokyo["coverage"] if c["platform"]["slug"] == "twitter"] == [
        "LISTED"
    ]
    assert all(c["checkedAt"] is None for c in tokyo["coverage"] if c["state"] == "LISTED")
    assert osaka["completeness"] == {
        "known": 1,
        "total": total,
        "unknown": total - 1,
        "share": pytest.approx(1 / total),
        "checkedAt": osaka["completeness"]["checkedAt"],
    }
    assert sum(c["state"] == "UNKNOWN" for c in osaka["coverage"]) == total - 1
    country = result["country"]
    assert country["region"] == "AS"
    assert (country["completeness"]["known"], country["completeness"]["total"]) == (
        total + 1,
        2 * total,
    )
    assert result["atlas"]["completeness"]["known"] == total + 1
    assert result["atlas"]["completeness"]["total"] == 2 * total
    assert result["atlas"]["regions"] == [
        {"code": "AS", "name": "Azië", "completeness": {"known": total + 1, "total": 2 * total}}
    ]
    assert "Hidden" not in str(result)


def test_the_query_costs_the_same_whatever_the_size(
    data, checked, japan, django_assert_num_queries
):
    for post in (checked["tokyo"], checked["osaka"]):
        translate(post, title=f"{post.title} (en)")
    data(QUERY, {"code": "JP"})  # Wagtail's site root paths cached, as on a running server
    generation.bump()
    with django_assert_num_queries(QUERIES_AFTER_PUBLISH):
        small = data(QUERY, {"code": "JP"})
    assert len(small["country"]["posts"]) == 2
    for n in range(5):
        post = make_post(japan, title=f"Post {n}", city=f"City {n}")
        make_account(f"https://x.com/post{n}", post=post)
        set_confirmed_none(post, platform("facebook"), None)
        translate(post, title=f"Post {n} (en)")
    for locale in ("nl", "en"):
        generation.bump()
        with django_assert_num_queries(QUERIES_AFTER_PUBLISH):
            result = data(QUERY, {"code": "JP", "locale": locale})
        with django_assert_num_queries(0):
            data(QUERY, {"code": "JP", "locale": locale})  # the same generation
        assert len(result["country"]["posts"]) == 7


def test_country_page_coverage_report_and_api_agree(client, data, checked):
    """The same states and figures on the country page (both languages), in the API and in
    the coverage report (which also lists the hidden posts: its overall counts them)."""
    total = Platform.objects.count()
    translate(checked["tokyo"], title="Embassy in Tokyo (en)")
    translate(checked["osaka"], title="Consulate in Osaka (en)")
    unknown = total - 1
    html = client.get(public_atlas("nl").country_by_code("JP").url).content.decode()
    assert f"{unknown} van {2 * total} platforms van de posten nog niet gecontroleerd" in html
    tokyo_id, osaka_id = checked["tokyo"].pk, checked["osaka"].pk
    month = {"nl": timezone.localdate().strftime("%m"), "en": timezone.localdate().strftime("%B")}
    assert re.search(
        rf'data-post-completeness="{tokyo_id}".*?: Alle platforms gecontroleerd, \w+ \d{{4}}</li>',
        html,
    )
    assert re.search(
        rf'data-post-completeness="{osaka_id}".*?: {unknown} van {total} platforms nog niet', html
    )
    english = client.get(public_atlas("en").country_by_code("JP").url).content.decode()
    assert f"{unknown} of {2 * total} platforms of its posts not yet checked" in english
    year = timezone.localdate().year
    assert f"All platforms checked, {month['en']} {year}" in english
    assert "Hidden" not in html + english
    # The API, in both languages: the same figures.
    for locale in ("nl", "en"):
        result = data(QUERY, {"code": "JP", "locale": locale})
        assert result["country"]["completeness"]["known"] == total + 1
        assert result["country"]["completeness"]["unknown"] == unknown
    # The coverage report: the same states, cell by cell.
    client.force_login(make_user("reporter", Group.objects.get(name="Press editors")))
    report = client.get("/admin/atlas/coverage/").content.decode()
    states = report_states(report)
    nl = data(QUERY, {"code": "JP"})
    for post in nl["country"]["posts"]:
        api_states = {c["platform"]["slug"]: c["state"].lower() for c in post["coverage"]}
        assert states[post["name"]] == api_states
        known = post["completeness"]["known"]
        assert f'data-known="{known}" data-total="{total}"' in row_of(report, post["name"])
    # Overall, the report counts every post it lists: the hidden ones (each one "none") too.
    overall = nl["atlas"]["completeness"]
    assert (
        f'data-completeness-overall data-known="{overall["known"] + 2}" '
        f'data-total="{overall["total"] + 2 * total}"'
    ) in report


def row_of(html, title):
    return next(row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if title in row)


def report_states(html):
    """{post title: {platform slug: cell state}} of the coverage report."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        title = re.search(r'<a href="/admin/pages/\d+/edit/"[^>]*>\s*([^<]+?)\s*</a>', row)
        if title:
            rows[title[1]] = dict(
                re.findall(
                    r'<td data-platform="platform_([^"]+)"><span [^>]*data-cell-state="([^"]+)"',
                    row,
                )
            )
    return rows


def test_the_open_data_says_the_same(client, data, checked):
    """posts.geojson carries each post's figures and the platforms not yet checked, as the API
    says them; nothing of a hidden post."""
    result = data(QUERY, {"code": "JP"})
    api = {post["id"]: post for post in result["country"]["posts"]}
    response = client.get("/export/posts.geojson", {"lang": "nl"})
    features = {str(f["id"]): f["properties"] for f in response.json()["features"]}
    assert set(features) == set(api)
    for post_id, post in api.items():
        row = features[post_id]
        assert row["platforms_known"] == post["completeness"]["known"]
        assert row["platforms_total"] == post["completeness"]["total"]
        unknown = [
            cell["platform"]["slug"] for cell in post["coverage"] if cell["state"] == "UNKNOWN"
        ]
        assert row["platforms_not_checked"] == " ".join(unknown)
        assert (row["platforms_checked_at"] is None) == (post["completeness"]["checkedAt"] is None)
    osaka = features[str(checked["osaka"].pk)]
    assert "facebook" not in osaka["platforms_not_checked"].split()
    assert "twitter" in osaka["platforms_not_checked"].split()
    assert features[str(checked["tokyo"].pk)]["platforms_not_checked"] == ""

"""The Content-Security-Policy in a real browser: the site's maps and the admin's editors work
under it with no violation (the `page` fixture also fails on any console error)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from atlas_pages.models import SocialAccount

#: Collects every violation the browser reports, from before the first script runs.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched_page(page):
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def violations(page):
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.cspViolations")


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/en/", ".leaflet-marker-icon, .marker-cluster"),
        ("/nl/japan/", ".leaflet-container"),
        ("/en/japan/embassy-in-tokyo/", ".leaflet-container"),
    ],
)
def test_site_pages_run_under_the_policy(watched_page, atlas_site, path, ready):
    response = watched_page.goto(atlas_site.url + path)
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    watched_page.wait_for_selector(ready)
    assert violations(watched_page) == []


def test_admin_editors_run_under_the_policy(watched_page, atlas_site):
    page, url = watched_page, atlas_site.url
    get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    page.goto(f"{url}/admin/login/")
    page.fill("input[name=username]", "chief")
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/admin/")
    assert violations(page) == []

    account = atlas_site.accounts.tokyo_x
    for path in [
        f"/admin/pages/{atlas_site.tokyo.pk}/edit/",  # the geo widget's map
        f"/admin/pages/{atlas_site.japan.pk}/",  # the page explorer
        reverse(SocialAccount.snippet_viewset.get_url_name("edit"), args=(account.pk,)),
        reverse(SocialAccount.snippet_viewset.get_url_name("list")),
    ]:
        page.goto(url + path)
        page.wait_for_selector("main")
        assert violations(page) == [], path
    # The preview panel frames the admin's own preview of the account.
    page.goto(url + reverse(SocialAccount.snippet_viewset.get_url_name("edit"), args=(account.pk,)))
    page.click("[data-side-panel-toggle='preview']")
    page.wait_for_function(
        """() => [...document.querySelectorAll("iframe")].some(
            (frame) => frame.contentDocument?.body?.innerText.includes("NLinJapan"))"""
    )
    assert violations(page) == []


def test_graphiql_runs_under_the_policy_from_local_assets(watched_page, atlas_site, settings):
    """GraphiQL (where ATLAS_GRAPHIQL allows it) loads its libraries from this site and runs a
    query with no violation of the site's strict policy (no inline script or style)."""
    settings.ATLAS_GRAPHIQL = True
    page = watched_page
    query = '{ country(code: "JP") { name } }'
    response = page.goto(f"{atlas_site.url}/graphql/?q={query}")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    page.wait_for_selector(".graphiql-execute-button")
    page.click(".graphiql-execute-button")
    page.wait_for_function(
        """() => document.querySelector(".graphiql-response")?.innerText.includes('"Japan"')"""
    )
    assert violations(page) == []

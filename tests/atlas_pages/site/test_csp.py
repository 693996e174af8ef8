"""The Content-Security-Policy: the visitor site runs only its own files, no inline code; the
admin gets the exceptions its widgets need (cms/csp.py)."""

import re
import subprocess
import sys

import pytest
from django.urls import reverse

from atlas_pages.models import SocialAccount
from tests.atlas_pages.editorial.test_workflow import account_form
from tests.atlas_pages.site.test_pages import PAGES
from tests.cms.test_settings import ROOT
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in header.split(";") if part.strip())
    }


def inline_code(html):
    """Inline scripts (not JSON data blocks), <style> elements and style attributes."""
    scripts = [
        attrs
        for attrs in re.findall(r"<script([^>]*)>", html)
        if "src=" not in attrs and "application/json" not in attrs and "ld+json" not in attrs
    ]
    return scripts + re.findall(r"<style[\s>]", html) + re.findall(r"\sstyle=\"", html)


@pytest.mark.parametrize("url", [*PAGES, "/en/search/?q=tokyo", "/en/no-such-page/"])
def test_site_pages_allow_only_their_own_files(client, small_atlas, url):
    response = client.get(url)
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert inline_code(response.content.decode()) == [], url


def test_the_admin_gets_inline_scripts_and_frames_its_previews(client, db):
    client.force_login(make_user("admin", is_superuser=True, is_staff=True))
    directives = policy(client.get(reverse("wagtailadmin_home")))
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]


def test_a_configured_tile_server_may_serve_map_images():
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "ATLAS_TILE_LAYER": "https://{s}.tile.example.org/{z}/{x}/{y}.png",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "https://*.tile.example.org" in result.stdout, result.stderr


def test_previews_keep_the_site_policy_and_may_be_framed_by_the_admin(client, small_atlas):
    """The admin's preview panel frames a preview: the site's policy, framed by this site."""
    client.force_login(make_user("admin", is_superuser=True, is_staff=True))
    account = small_atlas.accounts.tokyo_x
    url = reverse(SocialAccount.snippet_viewset.get_url_name("preview_on_edit"), args=(account.pk,))
    assert client.post(url, account_form(small_atlas.tokyo)).json()["is_valid"]  # as the editor
    response = client.get(url + "?in_preview_panel=true")
    assert response.status_code == 200
    assert "NLinJapan" in response.content.decode()
    directives = policy(response)
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert inline_code(response.content.decode()) == []

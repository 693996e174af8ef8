"""The visitor site's own addresses (atlas_pages/site/urls.py, included by cms/urls.py): per
language under its prefix, the root and the open-data files outside the prefixes."""

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from atlas_pages.site import languages, open_data, search, verify


@pytest.mark.parametrize(
    ("language", "name", "address"),
    [
        ("nl", "search", "/nl/search/"),
        ("en", "search", "/en/search/"),
        ("nl", "verify", "/nl/controleer/"),
        ("en", "verify", "/en/verify/"),
        ("nl", "open_data", "/nl/open-data/"),
        ("en", "changes_feed", "/en/changes.atom"),
        ("en", "root", "/"),
    ],
)
def test_the_site_pages_keep_their_names_and_addresses(language, name, address):
    with translation.override(language):
        assert reverse(name) == address


def test_the_open_data_files_are_outside_the_language_prefixes():
    for name in open_data.EXPORTS:
        assert reverse("export", kwargs={"name": name}) == f"/export/{name}"
    assert resolve(f"/export/{name}").func is open_data.export


def test_the_views_behind_the_names():
    assert resolve("/").func is languages.root_redirect
    with translation.override("nl"):  # a prefix resolves in its own language, as requests do
        assert resolve("/nl/search/").func is search.search
        assert resolve("/nl/controleer/").func is verify.verify

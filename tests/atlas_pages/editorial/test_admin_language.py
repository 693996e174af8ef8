"""Every admin screen of the press desk speaks its user's language, Wagtail's and Leaflet's own
strings included: the project's catalogue (locale/) overrides the English left in Wagtail's
Dutch, and the English admin shows none of the project's Dutch. Dates follow each language's
own format (English: cms/formats/en)."""

import json
import re
from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import formats, timezone, translation

from atlas_pages.editorial import upkeep
from atlas_pages.models import Person, Platform, SocialAccount
from tests.atlas_pages.site.atlas_data import build_small_atlas
from tests.factories import make_user

pytestmark = pytest.mark.django_db

#: English that Wagtail's and Leaflet's Dutch left on the Dutch screens.
ENGLISH = (
    "Editor Guide",
    "Checks",
    "Bulk actions",
    "Bulk acties",
    "Search",
    "Actions",
    "Zoom in",
    "Zoom out",
    "selected",
    "snippet",
    "snippets",
    "Snippet",
)

#: Their Dutch, which the English screens must not show.
DUTCH = (
    "Handleiding voor redacteuren",
    "Controles",
    "Bulkacties",
    "Zoeken",
    "Acties",
    "Inzoomen",
    "Uitzoomen",
    "geselecteerd",
    "Pagina/item",
)


def snippet_url(model, name, *args):
    return reverse(model.snippet_viewset.get_url_name(name), args=args)


def screen_text(html):
    """What the user reads or hears: text, the labels screen readers read (aria-label, title,
    placeholder, a button's value) and the strings the admin's scripts render from its JSON
    (sidebar, bulk-action bar, map widget); addresses left out."""
    soup = BeautifulSoup(html, "html.parser")
    texts = []
    for script in soup.find_all("script", type="application/json"):
        texts.extend(_strings(json.loads(script.string or "null")))
    for tag in soup(["script", "style"]):
        tag.decompose()
    texts.append(soup.get_text(" "))
    for tag in soup.find_all(True):
        for name in ("aria-label", "title", "placeholder", "alt"):
            if tag.has_attr(name):
                texts.append(tag[name])
        if tag.name == "input" and tag.get("type") in ("submit", "button"):
            texts.append(tag.get("value", ""))
    return re.sub(r"\s+", " ", " ".join(texts))


def _strings(value):
    if isinstance(value, str):
        if "<" in value:  # a widget's markup: its text
            yield BeautifulSoup(value, "html.parser").get_text(" ")
        elif not value.startswith(("/", "#")) and "://" not in value:
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def found(words, text):
    return [word for word in words if re.search(rf"(?<![\w/-]){re.escape(word)}(?![\w-])", text)]


@pytest.fixture
def atlas_data():
    return build_small_atlas()


def screens(data):
    """Each screen of the press desk: who opens it, its address and the Dutch it must show."""
    account = data.accounts.tokyo_x
    return [
        ("editor", "/admin/", ["Handleiding voor redacteuren", "Zoeken"]),
        ("editor", snippet_url(SocialAccount, "list"), ["Bulkacties", "geselecteerd"]),
        ("editor", snippet_url(SocialAccount, "edit", account.pk), ["Controles", "Acties"]),
        ("editor", snippet_url(Person, "list"), ["Bulkacties", "geselecteerd"]),
        ("editor", snippet_url(Person, "edit", data.ambassador.pk), ["Controles", "Acties"]),
        ("editor", snippet_url(Platform, "list"), ["Bulkacties"]),
        ("editor", reverse("wagtailadmin_explore", args=(data.japan.pk,)), ["Bulkacties"]),
        (
            "editor",
            reverse("wagtailadmin_pages:edit", args=(data.tokyo.pk,)),
            ["Controles", "Acties", "Inzoomen", "Uitzoomen"],
        ),
        ("editor", reverse("atlas_coverage"), ["Handleiding voor redacteuren"]),
        ("editor", upkeep.queue_url(), ["Bulkacties", "geselecteerd"]),
        ("editor", reverse("import_accounts"), ["Handleiding voor redacteuren"]),
        ("moderator", "/admin/", ["Zoeken"]),
        ("moderator", reverse("wagtailadmin_reports:workflow"), ["Pagina/item"]),
        ("moderator", reverse("wagtailadmin_reports:workflow_tasks"), ["Pagina/item"]),
    ]


def press_users(data, language):
    """The editor and the moderator, with the editor's draft account in review (so that the
    workflow reports and the moderator's dashboard list it)."""
    users = {
        "editor": make_user("editor", Group.objects.get(name="Press editors"), language=language),
        "moderator": make_user(
            "moderator", Group.objects.get(name="Press moderators"), language=language
        ),
    }
    draft = data.accounts.draft
    draft.save_revision(user=users["editor"])
    draft.get_workflow().start(draft, users["editor"])
    return users


def test_every_press_desk_screen_is_dutch_for_a_dutch_editor(client, atlas_data):
    users = press_users(atlas_data, "nl")
    problems = {}
    for role, url, dutch in screens(atlas_data):
        client.force_login(users[role])
        response = client.get(url)
        assert response.status_code == 200, url
        text = screen_text(response.content.decode())
        english, missing = found(ENGLISH, text), set(dutch) - set(found(dutch, text))
        if english or missing:
            problems[f"{role} {url}"] = {"English": english, "Dutch missing": sorted(missing)}
    assert problems == {}


def test_the_same_screens_in_english_show_none_of_our_dutch(client, atlas_data):
    users = press_users(atlas_data, "en")
    problems = {}
    for role, url, _dutch in screens(atlas_data):
        client.force_login(users[role])
        response = client.get(url)
        assert response.status_code == 200, url
        dutch = found(DUTCH, screen_text(response.content.decode()))
        if dutch:
            problems[f"{role} {url}"] = dutch
    assert problems == {}
    # The English words themselves are there: Wagtail's and Leaflet's English is kept.
    client.force_login(users["editor"])
    post = reverse("wagtailadmin_pages:edit", args=(atlas_data.tokyo.pk,))
    text = screen_text(client.get(post).content.decode())
    assert found(["Checks", "Actions", "Zoom in", "Zoom out"], text) == [
        "Checks",
        "Actions",
        "Zoom in",
        "Zoom out",
    ]


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [
        ("en", "12 Jun 2026, 05:48", "12 June 2026, 05:48"),
        ("nl", "12-6-2026 05:48", "12 juni 2026 05:48"),
    ],
)
def test_dates_in_each_languages_own_format(settings, language, short, long):
    """Not the American "06/12/2026 5:48 a.m." in English: day before month, 24 hours."""
    moment = timezone.make_aware(datetime(2026, 6, 12, 5, 48))
    with translation.override(language):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == short
        assert formats.date_format(moment, "DATETIME_FORMAT") == long

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
from wagtail.admin.utils import set_query_params
from wagtail.models import Page, Task

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
    # The project's own field names and help texts, Wagtail's default workflow and task, the
    # root page and the breadcrumbs' first item; a yes/no read out as Python's True/False.
    "Job title",
    "translate the person for other languages",
    "Sort order",
    "Name",
    "Hosts",
    "True",
    "False",
    "Moderators approval",
    "Root",
    "Home",
    "Choose a page",
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
    "Functietitel",
    "vertaal de persoon voor andere talen",
    "Volgorde",
    "Naam",
    "Hostnamen",
    "Goedkeuring moderatoren",
    "Hoofdniveau",
    "Kies een pagina",
)


def snippet_url(model, name, *args):
    return reverse(model.snippet_viewset.get_url_name(name), args=args)


def page_html(response):
    """A screen's HTML, also of a modal (the page chooser answers JSON with its HTML)."""
    if response["Content-Type"].startswith("application/json"):
        return response.json()["html"]
    return response.content.decode()


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


#: A script's name for a class or a field (telepath's "wagtail.snippets.widgets.Chooser",
#: "atlas_pages.postpage"), read by no one.
IDENTIFIER = re.compile(r"\w+(\.\w+)+")


def _strings(value):
    if isinstance(value, str):
        if "<" in value:  # a widget's markup: its text
            yield BeautifulSoup(value, "html.parser").get_text(" ")
        elif (
            not value.startswith(("/", "#"))
            and "://" not in value
            and not IDENTIFIER.fullmatch(value)
        ):
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
    post_chooser = set_query_params(
        reverse("wagtailadmin_choose_page"), {"page_type": "atlas_pages.postpage"}
    )
    return [
        ("editor", "/admin/", ["Handleiding voor redacteuren", "Zoeken"]),
        ("editor", snippet_url(SocialAccount, "list"), ["Bulkacties", "geselecteerd", "Start"]),
        (
            "editor",
            snippet_url(SocialAccount, "edit", account.pk),
            ["Controles", "Acties", "Kies een pagina (Post)"],
        ),
        ("editor", snippet_url(Person, "list"), ["Bulkacties", "geselecteerd", "Functietitel"]),
        (
            "editor",
            snippet_url(Person, "edit", data.ambassador.pk),
            [
                "Controles",
                "Acties",
                "Functietitel",
                "vertaal de persoon voor andere talen",
                "Kies een pagina (Post)",
            ],
        ),
        ("editor", snippet_url(Platform, "list"), ["Bulkacties", "Naam", "Volgorde", "Ja"]),
        (
            "moderator",
            snippet_url(Platform, "edit", account.platform_id),
            ["Naam", "Hostnamen", "Volgorde"],
        ),
        (
            "editor",
            reverse("wagtailadmin_explore", args=(data.japan.pk,)),
            ["Bulkacties", "Hoofdniveau"],
        ),
        ("editor", post_chooser, ["Kies", "Hoofdniveau"]),
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
        (
            "moderator",
            reverse("wagtailadmin_reports:workflow_tasks"),
            ["Pagina/item", "Goedkeuring moderatoren", "Goedkeuring persmoderatoren"],
        ),
        ("admin", reverse("wagtailadmin_explore_root"), ["Hoofdniveau"]),
        ("admin", reverse("wagtailadmin_workflows:index"), ["Goedkeuring moderatoren"]),
        ("admin", reverse("wagtailadmin_workflows:task_index"), ["Goedkeuring moderatoren"]),
    ]


def press_users(data, language):
    """The editor, the moderator and an administrator (workflows and tasks), with the editor's
    draft account in review (so that the workflow reports and the moderator's dashboard list
    it)."""
    users = {
        "editor": make_user("editor", Group.objects.get(name="Press editors"), language=language),
        "moderator": make_user(
            "moderator", Group.objects.get(name="Press moderators"), language=language
        ),
        "admin": make_user("admin", language=language, is_superuser=True),
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
        text = screen_text(page_html(response))
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
        dutch = found(DUTCH, screen_text(page_html(response)))
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


def test_the_english_admin_keeps_the_english_names(client, atlas_data):
    """What the Dutch screens translate stays English on the English ones: the names kept in the
    database (the root page, Wagtail's default workflow and task) are stored in English."""
    users = press_users(atlas_data, "en")
    expected = [
        ("editor", snippet_url(Person, "edit", atlas_data.ambassador.pk), ["Job title", "Home"]),
        ("editor", snippet_url(Platform, "list"), ["Name", "Sort order", "Yes"]),
        ("editor", reverse("wagtailadmin_explore", args=(atlas_data.japan.pk,)), ["Root"]),
        ("admin", reverse("wagtailadmin_workflows:task_index"), ["Moderators approval"]),
    ]
    problems = {}
    for role, url, english in expected:
        client.force_login(users[role])
        text = screen_text(page_html(client.get(url)))
        if missing := set(english) - set(found(english, text)):
            problems[url] = sorted(missing)
    assert problems == {}
    root = Page.objects.get(depth=1)
    assert (root.title, root.draft_title) == ("Root", "Root")
    task = Task.objects.get(name="Moderators approval")
    assert task.name == "Moderators approval"


CHOOSERS_AND_HOME = {
    "nl": ["Kies een pagina (Post)", "Kies platform", "Kies persoon", "Start"],
    "en": ["Choose a page (Post)", "Choose platform", "Choose person", "Home"],
}


@pytest.mark.parametrize(("loaded", "shown"), [("en", "nl"), ("nl", "en")])
def test_what_wagtail_builds_when_the_admin_loads_speaks_each_screens_language(
    atlas_data, loaded, shown
):
    """Wagtail builds the snippets' forms and breadcrumbs once, when the admin's URLs are loaded
    (in the language of the first request, a browser's Accept-Language), and its choosers and
    breadcrumbs fill in their words then: every later screen must still use its own."""
    user = make_user("editor", Group.objects.get(name="Press editors"), language=shown)
    account = atlas_data.accounts.tokyo_x
    with translation.override(loaded):
        person_form = Person.snippet_viewset.get_form_class(for_update=True)
        account_form = SocialAccount.snippet_viewset.get_form_class(for_update=True)
        home = [
            model.snippet_viewset.breadcrumbs_items[0]["label"]
            for model in (SocialAccount, Person, Platform)
        ]
    with translation.override(shown):
        person = person_form(instance=atlas_data.ambassador, for_user=user)
        account = account_form(instance=account, for_user=user)
        fields = [person["post"], account["post"], account["platform"], account["person"]]
        text = (
            screen_text(" ".join(str(field) for field in fields))
            + " "
            + " ".join(str(label) for label in home)
        )
        assert found(CHOOSERS_AND_HOME[shown], text) == CHOOSERS_AND_HOME[shown]
        assert found(CHOOSERS_AND_HOME[loaded], text) == []


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

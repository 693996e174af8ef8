"""Playwright on Debian's Chromium against pytest-django's live server.

Chromium is required: without it these tests fail (CI installs it with `make browser`)."""

import importlib
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# The live server runs in a thread next to the test's event loop (Playwright's).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class SerialWSGIServer(WSGIServer):
    """The live server answering one request at a time, in its own thread. It shares the test's
    in-memory SQLite connection, and two requests at once (a form posted while the editor's
    session ping runs) interleave their transactions on it: "no such savepoint", a 500 the
    site itself never gives. Django closes each connection after its answer when unthreaded."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)  # the server's thread has the connections already


LiveServerThread.server_class = SerialWSGIServer


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make browser` (apt-get chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}


@pytest.fixture(autouse=True)
def _generations_as_in_production(settings):
    """A live server's transactions commit: the generation moves once per transaction, at its
    commit, as in production (ATLAS_BUMP_BEFORE_COMMIT)."""
    settings.ATLAS_BUMP_BEFORE_COMMIT = False


# Pages take `transactional_db` and `live_server` so that they close before the database is
# flushed: the live server shares the test's in-memory SQLite connection, and a request still
# running during the flush (an admin page's editing-session ping, say) breaks the transaction
# state for every later test.
@pytest.fixture
def page(browser, transactional_db, live_server):
    """A fresh page that refuses every request off this machine and records console errors;
    after the test, both lists must be empty."""
    yield from guarded_page(browser, **DESKTOP)


@pytest.fixture
def more_pages(browser, transactional_db, live_server):
    """Opens further pages, each in a context of its own (another user's, say), guarded and
    closed like `page`, before the database is flushed."""
    guards = []

    def open_page(**context_options):
        guard = guarded_page(browser, **{**DESKTOP, **context_options})
        guards.append(guard)
        return next(guard)

    yield open_page
    for guard in guards:
        next(guard, None)  # its teardown: settle, close, check


#: A phone: its screen (a Pixel 7's, in CSS pixels) and touch.
PHONE = {"viewport": {"width": 412, "height": 839}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(browser, transactional_db, live_server):
    """As `page`, on a phone."""
    yield from guarded_page(browser, locale="en-GB", **PHONE)


def guarded_page(browser, **context_options):
    context = browser.new_context(**context_options)
    in_flight = track_requests(context)
    page = context.new_page()
    foreign, errors = [], []

    def guard(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Wagtail's admin answers 400 to a form posted with errors (the form again, with the
    # errors; Wagtail 8 posts edit forms with fetch): what the editor should see, not a fault.
    # The console reports each as an error.
    refused_forms = []
    page.on("response", lambda r: _refused_admin_form(r) and refused_forms.append(r.url))
    yield page
    settle(context, in_flight)
    context.close()
    assert foreign == [], f"requests left the machine: {foreign}"
    bad_request = "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    for _ in refused_forms:
        if bad_request in errors:
            errors.remove(bad_request)
    assert errors == [], f"console errors: {errors}"


def _refused_admin_form(response):
    request = response.request
    return (
        response.status == 400
        and request.method == "POST"
        and urlsplit(response.url).path.startswith("/admin/")
    )


def track_requests(context):
    """The context's requests the server has not answered yet (a live set)."""
    in_flight = set()
    context.on("request", lambda request: in_flight.add(request))
    context.on("requestfinished", lambda request: in_flight.discard(request))
    context.on("requestfailed", lambda request: in_flight.discard(request))
    return in_flight


def settle(context, in_flight, seconds=10):
    """Leave every page of the context (a page's last requests, such as Wagtail's editing-session
    release, go as it unloads) and wait until the server has answered all of them."""
    for open_page in context.pages:
        open_page.goto("about:blank")
    for _ in range(seconds * 10):
        if not in_flight:
            return
        context.pages[0].wait_for_timeout(100)


def log_in(page, live_server, username, password="pw"):
    """Wagtail's login form, as a user fills it in (the factories' password by default)."""
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def _restore_migrated_data():
    """What the migrations put in the database and a transactional test's flush removes: the
    page tree's root, the locales and the platforms."""
    from wagtail.models import Locale, Page

    from atlas_pages.models import Platform, SocialAccount

    setup = importlib.import_module("atlas_pages.migrations.0002_editorial_setup")
    shapes = importlib.import_module("atlas_pages.migrations.0005_platform_profile_shape")
    for code in setup.LOCALES:
        Locale.objects.get_or_create(language_code=code)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    for slug, name, hosts, sort_order in setup.PLATFORMS:
        Platform.objects.get_or_create(
            slug=slug, defaults={"name": name, "hosts": hosts, "sort_order": sort_order}
        )
    shapes.apply_shapes(Platform, SocialAccount)


@pytest.fixture
def atlas_site(transactional_db, live_server):
    """The small fixture atlas, served by the live server."""
    from tests.atlas_pages.site.atlas_data import build_small_atlas

    _restore_migrated_data()
    data = build_small_atlas()
    data.url = live_server.url
    return data


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

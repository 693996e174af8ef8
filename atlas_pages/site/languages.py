"""The site's languages: which one a request speaks, where the same page is in the others
(the language switcher, hreflang), and the redirect of / to the visitor's language.

Pages are routed by Wagtail's own i18n routing (cms/urls.py: Wagtail's URLs inside Django's
``i18n_patterns``); the ``before_serve_page`` hook below keeps each language in its own tree.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, Site

from atlas_pages.publication.public_atlas import PublicAtlas
from atlas_pages.rules.languages import content_language


def current_language() -> str:
    """The content language of this request ("nl" or "en"): the one its URL prefix activated."""
    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return content_language()


def home_url(language: str) -> str:
    """The path of the atlas's home page in a language, e.g. "/en/"."""
    with translation.override(language):
        return reverse("wagtail_serve", args=("",))


def _alternate(
    language: str, url: str | None = None, full_url: str | None = None, current: bool = False
) -> dict:
    return {
        "language": language,
        "name": dict(settings.LANGUAGES)[language],
        "url": url,
        "full_url": full_url,
        "current": current,
    }


def page_alternates(atlas: PublicAtlas, page: Page) -> list[dict]:
    """The page in every language, for the language switcher and the hreflang links: its
    public translations, else the public home page of a language it is not published in.

    Each item: language, its name, the URL to link to, the absolute URL when the page itself
    is public in that language (else None: no hreflang), and whether it is the current page.
    """
    translations = atlas.page_links(page.translation_key)
    alternates = []
    for code, _name in settings.LANGUAGES:
        link = translations.get(code)
        if link is not None:
            alternates.append(_alternate(code, link.url, link.full_url, code == atlas.language))
        elif code in atlas.home_links:
            alternates.append(_alternate(code, atlas.home_links[code].url))
        else:
            alternates.append(_alternate(code))
    return alternates


def view_alternates(
    request: HttpRequest,
    url_name: str,
    query: dict[str, str] | None = None,
    atlas: PublicAtlas | None = None,
) -> list[dict]:
    """A view outside the page tree (the search page) in every language; the query kept.
    Given the public atlas, the site's root URL is its home page's (no query for the site)."""
    language = current_language()
    home = atlas.home_links.get(atlas.language) if atlas else None
    if home is not None:
        root_url = home.full_url.removesuffix(home.url)
    else:
        site = Site.find_for_request(request)
        root_url = site.root_url if site else request.build_absolute_uri("/").rstrip("/")
    suffix = f"?{urlencode(query)}" if query else ""
    alternates = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            url = reverse(url_name) + suffix
        alternates.append(_alternate(code, url, root_url + url, code == language))
    return alternates


def home_alternates() -> list[dict]:
    """Links to the home page in every language, for pages such as "not found"."""
    language = current_language()
    return [
        _alternate(code, home_url(code), current=code == language)
        for code, _name in settings.LANGUAGES
    ]


def page_in_url_language(
    page: Page, request: HttpRequest, serve_args: tuple, serve_kwargs: dict
) -> None:
    """``before_serve_page``: a page is served only under its own language's prefix. Wagtail
    routes /en/... from the English translation of the site's root page, and from the Dutch
    tree when that translation is missing or not live: Dutch pages under an English address."""
    if page.locale.language_code != current_language():
        raise Http404


def root_redirect(request: HttpRequest) -> HttpResponse:
    """/ : to the home page in the visitor's language (Accept-Language, cookie), else Dutch."""
    language = translation.get_language_from_request(request)
    try:
        language = get_supported_content_language_variant(language)
    except LookupError:
        language = settings.LANGUAGE_CODE
    response = redirect(home_url(language))
    response["Vary"] = "Accept-Language, Cookie"
    return response

"""The visitor site: what the atlas, country and post pages show, and the search page.

Every object comes from the public selectors (atlas_pages.selectors); the page contexts load
what they show with a fixed number of queries, so a page costs the same number of SQL queries
however large the atlas grows, and in either language. The home page lists countries and posts
only; accounts and people are on the country and post pages (and in the map's panel).

The site speaks the content language of the URL (/nl/..., /en/...): pages of that locale, with
the accounts and people of their (Dutch) source post, matched by translation key.
"""

from collections import defaultdict

from django.conf import settings
from django.db.models import F, Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries as iso_countries
from wagtail import views as wagtail_views
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site
from wagtail.search.backends import get_search_backend

from atlas_pages import services
from atlas_pages.models import CountryPage, Person, PostPage, SocialAccount
from atlas_pages.selectors import (
    public_accounts,
    public_countries,
    public_pages,
    public_people,
    public_platforms,
    public_posts,
)

#: World-atlas shapes without an ISO 3166 numeric code are matched by their name instead.
SHAPE_NAMES = {"XK": "Kosovo"}
#: How many hits of each kind the search page lists at most.
SEARCH_LIMIT = 20
#: The meta description of a home page whose editors wrote neither a search description nor
#: an introduction.
SITE_DESCRIPTION = gettext_lazy(
    "The official social-media accounts of the Ministry of Foreign Affairs, its posts abroad "
    "and its people, on a world map and by country."
)
#: The map script's texts; {name} placeholders are filled in by the script.
MAP_STRINGS = {
    "accounts": gettext_lazy("Accounts"),
    "people": gettext_lazy("People"),
    "noAccounts": gettext_lazy("No accounts listed yet."),
    "noAccountsOnPlatform": gettext_lazy("No accounts on this platform."),
    "openPost": gettext_lazy("Post page"),
    "openCountry": gettext_lazy("Country page"),
    "close": gettext_lazy("Close"),
    "posts": gettext_lazy("posts"),
    "shownAll": gettext_lazy("Showing all {posts} posts."),
    "shownPlatform": gettext_lazy("Showing {posts} posts with accounts on {platform}."),
    "loadError": gettext_lazy(
        "The map could not be loaded. The list of countries below has the same information."
    ),
    "mapLabel": gettext_lazy("World map of the posts and their accounts"),
    "accountsInCountry": gettext_lazy("{count} accounts"),
    "loading": gettext_lazy("Loading the accounts…"),
    "detailsError": gettext_lazy("The accounts could not be loaded."),
}


# Languages -----------------------------------------------------------------------------------


def current_language():
    """The content language of this request ("nl" or "en"): the one its URL prefix activated."""
    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def home_url(language):
    """The path of the atlas's home page in a language, e.g. "/en/"."""
    with translation.override(language):
        return reverse("wagtail_serve", args=("",))


def _site_root_paths(site_id=None):
    paths = Site.get_site_root_paths()  # cached (Django's cache): no query once warm
    if site_id is None and paths:
        site_id = paths[0].site_id
    return [path for path in paths if path.site_id == site_id]


def _alternate(language, url=None, full_url=None, current=False):
    return {
        "language": language,
        "name": dict(settings.LANGUAGES)[language],
        "url": url,
        "full_url": full_url,
        "current": current,
    }


def page_alternates(page, request=None):
    """The page in every language for the language switcher and the hreflang links, in ONE
    query: the page's public translations and the public home pages of the site (the fallback
    for a language the page is not published in).

    Each item: language, its name, the URL to link to, the absolute URL when the page itself
    is public in that language (else None: no hreflang), and whether it is the current page.
    Raises Http404 when the page is public but not in the language of the URL: a safeguard,
    since serve_page routes each language in its own tree.
    """
    language = current_language()
    site_id = None
    if request is not None and (site := Site.find_for_request(request)):
        site_id = site.pk
    roots = _site_root_paths(site_id)
    found = (
        public_pages(
            Page.objects.filter(
                Q(translation_key=page.translation_key)
                | Q(url_path__in=[root.root_path for root in roots])
            )
        )
        .select_related("locale")
        .only("id", "url_path", "translation_key", "locale__language_code")
    )
    translations, homes = {}, {}
    for other in found:
        code = other.locale.language_code
        if other.translation_key == page.translation_key:
            translations[code] = other
        if any(other.url_path == root.root_path for root in roots):
            homes[code] = other
    own_language = next((code for code, t in translations.items() if t.pk == page.pk), None)
    if own_language not in (None, language):
        raise Http404  # routed under the prefix of a language the page is not in
    alternates = []
    for code, _name in settings.LANGUAGES:
        other = translations.get(code)
        if other is not None:
            full_url = other.get_full_url(request)
            alternates.append(
                _alternate(code, other.get_url(request), full_url, other.pk == page.pk)
            )
        elif code in homes:
            alternates.append(_alternate(code, homes[code].get_url(request)))
        else:
            alternates.append(_alternate(code))
    return alternates


def view_alternates(request, url_name, query=None):
    """A view outside the page tree (the search page) in every language; the query kept."""
    language = current_language()
    site = Site.find_for_request(request)
    root_url = site.root_url if site else request.build_absolute_uri("/").rstrip("/")
    suffix = f"?{urlencode(query)}" if query else ""
    alternates = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            url = reverse(url_name) + suffix
        alternates.append(_alternate(code, url, root_url + url, code == language))
    return alternates


def home_alternates():
    """Links to the home page in every language, for pages such as "not found"."""
    language = current_language()
    return [
        _alternate(code, home_url(code), current=code == language)
        for code, _name in settings.LANGUAGES
    ]


def _route_in_language(request, path):
    """Wagtail's route for a path, found in the page tree of the URL's language only.

    Wagtail routes /en/... from the English translation of the site's root page, but falls
    back to the Dutch tree when that translation is missing or not live (Dutch pages under an
    English address) and spends more queries on English than on Dutch. Here: the root page in
    the URL's language in one query, so a page costs the same in every language, and a
    language without a translation of the root page answers 404.
    """
    site = Site.find_for_request(request)
    if site is None:
        return None
    source = site.root_page
    root = source.specific_class.objects.filter(
        translation_key=source.translation_key, locale__language_code=current_language()
    ).first()
    if root is None:
        return None
    try:
        return root.route(request, [part for part in path.split("/") if part])
    except Http404:
        return None


def serve_page(request, path):
    """The page tree's view (URL name "wagtail_serve", under the language prefix): Wagtail's
    own, with the route found in the URL's language (Wagtail reuses a route it finds cached
    on the request)."""
    request._wagtail_route_for_request = _route_in_language(request, path)
    return wagtail_views.serve(request, path)


def root_redirect(request):
    """/ : to the home page in the visitor's language (Accept-Language, cookie), else Dutch."""
    language = translation.get_language_from_request(request)
    try:
        language = get_supported_content_language_variant(language)
    except LookupError:
        language = settings.LANGUAGE_CODE
    response = redirect(home_url(language))
    response["Vary"] = "Accept-Language, Cookie"
    return response


# Data for the pages ------------------------------------------------------------------------


def _accounts():
    return public_accounts().select_related("platform")


def _people():
    return public_people().prefetch_related(Prefetch("accounts", queryset=_accounts()))


def _posts(language):
    """Public posts of a language, A–Z."""
    return public_posts(language).order_by("title")


def _with_person_details(people, language):
    for person in people:
        person.public_accounts = list(person.accounts.all())
        person.title_in_language = person.job_title_in(language) or person.get_role_display()
    return people


def with_accounts_and_people(posts, language):
    """Give posts of any language their public accounts and people, which belong to the Dutch
    source post: matched by translation key, in three queries for all posts together."""
    keys = {post.translation_key for post in posts}
    accounts, people = defaultdict(list), defaultdict(list)
    for account in (
        _accounts()
        .filter(post__translation_key__in=keys)
        .annotate(post_key=F("post__translation_key"))
    ):
        accounts[account.post_key].append(account)
    found = (
        _people()
        .filter(post__translation_key__in=keys)
        .annotate(post_key=F("post__translation_key"))
    )
    for person in _with_person_details(list(found), language):
        people[person.post_key].append(person)
    for post in posts:
        post.public_accounts = accounts[post.translation_key]
        post.public_people = people[post.translation_key]
        post.account_count = len(post.public_accounts) + sum(
            len(person.public_accounts) for person in post.public_people
        )
    return posts


def country_display_name(country, language):
    """The page title (editors may override the name), else the ISO name in the language."""
    return country.title or services.country_name(country.iso_code, language)


def shape_code(iso_code):
    """The key of a country's shape in world-atlas: ISO 3166 numeric, or a name for the few
    shapes without one."""
    code = str(iso_code).upper()
    return SHAPE_NAMES.get(code) or iso_countries.numeric(code, padded=True) or ""


def map_settings():
    """What the map script needs from the settings: a tile layer only if one is configured
    (a URL template with {z}); otherwise the map draws the world's shapes on a plain ground."""
    tile_layer = getattr(settings, "GEO_WIDGET_LEAFLET_TILE_LAYER", "") or ""
    options = getattr(settings, "GEO_WIDGET_LEAFLET_TILE_LAYER_OPTIONS", {}) or {}
    if "{z}" not in tile_layer:
        tile_layer = ""
    return {"tile_layer": tile_layer, "tile_attribution": options.get("attribution", "")}


def last_change(atlas):
    """When published content under the atlas last changed (None for an empty atlas)."""
    dates = [
        public_pages(Page.objects.descendant_of(atlas, inclusive=True)).aggregate(
            last=Max("last_published_at")
        )["last"],
        public_people().aggregate(last=Max("last_published_at"))["last"],
        public_accounts().aggregate(last=Max("last_published_at"))["last"],
    ]
    dates = [date for date in dates if date]
    return max(dates) if dates else None


def plain_text(rich_text, words=30):
    """A rich-text field as plain text of at most `words` words (for a meta description)."""
    return Truncator(strip_tags(str(rich_text or "")).strip()).words(words)


def atlas_context(atlas):
    """The home page: countries A–Z with links to their posts, the headline figures and the
    people at the ministry's top (who serve at no post).

    Accounts, and the people serving at posts, are on the country and post pages and in the
    map's panel, which loads them when a place is selected: the home page weighs O(countries +
    posts), however many accounts the atlas lists."""
    alternates = page_alternates(atlas)
    language = current_language()
    countries = list(
        public_countries(language)
        .child_of(atlas)
        .order_by("title")
        .prefetch_related(Prefetch("post_pages", queryset=_posts(language), to_attr="public_posts"))
    )
    for country in countries:
        country.display_name = country_display_name(country, language)
    platforms = list(public_platforms())
    leadership = _with_person_details(
        list(_people().filter(post__isnull=True).order_by("name")), language
    )
    return {
        "alternates": alternates,
        "meta_description": plain_text(atlas.intro) or str(SITE_DESCRIPTION),
        "countries": countries,
        "leadership": leadership,
        "platforms": platforms,
        "figures": {
            "countries": len(countries),
            "posts": sum(len(country.public_posts) for country in countries),
            # Accounts and platforms are language-neutral: the same figures in every language.
            "accounts": public_accounts().count(),
            "platforms": len(platforms),
        },
        "last_change": last_change(atlas),
        "shape_codes": {
            country.iso_code.code: shape_code(country.iso_code) for country in countries
        },
        "map": map_settings(),
        "map_strings": map_strings(),
    }


def map_strings():
    """The map script's texts in the active language, with the labels it shows for the API's
    enum values (post kinds, person roles)."""
    strings = {key: str(text) for key, text in MAP_STRINGS.items()}
    for value, label in PostPage.Kind.choices:
        strings[f"kind.{value.upper()}"] = str(label)
    for value, label in Person.Role.choices:
        strings[f"role.{value.upper()}"] = str(label)
    return strings


def _public_or_404(page, queryset, request):
    """The public version of a page, or 404 for one hidden by the publication rule (e.g. live
    itself but under an unpublished country). Editors' previews show the page as edited."""
    found = queryset.filter(pk=page.pk).first()
    if found is None:
        if getattr(request, "is_preview", False):
            return page
        raise Http404
    return found


def _map_points(posts):
    return [
        {"name": post.title, "city": post.city, "url": post.url, "lat": post.lat, "lng": post.lng}
        for post in posts
        if post.lat is not None and post.lng is not None
    ]


def country_context(country, request):
    alternates = page_alternates(country, request)
    language = current_language()
    country = _public_or_404(country, public_countries(language), request)
    posts = with_accounts_and_people(list(_posts(language).filter(country=country)), language)
    name = country_display_name(country, language)
    return {
        "alternates": alternates,
        "meta_description": ngettext(
            "The official social-media accounts of the ministry's %(count)s post in %(country)s "
            "and of the people who serve there.",
            "The official social-media accounts of the ministry's %(count)s posts in "
            "%(country)s and of the people who serve there.",
            len(posts),
        )
        % {"count": len(posts), "country": name},
        "country_name": name,
        "posts": posts,
        "account_count": sum(post.account_count for post in posts),
        "map_points": _map_points(posts),
        "map_center": {"lat": country.lat, "lng": country.lng},
        "map": map_settings(),
    }


def post_context(post, request):
    alternates = page_alternates(post, request)
    language = current_language()
    public = _public_or_404(post, public_posts(language), request)
    if public.pk:
        with_accounts_and_people([public], language)
        accounts, people = public.public_accounts, public.public_people
    else:  # the preview of a page not saved yet
        accounts, people = [], []
    country = post.country
    country_name = country_display_name(country, language) if country else ""
    json_ld = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": post.title,
        "url": post.get_full_url(request),
        "sameAs": [account.url for account in accounts],
    }
    if post.address or post.city:
        json_ld["address"] = {
            "@type": "PostalAddress",
            "streetAddress": post.address,
            "addressLocality": post.city,
        }
        if country:
            json_ld["address"]["addressCountry"] = country.iso_code.code
    if post.lat is not None and post.lng is not None:
        json_ld["geo"] = {"@type": "GeoCoordinates", "latitude": post.lat, "longitude": post.lng}
    if post.website:
        json_ld["sameAs"].append(post.website)
    place = ", ".join(part for part in (post.get_kind_display(), post.city, country_name) if part)
    return {
        "alternates": alternates,
        "meta_description": _(
            "The official social-media accounts of %(post)s (%(place)s) and of the people who "
            "serve there."
        )
        % {"post": post.title, "place": place},
        "country_name": country_name,
        "accounts": accounts,
        "people": people,
        "json_ld": json_ld,
        "map_points": _map_points([post]),
        "map_center": {"lat": post.lat, "lng": post.lng},
        "map": map_settings(),
    }


# Search --------------------------------------------------------------------------------------


def _ranked(backend, query, searched, public):
    """Public objects matching the query, best match first: full-words matches, then prefix
    (autocomplete) matches. The backend searches a queryset filtered on index fields only (the
    language, for pages); the publication rule then keeps only what the public may see."""
    hits = []
    for method in (backend.search, backend.autocomplete):
        try:
            results = method(query, searched)[: SEARCH_LIMIT * 2]
        except NotImplementedError:  # a backend without autocomplete still answers search
            continue
        for hit in results:
            if hit.pk not in hits:
                hits.append(hit.pk)
    objects = public.in_bulk(hits)
    return [objects[pk] for pk in hits if pk in objects][:SEARCH_LIMIT]


def _posts_in_language(posts, language):
    """The public pages, in a language, of (Dutch) posts that own people or accounts: by
    translation key, in one query."""
    keys = {post.translation_key for post in posts if post is not None}
    if not keys:
        return {}
    found = public_posts(language).filter(translation_key__in=keys)
    return {post.translation_key: post for post in found}


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    words = services.search_words(query)  # what is searched: the query as plain words
    language = current_language()
    results = []
    if words:
        backend = get_search_backend()
        locale = Locale.objects.get(language_code=language)
        atlas_url = home_url(language)
        countries = CountryPage.objects.filter(locale=locale)
        for country in _ranked(backend, words, countries, public_countries(language)):
            results.append(
                {
                    "kind": _("Country"),
                    "title": country_display_name(country, language),
                    "url": country.get_url(request),
                }
            )
        posts = PostPage.objects.filter(locale=locale)
        public = public_posts(language).select_related("country")
        for post in _ranked(backend, words, posts, public):
            country_name = country_display_name(post.country, language) if post.country else ""
            results.append(
                {
                    "kind": post.get_kind_display(),
                    "title": post.title,
                    "detail": ", ".join(part for part in (post.city, country_name) if part),
                    "url": post.get_url(request),
                }
            )
        people = _ranked(backend, words, Person, public_people().select_related("post"))
        accounts = _ranked(
            backend, words, SocialAccount, _accounts().select_related("post", "person__post")
        )
        # People and accounts belong to the Dutch posts: link to the post in this language.
        translated = _posts_in_language(
            [person.post for person in people] + [account.owning_post for account in accounts],
            language,
        )

        def post_url(post):
            page = translated.get(post.translation_key) if post else None
            return page.get_url(request) if page else atlas_url

        def owner_name(account):
            if account.person_id:
                return account.person.name
            page = translated.get(account.post.translation_key)
            return page.title if page else account.post.title

        for person in people:
            results.append(
                {
                    "kind": _("Person"),
                    "title": person.name,
                    "detail": person.job_title_in(language) or person.get_role_display(),
                    "url": post_url(person.post),
                }
            )
        for account in accounts:
            results.append(
                {
                    "kind": account.platform.name,
                    "platform": account.platform.slug,
                    "title": account.display_name or account.handle,
                    "detail": f"{account.handle} · {owner_name(account)}",
                    "url": post_url(account.owning_post),
                    "external": account.url,
                }
            )
    context = {
        "search_query": query,
        "results": results,
        "alternates": view_alternates(request, "search", {"q": query} if query else None),
    }
    return render(request, "search/search.html", context)

"""What the public may see: the one publication rule of the atlas.

Every public surface (the GraphQL API, the site, exports) takes its objects from these
functions and from nowhere else, so a draft, an item in moderation or a private page cannot
leak through one surface while another hides it.

A page is public when it and every ancestor is live, not expired (an ``expire_at`` in the past
counts even before the scheduled-publishing command runs) and without a view restriction.
A snippet is public when its live version exists, is not expired, and its owner is public.
Each selector is one SQL query (ancestors are checked with correlated subqueries on the
materialised path), never a walk over the tree per object.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, PageViewRestriction

from atlas_pages.models import CountryPage, Person, Platform, PostPage, SocialAccount


def _not_expired(now, prefix=""):
    return Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": now})


#: The deepest level whose ancestors are checked: root 1, atlas 2, country 3, post 4.
MAX_TREE_DEPTH = 6


def _ancestor_paths():
    """The paths of the outer page's ancestors below the root, and its own: prefixes of its
    materialised path, so each is an indexed equality lookup, not a LIKE scan."""
    steplen = Page.steplen
    return [Substr(OuterRef("path"), 1, steplen * depth) for depth in range(2, MAX_TREE_DEPTH + 1)]


def public_pages(queryset):
    """Only the live, unexpired pages of a queryset with no hidden or restricted ancestor."""
    now = timezone.now()
    hidden_ancestor = Page.objects.filter(path__in=_ancestor_paths()).filter(
        Q(live=False) | Q(expire_at__lte=now)
    )
    restricted_ancestor = PageViewRestriction.objects.filter(page__path__in=_ancestor_paths())
    return (
        queryset.filter(live=True, depth__lte=MAX_TREE_DEPTH)
        .filter(_not_expired(now))
        .exclude(Exists(hidden_ancestor))
        .exclude(Exists(restricted_ancestor))
    )


def content_language(language=None):
    """A supported content language code ("nl", "en"); the default one when not given.

    Raises LookupError for a language the atlas is not published in.
    """
    if language is None:
        return get_supported_content_language_variant(settings.LANGUAGE_CODE)
    codes = dict(settings.WAGTAIL_CONTENT_LANGUAGES)
    if language not in codes:
        raise LookupError(language)
    return language


def public_countries(language=None):
    """Public country pages in one content language (the default one unless given)."""
    pages = CountryPage.objects.filter(locale__language_code=content_language(language))
    return public_pages(pages)


def public_posts(language=None):
    """Public post pages in one content language (the default one unless given)."""
    pages = PostPage.objects.filter(locale__language_code=content_language(language))
    return public_pages(pages)


def _public_owner_posts():
    # Accounts and people belong to a post in any language; its own visibility counts.
    return public_pages(PostPage.objects.all())


def _live_snippets(queryset):
    return queryset.filter(live=True).filter(_not_expired(timezone.now()))


def public_people():
    """Live people; one serving at a post must serve at a public one."""
    return _live_snippets(Person.objects.all()).filter(
        Q(post__isnull=True) | Q(post__in=_public_owner_posts())
    )


def public_accounts():
    """Live accounts whose owner, a post or a person, is public."""
    return _live_snippets(SocialAccount.objects.all()).filter(
        Q(post__in=_public_owner_posts()) | Q(person__in=public_people())
    )


def public_platforms():
    """Platforms with at least one public account."""
    return Platform.objects.filter(Exists(public_accounts().filter(platform=OuterRef("pk"))))

"""A CDN in front of the atlas, purged through Wagtail's frontend cache (where configured).

Every public page shows figures of the whole atlas (counts, last change, the accounts of its
posts), so a change to public content purges every public page in every language, plus the
GraphQL endpoint; GraphQL GETs with other query strings age out with their short max-age. The
purge follows the publication generation: every bump (``generation_bumped``) purges once the
change is committed.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Site

from atlas_pages.publication import generation
from atlas_pages.publication.public_atlas import public_atlas


def configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_public_pages() -> None:
    batch = PurgeBatch()
    # Every language's pages. Read as the requests do: the generation was bumped just before
    # (bump() queues its commit callback first), so the next request reuses this read.
    batch.add_urls(public_atlas().public_urls())
    for site in Site.objects.all():
        batch.add_url(site.root_url + reverse("graphql"))
    batch.purge()


#: Whether this thread changed public content since its last purge (a transaction belongs to
#: one thread): of the callbacks that hundreds of changes in one transaction leave, the first
#: purges every public page and the others find nothing left to do.
_changed = threading.local()


def _purge_if_changed() -> None:
    if getattr(_changed, "since_purge", False):
        _changed.since_purge = False
        purge_public_pages()


def purge_after_commit(**kwargs: Any) -> None:
    """Purge once the change is committed (and only where a frontend cache is configured): the
    receiver of ``generation_bumped``."""
    if configured():
        _changed.since_purge = True
        transaction.on_commit(_purge_if_changed)


def connect_signals() -> None:
    """Purge after every new generation (called by AtlasPagesConfig.ready())."""
    generation.generation_bumped.connect(purge_after_commit, dispatch_uid="atlas_cdn_purge")

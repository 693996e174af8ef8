from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:  # the models cannot be imported before the app registry is ready
    from wagtail.models import Page


def keep_post_country_in_step(sender: type[Page], instance: Page, **kwargs: Any) -> None:
    """Wagtail saves a moved page as a plain Page, so PostPage.save() does not run on a move."""
    from atlas_pages.models import PostPage

    if issubclass(instance.specific_class, PostPage):
        post = PostPage.objects.get(pk=instance.pk)
        post.sync_country()
        PostPage.objects.filter(pk=post.pk).update(country=post.country)


class AtlasPagesConfig(AppConfig):
    name = "atlas_pages"
    verbose_name = "Atlas"

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from wagtail.signals import (
            copy_for_translation_done,
            page_published,
            post_page_move,
            published,
        )

        from atlas_pages.editorial import (
            checks,  # noqa: F401  (registers the system checks)
            moderation,
            notifications,
            permissions,
        )
        from atlas_pages.editorial.forms import CountryPageForm, PostPageForm
        from atlas_pages.editorial.translation import (
            on_page_published,
            on_snippet_copied_for_translation,
            on_snippet_published,
        )
        from atlas_pages.models import CountryPage, Person, PostPage
        from atlas_pages.outbound import activity
        from atlas_pages.publication import frontend_cache, generation

        # The admin's forms of a country and a post, given here as Wagtail's own admin app gives
        # Page its form (wagtail/admin/apps.py): the models do not import the admin.
        CountryPage.base_form_class = CountryPageForm
        PostPage.base_form_class = PostPageForm
        # Before wagtail_hooks.py registers the snippet viewsets, which would create the default
        # policy: Wagtail imports the hooks modules in wagtail.snippets' ready(), after this
        # app's (the first of INSTALLED_APPS).
        permissions.register_policies()
        moderation.connect_signals()
        notifications.connect_signals()
        post_page_move.connect(keep_post_country_in_step, dispatch_uid="atlas_post_country")
        page_published.connect(on_page_published, dispatch_uid="atlas_translation_sync")
        published.connect(on_snippet_published, dispatch_uid="atlas_snippet_translation_sync")
        copy_for_translation_done.connect(
            on_snippet_copied_for_translation, dispatch_uid="atlas_snippet_translation_draft"
        )
        generation.connect_signals()
        post_save.connect(activity.on_person_saved, sender=Person, dispatch_uid="atlas_consent")
        frontend_cache.connect_signals()

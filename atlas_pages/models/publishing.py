"""How the atlas's pages and snippets publish."""

from __future__ import annotations

from typing import Any

from django.db import transaction


class PublishedInOneTransaction:
    """A publish or an unpublish is one transaction. Wagtail's saves the object, its revision
    and its log entries and then sends its signal, and outside a transaction (the admin's
    publish button, a workflow's approval, a script) each of those committed on its own: a
    failure could leave half of it, and the publication generation saw two changes, so every
    process read the atlas twice per publish."""

    def publish(self, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 (Wagtail's result)
        with transaction.atomic():
            return super().publish(*args, **kwargs)

    def unpublish(self, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 (Wagtail's result)
        with transaction.atomic():
            return super().unpublish(*args, **kwargs)

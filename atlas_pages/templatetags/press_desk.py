"""Admin template helpers of the press desk: where an object in moderation belongs."""

from __future__ import annotations

from typing import Any

from django import template

from atlas_pages.editorial import moderation

register = template.Library()


@register.simple_tag
def desk_context(obj: Any) -> str:  # noqa: ANN401 (any object in moderation)
    """e.g. "X (Twitter) · Embassy in Tokyo · Japan"; empty for pages."""
    return moderation.context_line(obj)

"""System checks for the installation's configuration (run by `manage.py check`, `migrate`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Warning, register


@register()
def email_is_configured(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[Warning]:
    """Where e-mail is required (production), an SMTP host must be set: otherwise password
    resets and workflow notifications are lost."""
    if not settings.ATLAS_REQUIRE_EMAIL or settings.EMAIL_HOST:
        return []
    return [
        Warning(
            "E-mail is not configured: password reset and workflow notifications cannot be sent.",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
            "EMAIL_USE_TLS, DEFAULT_FROM_EMAIL, SERVER_EMAIL as needed); see README.md.",
            id="atlas.W001",
        )
    ]

"""manage.py ensure_demo_users: the three demo logins (administrator, editor, moderator)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

#: username, password, group (None: a superuser), name
DEMO_USERS = [
    ("admin", "atlas-admin-demo", None, "Demo Beheerder"),
    ("editor", "atlas-editor-demo", "Press editors", "Demo Redacteur"),
    ("moderator", "atlas-moderator-demo", "Press moderators", "Demo Eindredacteur"),
]


class Command(BaseCommand):
    help = (
        "Create (or repair) the demo logins: an administrator, an editor in 'Press editors' "
        "and a moderator in 'Press moderators', and print their passwords. Idempotent. "
        "Refuses to run with DEBUG off unless --force is given: no demo passwords in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (a demo or test installation only).",
        )

    @transaction.atomic
    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: refusing to create logins with published demo passwords. "
                "Use --force on a demo installation."
            )
        User = get_user_model()
        self.stdout.write("Demo logins (username, password, role):")
        for username, password, group_name, name in DEMO_USERS:
            first_name, last_name = name.split(" ", 1)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.org",
                    "first_name": first_name,
                    "last_name": last_name,
                },
            )
            superuser = group_name is None
            changed = created
            if user.is_superuser != superuser or user.is_staff != superuser or not user.is_active:
                user.is_superuser = user.is_staff = superuser
                user.is_active = True
                changed = True
            if not user.check_password(password):
                user.set_password(password)
                changed = True
            if changed:
                user.save()
            if group_name:
                user.groups.add(self.group(group_name))
            role = group_name or "superuser"
            state = "created" if created else ("updated" if changed else "unchanged")
            self.stdout.write(f"{username:<10} {password:<22} {role} ({state})")

    @staticmethod
    def group(name: str) -> Group:
        """A press group; they and their permissions come from migration atlas_pages 0002."""
        try:
            return Group.objects.get(name=name)
        except Group.DoesNotExist:
            raise CommandError(f"The group {name!r} is missing: run manage.py migrate.") from None

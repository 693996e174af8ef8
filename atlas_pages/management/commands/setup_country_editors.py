"""manage.py setup_country_editors: a press-editor group per country (or per region)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from wagtail.models import GroupPagePermission

from atlas_pages.models import CountryPage
from atlas_pages.rules.places import country_name

#: The group all press editors belong to; country groups take its rights, within a country.
EDITORS = "Press editors"


def group_name(place: str) -> str:
    return f"{EDITORS} – {place}"


class Command(BaseCommand):
    help = (
        "Create (or repair) the groups of press officers who edit one country or region: "
        "'Press editors – Japan' may do what 'Press editors' may, but only on the country's "
        "pages (every language) and the people and accounts of its posts. Without options, a "
        "group per country that has a page; --country limits that to the given ISO codes; "
        "--region NAME --country JP --country KR makes one group for those countries. "
        "Idempotent: a group's page permissions become exactly its countries'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--country",
            action="append",
            default=[],
            metavar="CODE",
            help="ISO 3166-1 alpha-2 code of a country (repeat for several).",
        )
        parser.add_argument(
            "--region",
            metavar="NAME",
            help="One group for all the --country codes, named after the region.",
        )

    @transaction.atomic
    def handle(self, *args: Any, country: list[str], region: str | None, **options: Any) -> None:
        codes = sorted({code.strip().upper() for code in country})
        if region is not None and not (region.strip() and codes):
            raise CommandError("--region needs a name and at least one --country.")
        try:
            editors = Group.objects.get(name=EDITORS)
        except Group.DoesNotExist:
            raise CommandError(
                f"The group {EDITORS!r} is missing: run manage.py migrate."
            ) from None
        page_permissions = list(
            GroupPagePermission.objects.filter(group=editors).values_list("permission", flat=True)
        )

        pages_by_code: dict[str, list[CountryPage]] = {}
        for page in CountryPage.objects.filter(**({"iso_code__in": codes} if codes else {})):
            pages_by_code.setdefault(str(page.iso_code), []).append(page)
        missing = [code for code in codes if code not in pages_by_code]
        if missing:
            raise CommandError(f"No country page for: {', '.join(missing)}.")

        if region is not None:
            places = {region.strip(): [p for code in codes for p in pages_by_code[code]]}
        else:
            places = {country_name(code, "en"): pages for code, pages in pages_by_code.items()}
        for place, pages in sorted(places.items()):
            group, created = Group.objects.get_or_create(name=group_name(place))
            group.permissions.add(*editors.permissions.all())
            wanted = {(page.pk, permission) for page in pages for permission in page_permissions}
            held = GroupPagePermission.objects.filter(group=group)
            held.exclude(
                pk__in=[p.pk for p in held if (p.page_id, p.permission_id) in wanted]
            ).delete()
            for page_id, permission_id in wanted:
                GroupPagePermission.objects.get_or_create(
                    group=group, page_id=page_id, permission_id=permission_id
                )
            state = "created" if created else "updated"
            self.stdout.write(f"{group.name}: {len(pages)} country page(s) ({state})")

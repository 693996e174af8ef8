"""Admin panels: the geo widget with Leaflet served by the project instead of a CDN, the
post's press desk and an account's upkeep. The page models name them
(atlas_pages.models.panels); the snippet viewsets use them (atlas_pages.editorial.viewsets)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from wagtail.admin.panels import FieldPanel, Panel
from wagtailgeowidget.panels import LeafletPanel
from wagtailgeowidget.widgets import LeafletField

from atlas_pages.editorial import upkeep
from atlas_pages.editorial.pressdesk import post_desk
from atlas_pages.models import AccountActivity, AccountIdentity, LinkCheck
from atlas_pages.rules import wikidata

#: The form field that keeps a pin at sea or abroad (editorial.forms.LocatedPageForm).
KEEP_LOCATION = "keep_location"


class LocalLeafletField(LeafletField):
    """wagtailgeowidget's widget with the project's own copy of Leaflet (see package.json)."""

    @cached_property
    def media(self) -> forms.Media:
        return forms.Media(
            css={"all": ("vendor/leaflet/leaflet.css", "wagtailgeowidget/css/leaflet-field.css")},
            js=(
                "vendor/leaflet/leaflet.js",
                "vendor/topojson-client/topojson-client.min.js",
                "atlas/js/admin-world-layer.js",
                "wagtailgeowidget/js/leaflet-field.js",
                "wagtailgeowidget/js/leaflet-field-controller.js",
                "atlas/js/admin-place-finder.js",
            ),
        )


class LocationPanel(LeafletPanel):
    """A point on a map, stored as the widget's text value (see LocatedMixin), with the offline
    place finder and its warnings (static/atlas/js/admin-place-finder.js), and, when the form
    found the pin at sea or abroad on save, the form's "Keep this location" box
    (editorial.forms.LocatedPageForm: a form-only field, claimed and rendered by this panel)."""

    class BoundPanel(LeafletPanel.BoundPanel):
        def render_html(self, parent_context: dict[str, Any] | None = None) -> SafeString:
            """The widget, and for the place finder: the country the point belongs in and its
            messages (and the zoom buttons' titles) in the editor's language."""
            code, name = _country(self.instance)
            settings = {
                "country": code,
                "placesUrl": reverse("atlas_places"),
                "help": gettext(
                    "Coordinates: latitude, then longitude, e.g. 35.66, 139.74. Typing a city "
                    "moves the pin (offline list of cities)."
                ),
                "atSea": gettext("The pin is at sea: check the location."),
                "outside": gettext("The pin is outside %(country)s: check the location.")
                % {"country": name},
                "notFound": gettext("“%(place)s” is not in the list of cities: move the pin."),
                # Leaflet's zoom buttons are titled in English only.
                "zoomIn": gettext("Zoom in"),
                "zoomOut": gettext("Zoom out"),
            }
            return format_html(
                "{}{}{}",
                super().render_html(parent_context),
                json_script(settings, "atlas-place-finder"),
                self.render_keep_location(),
            )

        def render_keep_location(self) -> str:
            """The box, once the form has found the pin at sea or abroad."""
            if KEEP_LOCATION not in self.form.fields or not getattr(
                self.form, "place_problem", None
            ):
                return ""
            return render_to_string(
                "atlas_pages/admin/keep_location.html",
                {"field": self.form[KEEP_LOCATION]},
                request=self.request,
            )

    def get_form_options(self) -> dict[str, Any]:
        """The location's field and widget, and the form's "Keep this location" box when it has
        one: claimed here, the box is left to this panel (Wagtail renders the fields no panel
        claims, bare, after the panels)."""
        options = super().get_form_options()
        form_class = getattr(self.model, "base_form_class", None)
        if KEEP_LOCATION in getattr(form_class, "declared_fields", {}):
            options["fields"] = [*options.get("fields", []), KEEP_LOCATION]
        return options

    def widget_overrides(self) -> dict[str, forms.Widget]:
        return {
            self.field_name: LocalLeafletField(
                address_field=self.address_field,
                zoom_field=self.zoom_field,
                hide_latlng=self.hide_latlng,
                zoom=self.zoom,
                srid=4326,
                id_prefix="id_",
            )
        }


def _country(page: Any) -> tuple[str, str]:  # noqa: ANN401 (a CountryPage or a PostPage)
    """The ISO code and name of the country the page's point should lie in, when known."""
    if getattr(page, "iso_code", ""):
        return str(page.iso_code), page.title
    country = getattr(page, "country", None)
    return (str(country.iso_code), country.title) if country else ("", "")


class PostDeskPanel(Panel):
    """The post's accounts and people with their editorial state, and links to add one with
    the post already chosen: the post's edit page as the editor's home."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "atlas_pages/admin/post_desk_panel.html"

        def get_context_data(self, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            if self.instance.pk:
                context.update(post_desk(self.instance))
            return context


class AccountUpkeepPanel(Panel):
    """An account's review (when, by whom, and the "mark reviewed" action), its latest link
    check and what fetching its activity last found: read-only bookkeeping beside the form,
    not part of the account's content."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "atlas_pages/admin/account_upkeep_panel.html"

        def get_context_data(self, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            account = self.instance
            if account.pk:
                context["link_check"] = (
                    LinkCheck.objects.filter(account_id=account.pk)
                    .select_related("account__platform")
                    .first()
                )
                context["mark_reviewed_url"] = upkeep.mark_reviewed_url(
                    account, self.request.get_full_path()
                )
                context["review_due"] = upkeep.is_due(account)
                context["activity"] = AccountActivity.objects.filter(account_id=account.pk).first()
                context["identity"] = AccountIdentity.objects.filter(account_id=account.pk).first()
            return context


class WikidataPanel(FieldPanel):
    """A Wikidata id, with a link to its item when it has one."""

    class BoundPanel(FieldPanel.BoundPanel):
        def render_html(self, parent_context: dict[str, Any] | None = None) -> SafeString:
            qid = self.instance.wikidata_id if self.instance else ""
            if not wikidata.is_qid(qid):
                return super().render_html(parent_context)
            return format_html(
                '{}<p class="help"><a href="{}" target="_blank" rel="noopener">{}</a></p>',
                super().render_html(parent_context),
                wikidata.item_url(qid),
                gettext("Open %(qid)s on Wikidata") % {"qid": qid},
            )

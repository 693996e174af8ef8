"""The geo widget's Leaflet panel, with Leaflet served by the project instead of a CDN."""

from django import forms
from django.utils.functional import cached_property
from wagtailgeowidget.panels import LeafletPanel
from wagtailgeowidget.widgets import LeafletField


class LocalLeafletField(LeafletField):
    """wagtailgeowidget's widget with the project's own copy of Leaflet (see package.json)."""

    @cached_property
    def media(self):
        return forms.Media(
            css={"all": ("vendor/leaflet/leaflet.css", "wagtailgeowidget/css/leaflet-field.css")},
            js=(
                "vendor/leaflet/leaflet.js",
                "vendor/topojson-client/topojson-client.min.js",
                "atlas/js/admin-world-layer.js",
                "wagtailgeowidget/js/leaflet-field.js",
                "wagtailgeowidget/js/leaflet-field-controller.js",
            ),
        )


class LocationPanel(LeafletPanel):
    """A point on a map, stored as the widget's text value (see LocatedMixin)."""

    def widget_overrides(self):
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

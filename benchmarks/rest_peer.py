"""The peer a front-end developer would otherwise pick: Wagtail's REST API v2 serving the same
countries, posts, accounts and people, mounted only in the benchmarks' settings.

Two versions: as Wagtail's docs show it (``api_fields`` with DRF serializers for the related
accounts and people), and tuned (the same, with ``select_related``/``prefetch_related`` and only
live accounts and people). The docs-style peer, like the docs, knows nothing of the atlas's
publication rule (a draft account of a live post is listed); neither peer matches accounts
across languages. ``benchmarks/compare_peer.py`` times them against our uncached API.
"""

from django.db.models import Prefetch
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Locale

from atlas_pages.models import CountryPage, Person, PostPage, SocialAccount


class AccountSerializer(serializers.ModelSerializer):
    platform = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = SocialAccount
        fields = ["id", "handle", "url", "display_name", "language", "platform"]


class PersonSerializer(serializers.ModelSerializer):
    accounts = AccountSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "role", "job_title", "accounts"]


# The docs' way: the fields an API consumer needs, declared on the page models.
CountryPage.api_fields = [APIField("iso_code"), APIField("lat"), APIField("lng")]
PostPage.api_fields = [
    APIField("kind"),
    APIField("city"),
    APIField("lat"),
    APIField("lng"),
    APIField("accounts", serializer=AccountSerializer(many=True, read_only=True)),
    APIField("people", serializer=PersonSerializer(many=True, read_only=True)),
]


class TunedPagesAPIViewSet(PagesAPIViewSet):
    """The same endpoint with its relations loaded in a constant number of queries."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.model is not PostPage:
            return queryset
        accounts = SocialAccount.objects.filter(live=True).select_related("platform")
        return queryset.prefetch_related(
            Prefetch("accounts", queryset=accounts),
            Prefetch(
                "people",
                # A person once, not once per translation (translations hang on the post too).
                queryset=Person.objects.filter(
                    live=True, locale=Locale.get_default()
                ).prefetch_related(Prefetch("accounts", queryset=accounts)),
            ),
        )


docs_router = WagtailAPIRouter("peer_docs")
docs_router.register_endpoint("pages", PagesAPIViewSet)
tuned_router = WagtailAPIRouter("peer_tuned")
tuned_router.register_endpoint("pages", TunedPagesAPIViewSet)

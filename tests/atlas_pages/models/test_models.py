"""The content model: tree rules, validation messages, derived fields."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from atlas_pages.models import AtlasPage, CountryPage, Person, PostPage, SocialAccount
from atlas_pages.rules.places import format_point
from tests.factories import make_account, make_country, make_person, platform

pytestmark = pytest.mark.django_db


class TestTreeRules:
    def test_atlas_only_under_the_root(self, atlas, japan):
        assert AtlasPage.can_create_at(Page.get_first_root_node()) is True
        assert AtlasPage.can_create_at(atlas) is False
        assert AtlasPage.can_create_at(japan) is False

    def test_one_atlas_per_content_language(self, atlas):
        root = Page.get_first_root_node()
        root.add_child(instance=AtlasPage(title="Second", slug="second"))
        assert AtlasPage.can_create_at(root) is False

    def test_countries_only_under_the_atlas(self, atlas, japan, tokyo):
        assert CountryPage.can_create_at(atlas) is True
        assert CountryPage.can_create_at(Page.get_first_root_node()) is False
        assert CountryPage.can_create_at(japan) is False
        assert CountryPage.can_create_at(tokyo) is False

    def test_posts_only_under_countries_and_without_children(self, atlas, japan, tokyo):
        assert PostPage.can_create_at(japan) is True
        assert PostPage.can_create_at(atlas) is False
        assert PostPage.can_create_at(tokyo) is False
        assert CountryPage.can_create_at(tokyo) is False


class TestCountryPage:
    def test_unknown_iso_code_is_rejected(self, atlas):
        country = CountryPage(title="Atlantis", iso_code="QQ")
        with pytest.raises(ValidationError) as error:
            country.full_clean(exclude=["path", "depth"])
        assert "iso_code" in error.value.message_dict

    def test_a_country_cannot_have_two_pages(self, atlas, japan):
        twin = CountryPage(title="Japan again", slug="japan-again", iso_code="JP")
        twin.locale = atlas.locale
        with pytest.raises(ValidationError) as error:
            twin.full_clean(exclude=["path", "depth"])
        assert error.value.message_dict["iso_code"] == ["The country JP already has a page."]

    def test_coordinates_are_derived_from_the_widget_value(self, japan):
        japan.location = "SRID=4326;POINT(139.5 35.25)"
        japan.save()
        japan.refresh_from_db()
        assert (japan.lat, japan.lng) == (35.25, 139.5)
        japan.location = ""
        japan.save()
        japan.refresh_from_db()
        assert (japan.lat, japan.lng) == (None, None)

    def test_a_malformed_location_is_a_validation_error(self, japan):
        japan.location = "somewhere near Tokyo"
        with pytest.raises(ValidationError) as error:
            japan.full_clean()
        assert "location" in error.value.message_dict


class TestPostPage:
    def test_the_country_follows_the_tree(self, atlas, japan, tokyo):
        assert tokyo.country == japan
        canada = make_country(atlas, "CA", title="Canada")
        tokyo.move(canada, pos="last-child")
        tokyo.refresh_from_db()
        assert tokyo.country_id == canada.pk

    def test_typed_coordinates(self, tokyo):
        assert (tokyo.lat, tokyo.lng) == (35.66, 139.74)


class TestSocialAccount:
    def test_handle_and_normalised_url_are_derived(self, tokyo):
        account = make_account("https://www.Twitter.com/NLinJapan/?lang=en#top", post=tokyo)
        assert account.handle == "NLinJapan"
        assert account.normalized_url == "x.com/nlinjapan"
        assert account.kind == SocialAccount.Kind.ORGANISATION

    def test_url_must_belong_to_the_platform(self, tokyo):
        account = SocialAccount(
            platform=platform("facebook"), url="https://example.org/NLinJapan", post=tokyo
        )
        with pytest.raises(ValidationError) as error:
            account.full_clean()
        assert error.value.message_dict["url"] == [
            "The URL's host example.org does not belong to this platform (facebook.com, fb.com)."
        ]

    def test_the_same_profile_cannot_be_registered_twice(self, tokyo):
        make_account("https://x.com/NLinJapan", post=tokyo)
        twin = SocialAccount(
            platform=platform("twitter"), url="http://mobile.twitter.com/nlinjapan/", post=tokyo
        )
        with pytest.raises(ValidationError) as error:
            twin.full_clean()
        [message] = error.value.message_dict["url"]
        assert message.startswith("This profile is already registered: X (Twitter): NLinJapan, of")

    def test_exactly_one_owner(self, tokyo):
        person = make_person(post=tokyo)
        for owners in ({}, {"post": tokyo, "person": person}):
            account = SocialAccount(platform=platform("twitter"), url="https://x.com/a", **owners)
            with pytest.raises(ValidationError) as error:
                account.full_clean()
            assert error.value.message_dict["post"] == [
                "Choose exactly one owner: a post or a person, not both."
            ]

    def test_personal_account(self, tokyo):
        person = make_person(post=tokyo)
        account = make_account("https://bsky.app/profile/jane.example", person=person)
        assert account.kind == SocialAccount.Kind.PERSONAL
        assert account.owning_post == tokyo
        assert account.country_name == "Japan"
        assert account.handle == "jane.example"

    def test_platform_without_hosts_accepts_any_host(self, tokyo):
        account = make_account(
            "https://blog.example.org/embassy-tokyo/", post=tokyo, platform_slug="blog"
        )
        assert account.normalized_url == "blog.example.org/embassy-tokyo"

    def test_language_must_be_a_language_tag(self, tokyo):
        account = SocialAccount(
            platform=platform("twitter"), url="https://x.com/a", post=tokyo, language="Dutch!"
        )
        with pytest.raises(ValidationError) as error:
            account.full_clean()
        assert "language" in error.value.message_dict


def test_person_roles_and_str(tokyo):
    person = make_person(name="A. Example", role=Person.Role.CONSUL_GENERAL, post=tokyo)
    assert str(person) == "A. Example"
    assert person.get_role_display() == "Consul-general"


def test_format_point_round_trip(tokyo):
    tokyo.location = format_point(-33.87, 151.21)
    tokyo.save()
    assert (tokyo.lat, tokyo.lng) == (-33.87, 151.21)


def test_a_withdrawal_of_consent_is_stored_on_every_translation_and_announced(tokyo):
    """The models announce it (public_content_changed); the publication layer acts on it."""
    from datetime import date

    from atlas_pages.models import withdraw_consent
    from atlas_pages.models.signals import public_content_changed

    person = make_person(name="Jane Example", post=tokyo, consent_given_at=date(2024, 1, 1))
    announced = []

    def listener(sender, **kwargs):
        announced.append(sender)

    public_content_changed.connect(listener)
    try:
        person.consent_withdrawn_at = date(2024, 2, 1)
        withdraw_consent(person)
    finally:
        public_content_changed.disconnect(listener)
    assert announced == [Person]
    assert Person.objects.get(pk=person.pk).consent_withdrawn_at == date(2024, 2, 1)

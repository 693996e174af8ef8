"""A person's job title is translated the Wagtail way: a translation of the person per locale."""

import json
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from atlas_pages.models import Person, SocialAccount
from atlas_pages.publication import public_atlas, records
from tests.factories import make_person, make_user, translate, translate_person

pytestmark = pytest.mark.django_db


def job_title_by_api(client, person, locale):
    query = "query ($id: ID!, $l: String) { person(id: $id, locale: $l) { jobTitle } }"
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": {"id": str(person.pk), "l": locale}}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["data"]["person"]["jobTitle"]


@pytest.fixture
def en_tokyo(japan, tokyo):
    translate(japan, "Japan")
    return translate(tokyo, "Embassy in Tokyo", slug="embassy-in-tokyo")


def test_the_live_english_translation_gives_the_english_title(client, tokyo, en_tokyo):
    person = make_person(
        post=tokyo, job_title="Ambassadeur in Japan", job_titles={"en": "Ambassador to Japan"}
    )

    assert job_title_by_api(client, person, "en") == "Ambassador to Japan"
    assert job_title_by_api(client, person, "nl") == "Ambassadeur in Japan"
    english_page = client.get(en_tokyo.url).content.decode()
    assert "Ambassador to Japan" in english_page and "Ambassadeur in Japan" not in english_page
    assert "Ambassadeur in Japan" in client.get(tokyo.url).content.decode()
    # One person, not one per language.
    assert [p.id for p in public_atlas.load("en").people] == [person.pk]


def test_a_draft_translation_is_not_used(client, tokyo, en_tokyo):
    person = make_person(post=tokyo, job_title="Ambassadeur in Japan")
    translate_person(person, "Draft Ambassador", live=False)

    assert job_title_by_api(client, person, "en") == "Ambassadeur in Japan"
    assert "Draft Ambassador" not in client.get(en_tokyo.url).content.decode()
    assert public_atlas.load("en").person(person.pk).job_title == "Ambassadeur in Japan"


def test_publishing_keeps_the_facts_of_a_person_equal_across_translations(tokyo):
    person = make_person(post=tokyo, job_titles={"en": "Ambassador"})
    english = person.get_translation(Locale.objects.get(language_code="en"))

    person.name, person.role, person.post = "Jane Renamed", Person.Role.CONSUL, None
    person.save_revision().publish()
    english.refresh_from_db()
    assert (english.name, english.role, english.post, english.job_title) == (
        "Jane Renamed",
        Person.Role.CONSUL,
        None,
        "Ambassador",
    )

    # A translation's stale facts lose to the person's when it is published.
    english.name = "Stale Name"
    english.save_revision().publish()
    english.refresh_from_db()
    assert english.name == "Jane Renamed"


def test_a_third_language_needs_no_code_change(settings):
    languages = [("nl", "Nederlands"), ("en", "English"), ("fr", "Français")]
    settings.LANGUAGES = settings.WAGTAIL_CONTENT_LANGUAGES = languages
    Locale.objects.create(language_code="fr")
    minister = make_person(
        name="Minister Example",
        role=Person.Role.MINISTER,
        job_title="Minister van Buitenlandse Zaken",
        job_titles={"en": "Minister of Foreign Affairs", "fr": "Ministre des Affaires étrangères"},
    )

    titles = {code: public_atlas.load(code).person(minister.pk).job_title for code, _ in languages}

    assert titles == {
        "nl": "Minister van Buitenlandse Zaken",
        "en": "Minister of Foreign Affairs",
        "fr": "Ministre des Affaires étrangères",
    }


def test_admin_people_list_and_account_form_take_the_default_language(client, atlas):
    person = make_person(name="Jane Example", job_titles={"en": "Ambassador"})
    english = person.get_translation(Locale.objects.get(language_code="en"))
    client.force_login(make_user("admin", is_superuser=True, is_staff=True))
    list_url = reverse(Person.snippet_viewset.get_url_name("list"))

    def listed(url):
        page = client.get(url).content.decode()
        return {
            p.pk
            for p in (person, english)
            if reverse(Person.snippet_viewset.get_url_name("edit"), args=(p.pk,)) in page
        }

    assert listed(list_url) == {person.pk}
    assert listed(list_url + "?locale=en") == {english.pk}

    # Accounts belong to the person: neither the person chooser nor the account form offers a
    # translation.
    chooser = Person.snippet_viewset.chooser_viewset
    results = client.get(reverse(chooser.get_url_name("choose_results"))).content.decode()
    chosen = [reverse(chooser.get_url_name("chosen"), args=(p.pk,)) for p in (person, english)]
    assert chosen[0] in results and chosen[1] not in results
    form_class = SocialAccount.snippet_viewset.get_edit_handler().get_form_class()
    assert list(form_class().fields["person"].queryset) == [person]


def test_migration_turns_english_job_titles_into_live_translations(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("atlas_pages", "0005_platform_profile_shape")]
    after = [("atlas_pages", "0008_person_translatable")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldPerson = old.get_model("atlas_pages", "Person")
    bilingual = OldPerson.objects.create(
        name="Jane", job_title="Ambassadeur", job_title_en="Ambassador", live=True
    )
    dutch_only = OldPerson.objects.create(name="Piet", job_title="Consul", live=False)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    NewPerson = new.get_model("atlas_pages", "Person")

    jane = NewPerson.objects.get(pk=bilingual.pk)
    assert jane.locale.language_code == "nl" and jane.job_title == "Ambassadeur"
    english = NewPerson.objects.exclude(pk__in=[bilingual.pk, dutch_only.pk]).get()
    assert (english.locale.language_code, english.job_title, english.name, english.live) == (
        "en",
        "Ambassador",
        "Jane",
        True,
    )
    assert english.translation_key == jane.translation_key
    piet = NewPerson.objects.get(pk=dutch_only.pk)
    assert piet.translation_key not in (None, jane.translation_key)
    assert NewPerson.objects.filter(translation_key=piet.translation_key).count() == 1

    # And back: the English title returns to its person, the translation goes.
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    assert list(OldPerson.objects.order_by("pk").values_list("name", "job_title_en")) == [
        ("Jane", "Ambassador"),
        ("Piet", ""),
    ]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("atlas_pages"))


def test_editors_translate_a_person_with_the_translate_action(client, atlas):
    person = make_person(job_title="Ambassadeur in Japan")
    english = Locale.objects.get(language_code="en")
    client.force_login(make_user("admin", is_superuser=True, is_staff=True))

    url = reverse(
        "simple_translation:submit_snippet_translation", args=("atlas_pages", "person", person.pk)
    )
    response = client.post(url, {"locales": [english.pk]})

    assert response.status_code == 302
    translation = person.get_translation(english)
    assert (translation.name, translation.translation_key) == (person.name, person.translation_key)
    # A draft until the translator publishes it, as a page's translation is.
    assert not translation.live and translation.live_revision is None
    assert public_atlas.load("en").person(person.pk).job_title == "Ambassadeur in Japan"
    edit_url = reverse(Person.snippet_viewset.get_url_name("edit"), args=(translation.pk,))
    assert client.get(edit_url).status_code == 200
    # The translator edits the English job title and publishes it.
    translation.job_title = "Ambassador to Japan"
    translation.save_revision().publish()
    assert public_atlas.load("en").person(person.pk).job_title == "Ambassador to Japan"


def test_search_finds_a_person_by_a_translated_title_once(atlas):
    person = make_person(job_title="Ambassadeur in Japan", job_titles={"en": "Ambassador"})

    def people_found(query):
        hits = public_atlas.load("en").search(query, limit=10)
        return [hit.id for hit in hits if isinstance(hit, records.Person)]

    assert people_found("Ambassador") == [person.pk]  # only the translation's row has it
    assert people_found("Ambassador Ambassadeur") == [person.pk]


def test_migration_turns_the_opt_in_into_a_consent_date_and_accounts_speak_for_someone(
    transactional_db,
):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("atlas_pages", "0009_review_and_link_health")]
    after = [("atlas_pages", "0010_consent_speaks_for_status")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldPerson = old.get_model("atlas_pages", "Person")
    OldAccount = old.get_model("atlas_pages", "SocialAccount")
    OldRevision = old.get_model("wagtailcore", "Revision")
    platform = old.get_model("atlas_pages", "Platform").objects.create(slug="zork", name="Zork")
    dutch, _ = old.get_model("wagtailcore", "Locale").objects.get_or_create(language_code="nl")
    piet, jane = (
        OldPerson.objects.create(
            name=name, role=role, personal_opt_in=opt_in, locale=dutch, translation_key=uuid4()
        )
        for name, role, opt_in in (("Piet", "employee", True), ("Jane", "ambassador", False))
    )
    for number, person in enumerate((piet, jane)):
        OldAccount.objects.create(
            platform=platform,
            url=f"https://x.com/a{number}",
            normalized_url=f"x.com/a{number}",
            handle=f"a{number}",
            person=person,
        )
    person_type = ContentType.objects.get(app_label="atlas_pages", model="person")
    OldRevision.objects.create(
        content_type_id=person_type.pk,
        base_content_type_id=person_type.pk,
        object_id=str(piet.pk),
        content={"name": "Piet", "personal_opt_in": True},
        created_at=timezone.now(),
        object_str="Piet",
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    NewPerson = new.get_model("atlas_pages", "Person")
    assert NewPerson.objects.get(pk=piet.pk).consent_given_at == timezone.localdate()
    assert NewPerson.objects.get(pk=jane.pk).consent_given_at is None
    NewAccount = new.get_model("atlas_pages", "SocialAccount")
    speaks = NewAccount.objects.values_list("handle", "speaks_for")
    assert sorted(speaks) == [("a0", "person"), ("a1", "office")]
    content = new.get_model("wagtailcore", "Revision").objects.get(object_id=str(piet.pk)).content
    assert content["consent_given_at"] == timezone.localdate().isoformat()
    assert "personal_opt_in" not in content

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    assert sorted(OldPerson.objects.values_list("name", "personal_opt_in")) == [
        ("Jane", False),
        ("Piet", True),
    ]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("atlas_pages"))

"""A page's version (atlas_pages.publication.page_versions) is the same in two generations only
if the page renders the same in both: every country and post page, in both languages, is
rendered before and after each kind of change, and a kept version must mean the same body. The
changes also show that a page elsewhere keeps its version (what the response cache relies on).

After each change the atlas a process builds from its previous one (taking over the groups whose
rows did not change, public_atlas._build) must be the atlas built anew from the rows."""

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from atlas_pages.editorial.confirmed_none import set_confirmed_none
from atlas_pages.models import Person, SocialAccount, withdraw_consent
from atlas_pages.models import end_term as models_end_term
from atlas_pages.publication import page_versions
from atlas_pages.publication import public_atlas as read_model
from atlas_pages.publication.public_atlas import public_atlas
from atlas_pages.templatetags import atlas_tags
from tests.factories import (
    make_account,
    make_country,
    make_person,
    make_post,
    make_user,
    platform,
    translate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(atlas, japan, tokyo, settings):
    """Japan (Tokyo, in Dutch and English) and Canada (Ottawa, in Dutch), with accounts and
    people; pages rendered without the response cache."""
    settings.ATLAS_RESPONSE_CACHE = False
    canada = make_country(atlas, "CA", title="Canada", lat=56.1, lng=-106.3)
    ottawa = make_post(canada, title="Embassy in Ottawa", city="Ottawa", lat=45.4, lng=-75.7)
    make_account("https://x.com/NLinJapan", post=tokyo)
    ambassador = make_person(
        "Jan de Vries", post=ottawa, consent_given_at=timezone.localdate() - timedelta(days=9)
    )
    make_account("https://x.com/JandeVries", person=ambassador, speaks_for="person")
    make_account("https://x.com/NLinCanada", post=ottawa)
    translate(japan, title="Japan")
    translate(tokyo, title="Embassy in Tokyo (en)")
    return {"japan": japan, "tokyo": tokyo, "canada": canada, "ottawa": ottawa}


def rendered(client) -> dict[str, tuple[str | None, bytes | int]]:
    """Every country and post page in every language: its URL -> (version, body), the body a
    status when it is not a 200."""
    pages = {}
    for language in ("nl", "en"):
        atlas = public_atlas(language)
        for kind, records in (("country", atlas.countries), ("post", atlas.posts)):
            for record in records:
                response = client.get(record.url)
                body = response.content if response.status_code == 200 else response.status_code
                pages[record.url] = (atlas.page_version(kind, record.id), body)
    return pages


def facts(atlas) -> tuple:
    """Everything an atlas answers with, in its order: each record with what it owns (and the
    records it names by id, name and URL), the lookups, the platforms' counts, the figures."""
    expanded = page_versions._expanded
    figures = [
        getattr(atlas.figures, field.name)
        for field in dataclasses.fields(atlas.figures)
        if field.name != "coverage_of"
    ]
    return (
        [expanded(country) for country in atlas.countries],
        [expanded(record.completeness) for record in (*atlas.countries, *atlas.posts)],
        [[expanded(cell) for cell in post.coverage] for post in atlas.posts],
        [[post.id for post in country.posts] for country in atlas.countries],
        [expanded(post) for post in atlas.posts],
        [expanded(person) for person in atlas.people],
        [expanded(account) for account in atlas.accounts],
        [expanded(account) for account in atlas._former_by_id.values()],
        [(platform.id, platform.account_count) for platform in atlas.platforms],
        [person.id for person in atlas.leadership],
        [(url, account.id) for url, account in sorted(atlas._accounts_by_url.items())],
        [
            (key, [account.id for account in found])
            for key, found in sorted(atlas._accounts_by_handle.items())
        ],
        sorted(atlas._new_url_keys.items()),
        sorted((key, account.id) for key, account in atlas._accounts_by_id.items()),
        sorted((key, person.id) for key, person in atlas._people_by_id.items()),
        [platform.id for platform in atlas.group_platforms],
        sorted(atlas._person_ids.items()),
        figures,
        page_versions._links(atlas.home_links),
    )


def assert_built_anew_the_same():
    """The atlas of every language that this process built from its previous one is the one
    built from the rows anew."""
    rows = read_model._Rows.read()
    public_atlas()
    assert read_model._loaded["rows"].groups == rows.groups  # read again in part, or whole
    for language in ("nl", "en"):
        taken_over = public_atlas(language)
        assert facts(taken_over) == facts(read_model._build(language, rows))


def changed(client, change) -> set[str]:
    """The URLs whose version changed with ``change``; fails if any page kept its version but
    renders differently, if a country page's post summaries kept by their posts' versions
    differ from those rendered anew, or if the atlas taken over from the previous one differs
    from the one built anew."""
    before = rendered(client)
    change()
    after = rendered(client)
    assert_built_anew_the_same()
    atlas_tags.forget_summaries()  # a post's summary kept by its version renders the same
    assert rendered(client) == after
    for url, (version, body) in after.items():
        if url in before and before[url][0] == version:
            assert before[url][1] == body, f"{url} kept its version but renders differently"
    return {url for url in before if after.get(url, (None,))[0] != before[url][0]}


def urls(*pages) -> set[str]:
    return {page.specific.url for page in pages}


def publish(page, **fields):
    page = page.specific
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_an_account_published_at_a_post_changes_only_its_post_and_country(client, world):
    ottawa, canada = world["ottawa"], world["canada"]
    found = changed(client, lambda: make_account("https://facebook.com/NLinCanada", post=ottawa))
    assert found == urls(ottawa, canada)


def test_a_renamed_post_changes_its_pages_and_its_country_s(client, world):
    tokyo = world["tokyo"]
    found = changed(client, lambda: publish(tokyo, title="Embassy of the Netherlands in Tokyo"))
    assert urls(tokyo, world["japan"]) <= found
    assert not found & urls(world["ottawa"], world["canada"])


def test_a_withdrawn_consent_changes_where_the_personal_account_was_listed(client, world):
    person = Person.objects.get(name="Jan de Vries")

    def withdraw():
        person.consent_withdrawn_at = timezone.localdate()
        withdraw_consent(person)

    found = changed(client, withdraw)
    assert urls(world["ottawa"], world["canada"]) <= found
    assert not found & urls(world["tokyo"])


def test_a_translation_changes_the_language_links_of_its_page(client, world):
    ottawa = world["ottawa"]
    found = changed(client, lambda: translate(ottawa, title="Embassy in Ottawa (en)"))
    assert urls(ottawa) <= found  # the Dutch page now links to the English one
    assert not found & urls(world["tokyo"], world["japan"])


def test_a_post_made_private_and_a_confirmed_none_change_their_country(client, world):
    tokyo = world["tokyo"]
    found = changed(
        client, lambda: PageViewRestriction.objects.create(page=tokyo, restriction_type="login")
    )
    assert urls(world["japan"]) <= found
    found = changed(
        client,
        lambda: set_confirmed_none(world["ottawa"], platform("instagram"), make_user("checker")),
    )
    assert urls(world["ottawa"], world["canada"]) <= found


def test_the_first_account_on_a_platform_and_an_ended_term(client, world):
    # Every post's cells count every platform; an account on one changes its own post's.
    changed(client, lambda: make_account("https://www.youtube.com/@NLinJapan", post=world["tokyo"]))
    person = Person.objects.get(name="Jan de Vries")

    def end_term():
        person.term_end = timezone.localdate()
        models_end_term(person)

    assert urls(world["ottawa"], world["canada"]) <= changed(client, end_term)


def test_the_atlas_taken_over_is_the_one_built_anew_after_moves_renames_and_removals(client, world):
    """Changes that touch two groups, every group (a platform's name: the rows' basis) or a
    group's place (a country's slug), and removals: each compared with the atlas built anew by
    ``changed``."""
    from atlas_pages.models import Platform
    from atlas_pages.publication import generation

    ottawa, japan, canada = world["ottawa"], world["japan"], world["canada"]
    account = SocialAccount.objects.get(url="https://x.com/NLinJapan")

    def move_account():
        account.post = ottawa.specific
        account.save()

    assert urls(ottawa, canada, world["tokyo"], japan) <= changed(client, move_account)

    def rename_platform():
        Platform.objects.filter(pk=account.platform_id).update(name="X (formerly Twitter)")
        generation.bump()

    assert urls(ottawa) <= changed(client, rename_platform)
    assert urls(ottawa) <= changed(client, lambda: publish(canada, slug="kanada"))
    assert urls(japan) <= changed(client, lambda: japan.specific.unpublish())
    deleted = changed(client, lambda: SocialAccount.objects.get(pk=account.pk).delete())
    assert "/nl/kanada/embassy-in-ottawa/" in deleted


def test_a_post_moved_to_another_country_in_one_language_only(client, world):
    """Its rows in both languages join the two countries' groups: a person at the post is
    listed under its translation too (the leak histories found this one)."""
    from atlas_pages.models import PostPage

    tokyo, canada = world["tokyo"], world["canada"]
    make_person("Anna Jansen", post=tokyo)
    canada_en = translate(canada, title="Canada")
    tokyo_en = PostPage.objects.get(
        translation_key=tokyo.translation_key, locale__language_code="en"
    )
    changed(client, lambda: tokyo_en.move(canada_en, pos="last-child"))
    english = public_atlas("en").post(tokyo_en.pk)
    assert [person.name for person in english.people] == ["Anna Jansen"]


def test_the_lookups_taken_over_after_renames_onto_one_address_and_a_platform_s_last_account(
    client, world
):
    """The lookups (address, handle, id) patched from the previous generation's are those built
    anew, also when a new address is another account's, a handle is two accounts' on a
    federated platform, and a platform loses its last account."""
    tokyo, ottawa = world["tokyo"], world["ottawa"]
    in_japan = make_account("https://mastodon.example/@nederland", tokyo, platform_slug="mastodon")
    changed(
        client, lambda: make_account("https://social.example/@Nederland", ottawa, None, "mastodon")
    )
    assert [a.id for a in public_atlas().accounts_for_handle("mastodon", "nederland")][0] == (
        in_japan.id
    )
    japan_x = SocialAccount.objects.get(url="https://x.com/NLinJapan")
    canada_x = SocialAccount.objects.get(url="https://x.com/NLinCanada")

    def rename(account, new_url):
        def change():
            account.status, account.new_url = SocialAccount.Status.RENAMED, new_url
            account.status_since = timezone.localdate()
            account.save()

        return change

    changed(client, rename(japan_x, "https://x.com/NetherlandsInJapan"))
    assert public_atlas().account_for_url("https://x.com/netherlandsinjapan").id == japan_x.id
    # Canada's new address is Japan's new one (an editor's slip): the first account in the
    # atlas's order has it (NLinCanada), and the other once it is gone.
    changed(client, rename(canada_x, "https://x.com/NetherlandsInJapan"))
    assert public_atlas().account_for_url("https://x.com/netherlandsinjapan").id == canada_x.id
    changed(client, lambda: SocialAccount.objects.get(pk=canada_x.pk).delete())
    assert public_atlas().account_for_url("https://x.com/netherlandsinjapan").id == japan_x.id
    # A platform's last public account goes; a live one that is not public stays (the rows'
    # basis, their platforms, is the same: the lookups are patched).
    no_consent = make_person("Piet Smit", post=ottawa)
    make_account("https://www.youtube.com/@PietSmit", person=no_consent, speaks_for="person")
    youtube = make_account("https://www.youtube.com/@NLinCanada", post=ottawa)
    changed(client, lambda: SocialAccount.objects.get(pk=youtube.pk).delete())
    assert "youtube" not in [platform.slug for platform in public_atlas().platforms]


def test_the_post_summaries_kept_are_bounded(client, world, monkeypatch):
    """The least recently used summaries go once the budget is spent."""
    monkeypatch.setattr(atlas_tags, "MAX_SUMMARY_CHARACTERS", 1)
    rendered(client)
    assert len(atlas_tags._summaries) <= 1
    assert atlas_tags._kept["characters"] == sum(map(len, atlas_tags._summaries.values()))


def test_a_post_summary_rendered_in_one_process_is_taken_by_another(client, world, monkeypatch):
    """A process rendering a country's page for the first time (a generation's builder, a
    recycled worker) takes the summaries of its posts that another process rendered."""
    first = rendered(client)
    with atlas_tags._summaries_lock:  # another process: none kept here
        atlas_tags._summaries.clear()
    summaries = []
    render_to_string = atlas_tags.render_to_string

    def counted(template_name, context):
        summaries.append(context["post"].id)
        return render_to_string(template_name, context)

    monkeypatch.setattr(atlas_tags, "render_to_string", counted)
    assert rendered(client) == first
    assert summaries == []
    atlas_tags.forget_summaries()  # here and shared: every summary is rendered again
    assert rendered(client) == first
    posts = [post.id for language in ("nl", "en") for post in public_atlas(language).posts]
    assert sorted(summaries) == sorted(posts)

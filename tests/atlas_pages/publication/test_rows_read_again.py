"""After a publish, the process that reads the new generation's rows reads only the rows the
publish changed (generation.Changed) and takes the others from the previous generation's shared
rows (public_atlas._Rows.updated); a bump that does not say what it changed reads everything.
Either way the rows are those of a read of everything."""

import pytest

from atlas_pages.models import CountryPage, Person, Platform, SocialAccount
from atlas_pages.publication import generation, shared_cache
from atlas_pages.publication import public_atlas as read_model
from tests.factories import make_account, make_country, make_person, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(tokyo):
    """Tokyo with an account and a person; generation N's rows read and shared."""
    make_account("https://x.com/NLinJapan", post=tokyo)
    make_person("Anna Jansen", post=tokyo)
    read_model.public_atlases()
    return tokyo


def rows_of_another_process(django_assert_num_queries, queries: int) -> read_model._Rows:
    token = generation.current()
    read_model.forget()
    with django_assert_num_queries(queries):
        rows = read_model._rows_of(token)
    assert rows.groups == read_model._Rows.read().groups
    assert rows.pages == read_model._Rows.read().pages
    return rows


def test_a_published_account_is_the_one_row_read_again(shared, django_assert_num_queries):
    account = SocialAccount.objects.get(url="https://x.com/NLinJapan")
    account.display_name = "The embassy in Tokyo"
    before = read_model._loaded["rows"].groups
    account.save_revision().publish()
    rows = rows_of_another_process(django_assert_num_queries, 1)
    assert [key for key in rows.groups if rows.groups[key] != before[key]] == [group(shared)]
    assert read_model.public_atlas().account(account.pk).name == "The embassy in Tokyo"


def test_a_new_person_and_a_page_publish(shared, django_assert_num_queries):
    make_person("Bert Bakker", post=shared)
    rows_of_another_process(django_assert_num_queries, 1)
    shared.title = "Embassy of the Netherlands in Tokyo"
    shared.save_revision().publish()
    rows = rows_of_another_process(django_assert_num_queries, 1)  # the tree
    assert read_model.public_atlas().post(shared.pk).name == rows.pages[-1]["title"]


def test_a_change_that_does_not_say_what_it_changed_reads_everything(
    shared, django_assert_num_queries
):
    Platform.objects.filter(slug="x").update(name="X (formerly Twitter)")
    generation.bump()
    rows_of_another_process(django_assert_num_queries, 3)  # the tree, people, accounts


def test_a_delete_reads_everything(shared, django_assert_num_queries):
    Person.objects.get(name="Anna Jansen").delete()
    rows_of_another_process(django_assert_num_queries, 3)


def test_what_a_bump_says_it_changed():
    rows_of = generation.rows_of
    assert rows_of(SocialAccount(pk=3)) == {("account", 3)}
    assert rows_of(Person(pk=4)) == {("person", 4)}
    assert rows_of(Person) is None  # some person: which one, it does not say
    assert rows_of(Platform(pk=1)) is None
    from wagtail.models import Page

    assert rows_of(Page(pk=9)) == {generation.PAGES_CHANGED}
    assert generation.changed_since("100", "99") is None  # nothing said for counter 100


def test_a_person_is_read_again_with_its_translations(shared, django_assert_num_queries):
    """Publishing a person writes its language-neutral facts on its translations without a
    signal (editorial.translation): they are read again with it."""
    from tests.factories import translate_person

    person = Person.objects.get(name="Anna Jansen")
    translation = translate_person(person, job_title="Ambassador")
    read_model.public_atlases()
    person.name = "Anna de Jong"
    person.save_revision().publish()
    assert Person.objects.get(pk=translation.pk).name == "Anna de Jong"
    rows_of_another_process(django_assert_num_queries, 1)


@pytest.fixture
def fetched(monkeypatch):
    """The groups a reader fetches from the shared rows, by key (read_model._Rows._fetched)."""
    found = []
    fetch = read_model._Rows._fetched

    def spied(rows, digests):
        digests = list(digests)
        keys = {digest: key for key, digest in rows.groups.items()}
        found.extend(keys[digest] for digest in digests)
        return fetch(rows, digests)

    monkeypatch.setattr(read_model._Rows, "_fetched", spied)
    return found


@pytest.fixture
def two_countries(shared, atlas):
    """Japan (Tokyo) and Canada (Ottawa), each with an account and a person, and the top."""
    canada = make_country(atlas, "CA", title="Canada", lat=56.1, lng=-106.3)
    ottawa = make_post(canada, title="Embassy in Ottawa", city="Ottawa", lat=45.4, lng=-75.7)
    make_account("https://x.com/NLinCanada", post=ottawa)
    make_person("Bert Bakker", post=ottawa)
    make_person("Carla Visser", role=Person.Role.MINISTER)
    read_model.public_atlases()
    return {"tokyo": shared, "japan": shared.get_parent(), "ottawa": ottawa, "canada": canada}


def group(page) -> str:
    """A country's or a post's group: its own."""
    kind = "country" if isinstance(page.specific, CountryPage) else "post"
    return f"{kind}:{page.translation_key}"


def test_only_the_groups_of_the_rows_changed_are_fetched(
    two_countries, fetched, django_assert_num_queries
):
    """Where a changed row was and is now, found by the previous rows' placement: an account
    moved to another country's post, a person moved with its accounts, a page renamed, a new
    post (its people and accounts come from the unplaced rows)."""
    tokyo, japan, ottawa = two_countries["tokyo"], two_countries["japan"], two_countries["ottawa"]
    account = SocialAccount.objects.get(url="https://x.com/NLinJapan")
    account.display_name = "The embassy"
    account.save_revision().publish()
    rows_of_another_process(django_assert_num_queries, 1)
    assert fetched == [group(tokyo)]

    fetched.clear()
    account.post = ottawa
    account.save()
    rows_of_another_process(django_assert_num_queries, 1)
    assert sorted(fetched) == sorted([group(tokyo), group(ottawa)])

    fetched.clear()
    person = Person.objects.get(name="Anna Jansen")
    make_account("https://x.com/AnnaJansen", person=person, speaks_for="office")
    rows_of_another_process(django_assert_num_queries, 1)
    fetched.clear()
    person.post = ottawa  # its account, not changed, goes with it
    person.save()
    rows = rows_of_another_process(django_assert_num_queries, 1)
    assert sorted(fetched) == sorted([group(tokyo), group(ottawa)])
    ottawa_rows = rows.fetch([rows.groups[group(ottawa)]])
    urls = [row["url"] for found in ottawa_rows.values() for row in found.accounts]
    assert "https://x.com/AnnaJansen" in urls

    fetched.clear()
    ottawa.title = "Embassy of the Netherlands in Ottawa"
    ottawa.save_revision().publish()
    rows_of_another_process(django_assert_num_queries, 1)  # the tree
    assert fetched == [group(ottawa)]

    fetched.clear()
    osaka = make_post(japan, title="Consulate-General in Osaka", city="Osaka", live=False)
    dirk = make_person("Dirk de Vries", post=osaka)
    make_account("https://x.com/DirkDeVries", person=dirk, speaks_for="office")
    rows_of_another_process(django_assert_num_queries, 2)  # a person, an account
    fetched.clear()
    osaka.save_revision().publish()
    rows = rows_of_another_process(django_assert_num_queries, 1)  # the tree
    assert fetched == [read_model.UNPLACED]  # the new post's group was in none
    osaka_rows = rows.fetch([rows.groups[group(osaka)]])
    urls = [row["url"] for found in osaka_rows.values() for row in found.accounts]
    assert urls == ["https://x.com/DirkDeVries"]


def test_without_the_placement_every_group_is_fetched(
    two_countries, fetched, django_assert_num_queries
):
    """The placement gone from the shared cache (evicted), the changed rows are still the only
    ones read, and every group is regrouped."""
    earlier = read_model._loaded["generation"]
    shared_cache.call_cache("delete", read_model.PLACEMENT_KEY.format(earlier))
    account = SocialAccount.objects.get(url="https://x.com/NLinJapan")
    account.display_name = "The embassy"
    account.save_revision().publish()
    rows = rows_of_another_process(django_assert_num_queries, 1)
    assert sorted(fetched) == sorted(rows.groups)


def test_a_person_s_accounts_go_with_it_to_the_unplaced_rows_and_back(
    two_countries, fetched, django_assert_num_queries
):
    """A person unpublished: its accounts, live still and not read again, go where rows no
    public record hangs on go (UNPLACED), and that group keeps the rows it had; published
    again, they go back with it. (Random editorial histories found both lost: the unplaced
    rows regrouped of the moved accounts alone, and the accounts left behind.)"""
    anna = Person.objects.get(name="Anna Jansen")
    make_account("https://x.com/AnnaJansen", person=anna, speaks_for="office")
    unplaced = make_person("Dirk de Vries", post=make_post(two_countries["japan"], live=False))
    make_account("https://x.com/DirkDeVries", person=unplaced, speaks_for="office")
    read_model.public_atlases()
    fetched.clear()
    anna.unpublish()
    rows = rows_of_another_process(django_assert_num_queries, 1)
    assert read_model.UNPLACED in fetched
    kept = rows.fetch([rows.groups[read_model.UNPLACED]])
    urls = {row["url"] for found in kept.values() for row in found.accounts}
    assert urls == {"https://x.com/AnnaJansen", "https://x.com/DirkDeVries"}

    fetched.clear()
    anna.save_revision().publish()  # live again: its account, not read again, goes with it
    rows = rows_of_another_process(django_assert_num_queries, 1)
    assert sorted(fetched) == sorted([read_model.UNPLACED, group(two_countries["tokyo"])])
    assert read_model.public_atlas().account_for_url("https://x.com/AnnaJansen") is not None

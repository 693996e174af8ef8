"""Small builders for the few objects a test needs (no full demo data in unit tests)."""

from wagtail.models import Locale, Page, Site

from atlas_pages.models import AtlasPage, CountryPage, Person, Platform, PostPage, SocialAccount
from atlas_pages.rules import profile_urls
from atlas_pages.rules.places import format_point


def make_atlas(title="Social Media Atlas"):
    """The atlas under the tree root, served as the default site's root."""
    root = Page.get_first_root_node()
    atlas = root.add_child(instance=AtlasPage(title=title, slug="atlas"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": atlas, "site_name": title},
    )
    return atlas


def make_country(atlas, code="JP", title=None, lat=36.2, lng=138.25, **fields):
    country = CountryPage(
        title=title or code,
        iso_code=code,
        location=format_point(lat, lng) if lat is not None else "",
        **fields,
    )
    return atlas.add_child(instance=country)


def make_post(
    country,
    title="Embassy in Tokyo",
    city="Tokyo",
    kind=PostPage.Kind.EMBASSY,
    lat=35.66,
    lng=139.74,
    **fields,
):
    post = PostPage(
        title=title,
        city=city,
        kind=kind,
        location=format_point(lat, lng) if lat is not None else "",
        **fields,
    )
    return country.add_child(instance=post)


def translate(page, title=None, live=True, language="en", **fields):
    """The page's translation as editors make it (copy_for_translation; missing ancestors are
    copied too), its texts translated, published unless live=False: then a draft that keeps
    its texts on its row too, so a leak of them would show."""
    copy = page.copy_for_translation(Locale.objects.get(language_code=language), copy_parents=True)
    for name, value in {"title": title, **fields}.items():
        if value is not None:
            setattr(copy, name, value)
    if live:
        copy.save_revision().publish()
    else:
        copy.save()
        copy.save_revision()
    return type(copy).objects.get(pk=copy.pk)


def platform(slug="twitter"):
    return Platform.objects.get(slug=slug)


def make_person(
    name="Jane Example", role=Person.Role.AMBASSADOR, post=None, job_titles=None, **fields
):
    """A live person in the default language; `job_titles` ({"en": ...}) adds its live
    translations with those job titles, as editors make them."""
    person = Person.objects.create(name=name, role=role, post=post, **fields)
    for language, job_title in (job_titles or {}).items():
        translate_person(person, job_title, language=language)
    return person


def translate_person(person, job_title, language="en", live=True):
    """The person's translation (copy_for_translation, the "Translate" action's copy) with its
    job title, published unless live=False: then a draft keeping the title on its row."""
    copy = person.copy_for_translation(Locale.objects.get(language_code=language))
    copy.job_title = job_title
    copy.live, copy.live_revision = live, None
    copy.save()
    revision = copy.save_revision()
    if live:
        revision.publish()
    return Person.objects.get(pk=copy.pk)


def make_account(url, post=None, person=None, platform_slug=None, **fields):
    """A live account; the platform is guessed from the URL's host unless given."""
    if platform_slug is None:
        platform_slug = profile_urls.platform_for_url(url, Platform.objects.all()).slug
    account = SocialAccount(
        platform=platform(platform_slug), url=url, post=post, person=person, **fields
    )
    account.full_clean()
    account.save()
    return account


def make_user(username, group=None, language="en", **fields):
    """A user whose admin speaks `language`, so tests can read its English labels."""
    from django.contrib.auth import get_user_model
    from wagtail.users.models import UserProfile

    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="pw", **fields
    )
    if group is not None:
        user.groups.add(group)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def make_hidden_account(url, post, hidden):
    """An account never published: a submitter's draft (``hidden="draft"``) or that draft
    submitted to moderation (``hidden="in moderation"``)."""
    account = make_account(url, post=post, live=False)
    submitter = make_user("submitter")
    account.save_revision(user=submitter)
    if hidden == "in moderation":
        account.get_workflow().start(account, submitter)
    return account

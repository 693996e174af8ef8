"""What the public may see, computed again from the rows in plain Python: the test's oracle.

Deliberately not atlas_pages.publication.public_atlas (the implementation under test): every
page's ancestors
are walked one by one, every snippet's owner looked up in a dict.

The rule: a page is public when it and each ancestor below the root is live, not expired
(an ``expire_at`` that has passed counts, whether or not ``publish_scheduled`` ran) and has no
view restriction. A person is public when live, not expired, and serving at no post or at a
public one; an account when live, not expired, not closed, and its owner (a post or a person)
is public, and, if it speaks for the person rather than an office, the person's consent stands
(a consent date and no withdrawal date on the person's row). A closed account that would
otherwise be public is "former": listed nowhere, but the verify page says it was official.

An ended term of office (a ``term_end`` on the person's row on or before today, published or
not): the person stays public but serves at no post (not among its people; "formerly at" it);
their accounts that speak for the person stay public and findable but belong to no post; those
that speak for the office stay with the post, as its own accounts, without a person.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from atlas_pages.models import CountryPage, Person, PostPage, SocialAccount

#: Roles whose accounts speak for their office unless an editor says otherwise.
OFFICE_ROLES = {
    "ambassador",
    "consul_general",
    "consul",
    "head_of_post",
    "minister",
    "state_secretary",
    "secretary_general",
    "director_general",
}

LANGUAGES = ("nl", "en")


@dataclass
class PageRow:
    pk: int
    title: str
    language: str
    url: str
    translation_key: object
    country: int | None = None  # for a post: its parent country page
    code: str = ""  # for a country: its ISO code


@dataclass
class Public:
    """Everything public, by primary key, plus what each public object is shown as."""

    countries: dict = field(default_factory=lambda: {lang: {} for lang in LANGUAGES})
    posts: dict = field(default_factory=lambda: {lang: {} for lang in LANGUAGES})
    people: dict = field(default_factory=dict)  # pk -> Person
    accounts: dict = field(default_factory=dict)  # pk -> SocialAccount
    #: Closed accounts the verify page answers "was official until" for (pk -> SocialAccount).
    former: dict = field(default_factory=dict)
    #: The names of former accounts: shown by the verify page only.
    former_names: set = field(default_factory=set)
    #: Every page (public or not) with the URL its path gives: to ask the site for it.
    pages: dict = field(default_factory=dict)  # pk -> PageRow
    #: Every text that marks an object (names, handles) of an object the public may see.
    names: set = field(default_factory=set)

    # The relations the surfaces show, all by primary key ----------------------------------

    def post_in(self, language, translation_key):
        """The public post page in a language of a post known by its translation key."""
        for post in self.posts[language].values():
            if post.translation_key == translation_key:
                return post.pk
        return None

    def departed_at_post(self, person_pk):
        """Whether the person's term at a post has ended."""
        person = self.people.get(person_pk)
        return person is not None and person.post_id is not None and term_ended(person)

    def held_by_post(self, account):
        """A departed person's position account: the post's until handed over."""
        return (
            account.person_id is not None
            and self.departed_at_post(account.person_id)
            and speaks_for(account) == "office"
        )

    def person_shown(self, account):
        """The person an account is shown with (None for the post's)."""
        return None if self.held_by_post(account) else account.person_id

    def serving_post(self, person):
        """The post a person serves at now (None after an ended term)."""
        return None if self.departed_at_post(person.pk) else person.post

    def owning_post(self, account):
        if account.person_id:
            if self.departed_at_post(account.person_id) and not self.held_by_post(account):
                return None  # formerly at the post
            return self.people[account.person_id].post
        return account.post

    def accounts_of_post(self, translation_key):
        """Organisational accounts of the (Dutch) post with this translation key."""
        own = {
            pk
            for pk, account in self.accounts.items()
            if account.post_id and account.post.translation_key == translation_key
        }
        held = {
            pk
            for pk, account in self.accounts.items()
            if self.held_by_post(account)
            and self.people[account.person_id].post.translation_key == translation_key
        }
        return own | held

    def people_of_post(self, translation_key):
        return {
            pk
            for pk, person in self.people.items()
            if person.post_id
            and person.post.translation_key == translation_key
            and not self.departed_at_post(pk)
        }

    def accounts_of_person(self, person_pk):
        return {
            pk
            for pk, account in self.accounts.items()
            if account.person_id == person_pk and not self.held_by_post(account)
        }

    def all_accounts_of_post(self, translation_key):
        """The post's accounts and those of the people serving there."""
        found = set(self.accounts_of_post(translation_key))
        for person in self.people_of_post(translation_key):
            found |= self.accounts_of_person(person)
        return found

    def platform_counts(self, account_pks):
        return Counter(self.accounts[pk].platform.slug for pk in account_pks)

    def posts_of_country(self, language, country_pk):
        return {pk for pk, post in self.posts[language].items() if post.country == country_pk}


def public_keys(public):
    """Every object the public sees, as (kind, language or "", primary key); an account is
    "account" while listed and "former" once only the verify page knows it."""
    return (
        {("country", language, pk) for language, found in public.countries.items() for pk in found}
        | {("post", language, pk) for language, found in public.posts.items() for pk in found}
        | {("person", "", pk) for pk in public.people}
        | {("account", "", pk) for pk in public.accounts}
        | {("former", "", pk) for pk in public.former}
    )


def _expired(row, now):
    return row.expire_at is not None and row.expire_at <= now


def compute():
    now = timezone.now()
    pages = {page.path: page for page in Page.objects.select_related("locale")}
    restricted = set(PageViewRestriction.objects.values_list("page__path", flat=True))
    steplen = Page.steplen

    def ancestors_and_self(page):
        # Below the tree's root (depth 1), which is never live content.
        return [pages[page.path[: steplen * depth]] for depth in range(2, page.depth + 1)]

    def page_public(page):
        return all(
            ancestor.live and not _expired(ancestor, now) and ancestor.path not in restricted
            for ancestor in ancestors_and_self(page)
        )

    public = Public()
    typed = {
        **{page.pk: ("country", page) for page in CountryPage.objects.all()},
        **{page.pk: ("post", page) for page in PostPage.objects.all()},
    }
    public_page_pks = set()
    for page in pages.values():
        if page.pk not in typed:
            continue
        kind, specific = typed[page.pk]
        language = page.locale.language_code
        slugs = [ancestor.slug for ancestor in ancestors_and_self(page)[1:]]  # below the atlas
        parent = pages[page.path[:-steplen]]
        row = PageRow(
            pk=page.pk,
            title=page.title,
            language=language,
            url=f"/{language}/{'/'.join(slugs)}/",
            translation_key=page.translation_key,
            country=parent.pk if kind == "post" else None,
            code=specific.iso_code.code if kind == "country" else "",
        )
        public.pages[page.pk] = row
        if page_public(page):
            public_page_pks.add(page.pk)
            public.names.add(page.title)
            target = public.countries if kind == "country" else public.posts
            target[language][page.pk] = row

    for person in Person.objects.select_related("post"):
        if person.live and not _expired(person, now):
            if person.post_id is None or person.post_id in public_page_pks:
                public.people[person.pk] = person
                public.names.add(person.name)
    for account in SocialAccount.objects.select_related("platform", "post", "person"):
        if not account.live or _expired(account, now):
            continue
        if account.post_id:
            owner_public = account.post_id in public_page_pks
        else:
            owner_public = account.person_id in public.people and (
                speaks_for(account) == "office" or consents(account.person)
            )
        if owner_public and account.status == "closed":
            public.former[account.pk] = account
            public.former_names.update({account.display_name, account.handle})
        elif owner_public:
            public.accounts[account.pk] = account
            public.names.update({account.display_name, account.handle})
    return public


def speaks_for(account):
    """ "office" or "person": as stored, else from the owner (a post, an office holder)."""
    if account.speaks_for:
        return account.speaks_for
    if account.person_id and account.person.role not in OFFICE_ROLES:
        return "person"
    return "office"


def consents(person):
    return person.consent_given_at is not None and person.consent_withdrawn_at is None


def term_ended(person):
    return person.term_end is not None and person.term_end <= timezone.localdate()

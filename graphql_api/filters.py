"""The list filters of the public API: each keeps the records of a public atlas that match."""

from __future__ import annotations

import uuid

import strawberry

from atlas_pages.publication.public_atlas import PublicAtlas
from atlas_pages.publication.records import Account, Country, Person, Post
from atlas_pages.rules.places import iso_code
from graphql_api.types import AccountKind, PersonRole, PostKind, PresenceForm


def parse_id(value: object) -> int | None:
    """A database id from a GraphQL ID; None for anything that is not one."""
    text = str(value).strip()
    # ASCII digits only: str.isdigit() also takes "¹" or "٣", which int() refuses or reads.
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def _post_key(atlas: PublicAtlas, post_id: object) -> uuid.UUID | None:
    """The translation key of a post's page in any language: its id in either language finds
    the people and accounts of the post. None matches nothing."""
    page_id = parse_id(post_id)
    return atlas.post_key(page_id) if page_id is not None else None


@strawberry.input
class CountryFilter:
    platform: str | None = strawberry.field(
        default=None,
        description="Only countries with at least one published account on this platform (slug).",
    )

    def apply(self, atlas: PublicAtlas, countries: list[Country]) -> list[Country]:
        if self.platform is not None:
            present = {
                id(account.country)
                for account in atlas.accounts
                if account.platform.slug == self.platform and account.country is not None
            }
            countries = [country for country in countries if id(country) in present]
        return countries


@strawberry.input
class PostFilter:
    country: str | None = strawberry.field(default=None, description="ISO code of the country.")
    kind: PostKind | None = None

    def apply(self, atlas: PublicAtlas, posts: list[Post]) -> list[Post]:
        if self.country is not None:
            code = iso_code(self.country)
            posts = [post for post in posts if post.country.code == code]
        if self.kind is not None:
            posts = [post for post in posts if post.kind == self.kind]
        return posts


@strawberry.input
class AccountFilter:
    platform: str | None = strawberry.field(default=None, description="Platform slug.")
    country: str | None = strawberry.field(default=None, description="ISO code of the country.")
    post: strawberry.ID | None = strawberry.field(
        default=None, description="Accounts of this post and of the people serving there."
    )
    person: strawberry.ID | None = None
    kind: AccountKind | None = None
    form: PresenceForm | None = strawberry.field(
        default=None, description="Form of presence, e.g. GROUP (with platform: LinkedIn groups)."
    )

    def apply(self, atlas: PublicAtlas, accounts: list[Account]) -> list[Account]:
        if self.platform is not None:
            accounts = [account for account in accounts if account.platform.slug == self.platform]
        if self.country is not None:
            code = iso_code(self.country)
            accounts = [account for account in accounts if account.country_code == code]
        if self.post is not None:
            key = _post_key(atlas, self.post)
            accounts = [account for account in accounts if key and account.post_key == key]
        if self.person is not None:
            person_id = parse_id(self.person)
            accounts = [
                account
                for account in accounts
                if account.person is not None and account.person.id == person_id
            ]
        if self.kind is not None:
            accounts = [account for account in accounts if account.kind == self.kind]
        if self.form is not None:
            accounts = [account for account in accounts if account.form == self.form]
        return accounts


@strawberry.input
class PersonFilter:
    country: str | None = strawberry.field(default=None, description="ISO code of the country.")
    post: strawberry.ID | None = None
    role: PersonRole | None = None

    def apply(self, atlas: PublicAtlas, people: list[Person]) -> list[Person]:
        if self.country is not None:
            code = iso_code(self.country)
            people = [person for person in people if person.country_code == code]
        if self.post is not None:
            key = _post_key(atlas, self.post)
            people = [person for person in people if key and person.post_key == key]
        if self.role is not None:
            people = [person for person in people if person.role == self.role]
        return people

"""A small bilingual atlas with something of every kind the visitor site must show or hide."""

from datetime import date
from types import SimpleNamespace

from wagtail.models import PageViewRestriction

from atlas_pages.models import PostPage
from tests.factories import (
    make_account,
    make_atlas,
    make_country,
    make_person,
    make_post,
    translate,
)

#: The draft English title of the Vancouver post (its Dutch page is live): never shown.
DRAFT_ENGLISH_TITLE = "Consulate-General in Vancouver (unapproved)"

#: When the staff `add_accounts` adds consented to their personal accounts being listed.
CONSENTED = date(2025, 1, 1)


def build_small_atlas():
    """Two countries, three public posts, people and accounts on four platforms, in Dutch and
    English (Vancouver's English page is a draft); plus a draft post, a private post, a draft
    account and a draft person that must never show."""
    atlas = make_atlas(title="Atlas sociale media")
    japan = make_country(atlas, "JP", title="Japan", lat=36.2, lng=138.25)
    canada = make_country(atlas, "CA", title="Canada", lat=56.1, lng=-106.3)
    tokyo = make_post(
        japan, title="Ambassade in Tokio", city="Tokio", address="3-6-3 Shibakoen, Minato-ku"
    )
    ottawa = make_post(canada, title="Ambassade in Ottawa", city="Ottawa", lat=45.42, lng=-75.69)
    vancouver = make_post(
        canada,
        title="Consulaat-generaal in Vancouver",
        city="Vancouver",
        kind="consulate_general",
        lat=49.28,
        lng=-123.12,
    )
    osaka = make_post(
        japan, title="Consulaat-generaal in Osaka", city="Osaka", lat=34.69, lng=135.5
    )
    osaka.unpublish()
    sapporo = make_post(japan, title="Privékantoor Sapporo", city="Sapporo", lat=43.06, lng=141.35)
    PageViewRestriction.objects.create(page=sapporo, restriction_type="password", password="x")

    english = SimpleNamespace(atlas=translate(atlas, title="Social Media Atlas"))
    english.japan = translate(japan)
    english.canada = translate(canada)
    english.tokyo = translate(
        tokyo, title="Embassy in Tokyo", city="Tokyo", slug="embassy-in-tokyo"
    )
    english.ottawa = translate(ottawa, title="Embassy in Ottawa", slug="embassy-in-ottawa")
    english.vancouver = translate(vancouver, live=False, title=DRAFT_ENGLISH_TITLE)

    ambassador = make_person(
        name="Jane Tanaka",
        post=tokyo,
        job_title="Ambassadeur in Japan",
        job_titles={"en": "Ambassador to Japan"},
    )
    minister = make_person(name="Minister Example", role="minister")
    hidden_person = make_person(name="Hidden Draftperson", post=ottawa, live=False)
    accounts = SimpleNamespace(
        tokyo_x=make_account("https://x.com/NLinJapan", post=tokyo, display_name="NL in Japan"),
        tokyo_linkedin=make_account("https://www.linkedin.com/company/nl-in-japan", post=tokyo),
        ambassador_x=make_account("https://x.com/JaneTanakaNL", person=ambassador),
        ottawa_facebook=make_account("https://www.facebook.com/NLinCanada", post=ottawa),
        vancouver_mastodon=make_account(
            "https://mastodon.social/@NLinVancouver", post=vancouver, platform_slug="mastodon"
        ),
        minister_x=make_account("https://x.com/MinisterExample", person=minister),
        draft=make_account("https://x.com/DraftAccountNL", post=tokyo, live=False),
        of_draft_post=make_account("https://x.com/NLinOsaka", post=osaka),
        of_private_post=make_account("https://x.com/NLinSapporo", post=sapporo),
        of_draft_person=make_account("https://x.com/HiddenDraftperson", person=hidden_person),
    )
    return SimpleNamespace(
        atlas=atlas,
        japan=japan,
        canada=canada,
        tokyo=tokyo,
        ottawa=ottawa,
        vancouver=vancouver,
        osaka=osaka,
        sapporo=sapporo,
        english=english,
        ambassador=ambassador,
        minister=minister,
        hidden_person=hidden_person,
        accounts=accounts,
    )


def grow(atlas, countries, posts_per_country):
    """A Dutch atlas and its English translation; people and accounts on the Dutch posts."""
    english_atlas = translate(atlas, title="Atlas")
    english = {}
    for code in countries:
        country = make_country(atlas, code, title=code)
        english[code] = translate(country)
        for index in range(posts_per_country):
            post = make_post(country, title=f"Post {code} {index}", city=f"Plaats {index}")
            translate(post, title=f"Post {code} {index} (en)", city=f"City {index}")
            make_account(f"https://x.com/{code}post{index}", post=post)
            make_account(f"https://www.facebook.com/{code}post{index}", post=post)
            person = make_person(name=f"Head {code} {index}", post=post)
            make_account(f"https://x.com/{code}head{index}", person=person)
    return english_atlas


def add_accounts(atlas, per_post):
    """`per_post` more accounts on every Dutch post of the atlas, on the platforms and in the
    forms `grow` uses: half of them the post's own, half those of a new person serving there
    (on x.com: a person's Facebook account would be a profile, a form `grow` does not use)."""
    for post in PostPage.objects.descendant_of(atlas).filter(locale__language_code="nl"):
        person = make_person(
            name=f"Staff {post.pk}", role="employee", post=post, consent_given_at=CONSENTED
        )
        for index in range(per_post):
            owner = {"post": post} if index % 2 else {"person": person}
            host = "x.com" if index % 4 < 2 or "person" in owner else "www.facebook.com"
            make_account(f"https://{host}/more{post.pk}x{index}", **owner)


#: What must never appear on a public page or in search, in any language.
HIDDEN_TEXTS = [
    "Consulaat-generaal in Osaka",
    "NLinOsaka",
    "Privékantoor Sapporo",
    "NLinSapporo",
    "DraftAccountNL",
    "Hidden Draftperson",
    "HiddenDraftperson",
    DRAFT_ENGLISH_TITLE,
]

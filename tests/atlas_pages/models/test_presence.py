"""The form of an account's presence (profile, page, group, channel, ...): told by the URL where
the platform's addresses say it, chosen by editors where they do not, refused where the
platform has no such form; carried by the public atlas with its label in each language."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from atlas_pages.demo.accounts import post_accounts
from atlas_pages.demo.people import PEOPLE
from atlas_pages.demo.posts import build_posts
from atlas_pages.editorial import importer
from atlas_pages.models import SocialAccount, presence_label
from atlas_pages.publication import public_atlas
from atlas_pages.rules import profile_urls
from tests.atlas_pages.editorial.test_workflow import account_form
from tests.factories import make_account, make_person, platform

#: (platform, URL, the form it tells) for every platform whose URLs tell one.
TOLD = [
    ("linkedin", "https://www.linkedin.com/company/netherlands-embassy-australia", "page"),
    ("linkedin", "https://linkedin.com/showcase/dutch-design-week/", "page"),
    ("linkedin", "https://www.linkedin.com/school/leiden-university/", "page"),
    ("linkedin", "https://www.linkedin.com/groups/10452871/", "group"),
    ("linkedin", "https://nl.linkedin.com/in/eva-hoekman", "profile"),
    ("facebook", "https://www.facebook.com/groups/dutchinaustralia/", "group"),
    ("facebook", "https://m.facebook.com/profile.php?id=100012345", "profile"),
    ("youtube", "https://www.youtube.com/@MinBZ", "channel"),
    ("youtube", "https://www.youtube.com/channel/UC1234567890", "channel"),
    ("youtube", "https://www.youtube.com/c/NetherlandsMFA", "channel"),
    ("youtube", "https://www.youtube.com/user/minbuza", "channel"),
    ("youtube", "https://www.youtube.com/playlist?list=PLabc123", "playlist"),
    ("flickr", "https://www.flickr.com/photos/minbz/", "profile"),
    ("flickr", "https://www.flickr.com/people/minbz/", "profile"),
    ("flickr", "https://www.flickr.com/groups/dutchdiplomacy/", "group"),
    ("twitter", "https://x.com/i/communities/1712345678", "group"),
]
#: URLs that do not tell their form: the editor's choice, else the platform's usual form.
UNTOLD = [
    ("facebook", "https://www.facebook.com/NetherlandsEmbassyJapan", "page"),
    ("twitter", "https://x.com/NLinJapan", "profile"),
    ("instagram", "https://www.instagram.com/nlinjapan/", "profile"),
    ("blog", "https://nlinvancouver.wordpress.com/", "blog"),
    ("mastodon", "https://social.overheid.nl/@MinBZ", "profile"),
    ("some-new-platform", "https://example.org/channel/x", "profile"),
]


@pytest.mark.parametrize("slug,url,form", TOLD)
def test_the_url_tells_the_form(slug, url, form):
    assert profile_urls.presence_rule(slug).form_of(url) == form
    assert profile_urls.presence_form(slug, url, chosen="") == form


@pytest.mark.parametrize("slug,url,form", UNTOLD)
def test_where_the_url_does_not_tell_the_usual_form_or_the_chosen_one(slug, url, form):
    assert profile_urls.presence_rule(slug).form_of(url) is None
    assert profile_urls.presence_form(slug, url) == form
    assert profile_urls.presence_form(slug, url, chosen="group") == "group"


def test_a_persons_account_is_a_profile_where_the_platform_has_profiles():
    url = "https://www.facebook.com/bartlindeman.nlot"
    assert profile_urls.presence_form("facebook", url, personal=True) == "profile"
    assert (
        profile_urls.presence_form("youtube", "https://youtube.com/x", personal=True) == "channel"
    )


def test_every_rule_names_forms_of_the_model_and_every_usual_platform_has_one():
    forms = set(SocialAccount.Form.values)
    assert set(profile_urls.PRESENCE_FORMS) == forms
    for rule in profile_urls.PRESENCE_RULES.values():
        assert set(rule.forms) <= forms
        assert {form for _prefix, form in rule.paths} <= set(rule.forms)
    setup = importlib.import_module("atlas_pages.migrations.0002_editorial_setup")
    assert {slug for slug, *_rest in setup.PLATFORMS} == set(profile_urls.PRESENCE_RULES)


def test_urls_keep_the_query_that_names_a_profile():
    first = profile_urls.normalise_profile_url("https://youtube.com/playlist?list=PLa&si=x", [])
    second = profile_urls.normalise_profile_url("https://www.youtube.com/playlist?list=PLb", [])
    assert (first, second) == ("youtube.com/playlist?list=pla", "youtube.com/playlist?list=plb")
    tracked = profile_urls.normalise_profile_url("https://x.com/NLinJapan?ref=abc&s=20", ["x.com"])
    assert tracked == "x.com/nlinjapan"
    assert profile_urls.handle_from_url("https://youtube.com/playlist?list=PLa") == "PLa"


@pytest.mark.django_db
class TestEditing:
    def account(self, url, slug, form="", **owner):
        return SocialAccount(platform=platform(slug), url=url, form=form, **owner)

    def form_errors(self, account):
        with pytest.raises(ValidationError) as error:
            account.full_clean()
        return error.value.message_dict["form"]

    def test_the_form_is_taken_from_the_url_or_the_usual_one(self, tokyo):
        group = make_account(
            "https://www.linkedin.com/groups/10452871/", post=tokyo, display_name="NABN"
        )
        page = make_account("https://www.facebook.com/NLinJapan", post=tokyo)
        assert (group.form, page.form) == ("group", "page")
        assert (group.form_label, page.form_label) == ("LinkedIn group", "Facebook")
        assert str(group) == "LinkedIn group: 10452871"

    def test_an_editor_chooses_the_form_the_url_does_not_tell(self, tokyo):
        account = make_account("https://www.facebook.com/DutchInTokyo", post=tokyo, form="group")
        assert SocialAccount.objects.get(pk=account.pk).form == "group"

    def test_a_form_the_platform_does_not_have_is_refused(self, tokyo):
        account = self.account("https://x.com/NLinJapan", "twitter", form="playlist", post=tokyo)
        assert self.form_errors(account) == [
            "X (Twitter) has no playlist: choose Profile / Group, or leave the form empty."
        ]

    def test_a_form_the_url_contradicts_is_refused(self, tokyo):
        url = "https://www.linkedin.com/groups/10452871/"
        account = self.account(url, "linkedin", form="page", post=tokyo)
        assert self.form_errors(account) == [
            "This URL is the address of a LinkedIn group: choose “Group” as the form, or leave "
            "it empty."
        ]
        with translation.override("nl"):
            assert self.form_errors(account) == [
                "Deze URL is het adres van een groep op LinkedIn: kies “Groep” als vorm, of laat "
                "de vorm leeg."
            ]

    NUMBERED_GROUP_NEEDS_A_NAME = (
        "The address of this LinkedIn group has only its number (9876543), and LinkedIn "
        "shows its name only to those who are logged in: enter the group's name as the "
        "display name, or its name as the handle."
    )

    def test_a_numbered_linkedin_group_needs_a_name(self, tokyo, moderator):
        url = "https://www.linkedin.com/groups/9876543/"
        account = self.account(url, "linkedin", post=tokyo)
        with pytest.raises(ValidationError) as error:
            account.full_clean()
        assert error.value.message_dict == {"display_name": [self.NUMBERED_GROUP_NEEDS_A_NAME]}
        # ... in the admin, on the display name ...
        form_class = SocialAccount.snippet_viewset.get_edit_handler().get_form_class()
        data = account_form(tokyo, platform=platform("linkedin").pk, url=url, display_name="")
        form = form_class(data, instance=SocialAccount(), for_user=moderator)
        assert not form.is_valid()
        assert list(form.errors["display_name"]) == [self.NUMBERED_GROUP_NEEDS_A_NAME]
        # ... and in the import.
        header = "platform,url,handle,post,person,language,display_name,note\n"
        csv = f"{header}linkedin,{url},,{tokyo.pk},,,,\n"
        report = importer.validate(importer.read_rows("accounts.csv", csv.encode()))
        assert [e.message for e in report.errors] == [
            f"display_name: {self.NUMBERED_GROUP_NEEDS_A_NAME}"
        ]

    @pytest.mark.parametrize(
        ("url", "fields"),
        [
            ("https://www.linkedin.com/groups/9876543/", {"display_name": "Dutch in Japan"}),
            ("https://www.linkedin.com/groups/9876543/", {"handle": "DutchInJapan"}),
            ("https://www.linkedin.com/in/12345", {}),  # a profile: the person's own page
            ("https://www.facebook.com/groups/9876543/", {}),  # read without logging in
        ],
    )
    def test_a_named_group_or_another_form_needs_none(self, tokyo, url, fields):
        make_account(url, post=tokyo, **fields)

    def test_the_public_atlas_carries_form_and_label_in_each_language(
        self, tokyo, django_assert_num_queries
    ):
        person = make_person(post=tokyo)
        make_account("https://www.linkedin.com/company/nl-in-japan", post=tokyo)
        make_account("https://www.linkedin.com/groups/11208456/", post=tokyo, display_name="Alumni")
        make_account("https://www.linkedin.com/in/jane-example", person=person)
        public_atlas.load_all()  # Wagtail's site root paths cached, as on a running server
        with django_assert_num_queries(3):  # as without forms: they come with the accounts
            atlases = public_atlas.load_all()
        for language, labels in {
            "nl": ["LinkedIn", "LinkedIn-groep", "LinkedIn-profiel"],
            "en": ["LinkedIn", "LinkedIn group", "LinkedIn profile"],
        }.items():
            atlas = atlases[language]
            accounts = atlas.accounts  # pages, then groups, then profiles
            assert [(a.form, a.form_label) for a in accounts] == list(
                zip(["page", "group", "profile"], labels, strict=True)
            )
            assert [platform.slug for platform in atlas.group_platforms] == ["linkedin"]
        [post] = atlases["nl"].posts  # Tokyo has no English page here
        assert [(c.platform.slug, c.form, c.count) for c in post.form_counts] == [
            ("linkedin", "page", 1),
            ("linkedin", "group", 1),
            ("linkedin", "profile", 1),
        ]


def test_labels_name_the_form_beside_the_platform_except_its_usual_one():
    with translation.override("nl"):
        assert presence_label("LinkedIn", "linkedin", "group") == "LinkedIn-groep"
        assert presence_label("YouTube", "youtube", "playlist") == "YouTube-afspeellijst"
        assert presence_label("YouTube", "youtube", "channel") == "YouTube"
    assert presence_label("Facebook", "facebook", "group") == "Facebook group"
    assert presence_label("Instagram", "instagram", "profile") == "Instagram"


def test_the_demo_answers_the_three_questions():
    """Facebook for the embassy in Japan; the consul-general in Vancouver with her accounts;
    LinkedIn groups for the embassy in Australia, and groups at a realistic number of posts."""
    posts = {post.handle: post for post in build_posts()}
    forms = {
        handle: [
            (a.platform, profile_urls.presence_form(a.platform, a.url)) for a in post_accounts(p)
        ]
        for handle, p in posts.items()
    }
    assert ("facebook", "page") in forms["NLinJapan"]
    assert forms["NLinAustralia"].count(("linkedin", "group")) == 3
    assert ("facebook", "group") in forms["NLinAustralia"]
    with_groups = [h for h, found in forms.items() if any(f == "group" for _p, f in found)]
    assert 20 <= len(with_groups) <= len(posts) // 3
    [consul] = [person for person in PEOPLE if person.job_title_en == "Consul-General in Vancouver"]
    assert consul.post == "NLinVancouver" and len(consul.accounts) >= 2


@pytest.mark.django_db
@pytest.mark.usefixtures("no_response_cache")
def test_the_post_page_and_search_name_the_group(client, tokyo):
    make_account("https://www.linkedin.com/company/nl-in-japan", post=tokyo)
    url = "https://www.linkedin.com/groups/11208456/"
    make_account(url, post=tokyo, handle="HollandAlumniJapan")
    html = client.get(tokyo.url).content.decode()
    assert "<span>LinkedIn</span></span>" in html  # the company page: the usual form
    assert "<span>LinkedIn-groep</span></span>" in html
    found = client.get("/nl/search/", {"q": "HollandAlumniJapan"}).content.decode()
    assert '<p class="search-result__kind">' in found and "LinkedIn-groep</p>" in found

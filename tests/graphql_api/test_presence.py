"""The API's forms of presence: Account.form and formLabel, Post.formCounts, and the accounts
filter by form, which reads the public atlas (constant queries) and shows only what is public."""

import pytest
from wagtail.models import PageViewRestriction

from atlas_pages.models import SocialAccount
from atlas_pages.publication import generation
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_response_cache")]

GROUPS = """query Groups($locale: String) {
  accounts(filters: {platform: "linkedin", form: GROUP}, locale: $locale) {
    totalCount
    results { handle form formLabel country { code } }
  }
}"""


def group(post, number, **fields):
    return factories.make_account(f"https://www.linkedin.com/groups/{number}/", post=post, **fields)


@pytest.fixture
def linkedin(tokyo):
    """The embassy's LinkedIn page and one of its groups, and a Facebook group."""
    factories.make_account("https://www.linkedin.com/company/nl-in-japan", post=tokyo)
    group(tokyo, 11208456, handle="Holland Alumni Japan")
    factories.make_account("https://www.facebook.com/groups/dutchinjapan/", post=tokyo)


def test_the_filter_by_form_finds_the_groups_labelled_in_each_language(data, linkedin):
    result = data(GROUPS, {"locale": "en"})["accounts"]
    assert result == {
        "totalCount": 1,
        "results": [
            {
                "handle": "Holland Alumni Japan",
                "form": "GROUP",
                "formLabel": "LinkedIn group",
                "country": None,  # Japan has no English page here
            }
        ],
    }
    dutch = data(GROUPS, {"locale": "nl"})["accounts"]["results"]
    assert [account["formLabel"] for account in dutch] == ["LinkedIn-groep"]
    every_group = data("{ accounts(filters: {form: GROUP}) { results { url } } }")
    assert [account["url"] for account in every_group["accounts"]["results"]] == [
        "https://www.facebook.com/groups/dutchinjapan/",
        "https://www.linkedin.com/groups/11208456/",
    ]


def test_form_counts_count_per_platform_and_form(data, linkedin):
    query = "{ posts { results { formCounts { platform { slug } form count } } } }"
    [post] = data(query)["posts"]["results"]
    assert post["formCounts"] == [
        {"platform": {"slug": "facebook"}, "form": "GROUP", "count": 1},
        {"platform": {"slug": "linkedin"}, "form": "PAGE", "count": 1},
        {"platform": {"slug": "linkedin"}, "form": "GROUP", "count": 1},
    ]


@pytest.mark.parametrize("groups", [1, 12])
def test_the_filter_by_form_runs_a_constant_number_of_queries(
    data, tokyo, groups, django_assert_num_queries
):
    """After a publish: the public atlas (3) and the generation's next expiry (1), however
    many groups; the rest of the generation none."""
    for number in range(groups):
        group(tokyo, 10_000_000 + number, display_name=f"Group {number}")
    factories.make_account("https://www.linkedin.com/company/nl-in-japan", post=tokyo)
    data(GROUPS)  # Wagtail's site root paths cached, as on a running server
    generation.bump()
    with django_assert_num_queries(4):
        result = data(GROUPS, {"locale": "nl"})
    assert result["accounts"]["totalCount"] == groups
    with django_assert_num_queries(0):
        data(GROUPS, {"locale": "en"})


def test_the_filter_by_form_shows_no_draft_moderated_or_private_group(
    data, japan, tokyo, django_user_model
):
    group(tokyo, 10000001, handle="Public Group")
    group(tokyo, 10000002, handle="Hidden Draft Group", live=False)
    in_moderation = group(tokyo, 10000003, handle="Hidden Moderated Group", live=False)
    editor = django_user_model.objects.create_user("editor", password="x")
    in_moderation.save_revision(user=editor)
    in_moderation.get_workflow().start(in_moderation, editor)
    assert SocialAccount.objects.get(pk=in_moderation.pk).workflow_in_progress
    private = factories.make_post(japan, title="Hidden Private Post", city="Sapporo")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    group(private, 10000004, handle="Hidden Private Group")
    draft_post = factories.make_post(japan, title="Hidden Draft Post", city="Osaka")
    group(draft_post, 10000005, handle="Hidden Group Of A Draft Post")
    draft_post.unpublish()

    for locale in ("nl", "en"):
        result = data(GROUPS, {"locale": locale})["accounts"]
        assert [account["handle"] for account in result["results"]] == ["Public Group"]
        assert result["totalCount"] == 1
        query = "{ countries { posts { name formCounts { form count } } } }"
        posts = data(query)["countries"][0]["posts"]
        assert posts == [{"name": tokyo.title, "formCounts": [{"form": "GROUP", "count": 1}]}]

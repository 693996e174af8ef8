"""Where an impersonator is reported to its platform: each platform's own form, or the profile
itself (a Mastodon account on its own server); nothing made up for the others."""

import pytest

from atlas_pages.rules.report_links import FORMS, ON_PROFILE, ReportLink, report_link


@pytest.mark.parametrize(
    ("slug", "address", "expected"),
    [
        ("twitter", "https://x.com/Fake", ReportLink(FORMS["twitter"])),
        ("facebook", "https://facebook.com/Fake", ReportLink(FORMS["facebook"])),
        ("instagram", "https://instagram.com/fake", ReportLink(FORMS["instagram"])),
        ("linkedin", "https://linkedin.com/company/fake", ReportLink(FORMS["linkedin"])),
        ("youtube", "https://youtube.com/@Fake", ReportLink(FORMS["youtube"])),
        ("tiktok", "https://tiktok.com/@fake", ReportLink(FORMS["tiktok"])),
        # Reported on the profile: a Mastodon account to its own server's moderators.
        (
            "mastodon",
            "https://social.example/@Fake?x=1#top",
            ReportLink("https://social.example/@Fake", on_profile=True),
        ),
        ("mastodon", "social.example/@Fake", ReportLink("https://social.example/@Fake", True)),
        (
            "mastodon",
            "https://user:secret@social.example/@Fake",
            ReportLink("https://social.example/@Fake", on_profile=True),
        ),
        (
            "bluesky",
            "https://bsky.app/profile/fake.bsky.social",
            ReportLink("https://bsky.app/profile/fake.bsky.social", on_profile=True),
        ),
        ("threads", "https://threads.net/@fake", ReportLink("https://threads.net/@fake", True)),
        ("mastodon", "javascript:alert(1)", None),
        ("flickr", "https://flickr.com/people/fake", None),
        ("", "https://x.com/Fake", None),
    ],
)
def test_report_link(slug, address, expected):
    assert report_link(slug, address) == expected


def test_every_form_is_https_and_no_platform_is_both():
    assert all(url.startswith("https://") for url in FORMS.values())
    assert not set(FORMS) & ON_PROFILE

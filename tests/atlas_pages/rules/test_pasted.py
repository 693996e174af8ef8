"""One parser for what a person pastes (atlas_pages.rules.pasted): real-world spellings on
every platform of the atlas, each with the profile it names or the reason it names none."""

import pytest

from atlas_pages.models import Platform
from atlas_pages.rules import pasted

#: Servers known to run Mastodon (said by the server or by an editor); no other host is.
SERVERS = {
    "social.overheid.nl": "mastodon",
    "mastodon.social": "mastodon",
    "mastodon.nl": "mastodon",
    "diplo.social": "mastodon",
}

#: Why an address names no profile, by kind (the start of the message).
HOME = "This is the address of {} itself, not of a profile"
POST = "This {} address is of a post, video or photo and does not name its account"
NOT_PROFILE = "This {} address is not a profile"
SHORT = "This is a short link, which does not say where it leads"
INVALID = "Enter a valid http(s) profile URL."
NO_ADDRESS = "This is not an address"

# (pasted, (profile URL, platform slug)) -- or (pasted, reason) -- or (pasted, ("@", handle)).
TABLE = [
    # X / Twitter: hosts, subdomains, posts, tabs, old spellings.
    ("https://x.com/NLinBelgium", ("https://x.com/NLinBelgium", "twitter")),
    ("x.com/NLinBelgium", ("https://x.com/NLinBelgium", "twitter")),
    (
        "https://x.com/NLinBelgium/status/1798765432101234567",
        ("https://x.com/NLinBelgium", "twitter"),
    ),
    (
        "https://x.com/NLinBelgium/status/1798765432101234567/photo/1",
        ("https://x.com/NLinBelgium", "twitter"),
    ),
    (
        "https://twitter.com/NLinBelgium/status/1798765432101234567?s=20&t=abc",
        ("https://twitter.com/NLinBelgium", "twitter"),
    ),
    (
        "https://mobile.twitter.com/NLinBelgium",
        ("https://mobile.twitter.com/NLinBelgium", "twitter"),
    ),
    ("https://m.twitter.com/NLinBelgium/", ("https://m.twitter.com/NLinBelgium", "twitter")),
    ("http://www.twitter.com/NLinBelgium", ("https://www.twitter.com/NLinBelgium", "twitter")),
    ("https://twitter.com/#!/NLinBelgium", ("https://twitter.com/NLinBelgium", "twitter")),
    ("https://x.com/NLinBelgium/with_replies", ("https://x.com/NLinBelgium", "twitter")),
    ("https://x.com/NLinBelgium/media", ("https://x.com/NLinBelgium", "twitter")),
    ("https://x.com/@NLinBelgium", ("https://x.com/NLinBelgium", "twitter")),
    (
        "https://twitter.com/intent/follow?screen_name=NLinBelgium",
        ("https://twitter.com/NLinBelgium", "twitter"),
    ),
    (
        "https://x.com/i/communities/1234567890",
        ("https://x.com/i/communities/1234567890", "twitter"),
    ),
    ("<https://x.com/NLinBelgium>", ("https://x.com/NLinBelgium", "twitter")),
    ("“https://x.com/NLinBelgium”.", ("https://x.com/NLinBelgium", "twitter")),
    ("https://x.com/i/web/status/1798765432101234567", POST.format("X (Twitter)")),
    ("https://x.com/search?q=embassy", NOT_PROFILE.format("X (Twitter)")),
    ("https://x.com/hashtag/NLinBelgium", NOT_PROFILE.format("X (Twitter)")),
    ("https://x.com/home", NOT_PROFILE.format("X (Twitter)")),
    ("https://x.com/", HOME.format("X (Twitter)")),
    ("https://t.co/AbCdEf123", SHORT),
    # Facebook: pages, posts, tabs, groups, numbered profiles, web. and m. subdomains.
    (
        "https://www.facebook.com/NetherlandsEmbassyBelgium",
        ("https://www.facebook.com/NetherlandsEmbassyBelgium", "facebook"),
    ),
    (
        "https://www.facebook.com/NetherlandsEmbassyBelgium/posts/pfbid02abcDEF",
        ("https://www.facebook.com/NetherlandsEmbassyBelgium", "facebook"),
    ),
    (
        "https://www.facebook.com/NetherlandsEmbassyBelgium/photos/a.123/456/",
        ("https://www.facebook.com/NetherlandsEmbassyBelgium", "facebook"),
    ),
    (
        "https://www.facebook.com/NetherlandsEmbassyBelgium/about",
        ("https://www.facebook.com/NetherlandsEmbassyBelgium", "facebook"),
    ),
    (
        "https://www.facebook.com/NetherlandsEmbassyBelgium/videos/987654321",
        ("https://www.facebook.com/NetherlandsEmbassyBelgium", "facebook"),
    ),
    (
        "https://web.facebook.com/NetherlandsEmbassyBelgium",
        ("https://facebook.com/NetherlandsEmbassyBelgium", "facebook"),
    ),
    (
        "https://m.facebook.com/NetherlandsEmbassyBelgium?ref=bookmarks",
        ("https://m.facebook.com/NetherlandsEmbassyBelgium", "facebook"),
    ),
    (
        "https://nl-nl.facebook.com/NetherlandsEmbassyBelgium/",
        ("https://facebook.com/NetherlandsEmbassyBelgium", "facebook"),
    ),
    (
        "https://business.facebook.com/NetherlandsEmbassyBelgium/",
        ("https://facebook.com/NetherlandsEmbassyBelgium", "facebook"),
    ),
    (
        "https://fb.com/NetherlandsEmbassyBelgium",
        ("https://fb.com/NetherlandsEmbassyBelgium", "facebook"),
    ),
    (
        "https://www.facebook.com/pg/NetherlandsEmbassyBelgium/posts/",
        ("https://www.facebook.com/NetherlandsEmbassyBelgium", "facebook"),
    ),
    (
        "https://www.facebook.com/groups/dutchinkenya/",
        ("https://www.facebook.com/groups/dutchinkenya", "facebook"),
    ),
    (
        "https://www.facebook.com/groups/dutchinkenya/permalink/123456789/",
        ("https://www.facebook.com/groups/dutchinkenya", "facebook"),
    ),
    (
        "https://www.facebook.com/groups/dutchinkenya/posts/123456789/",
        ("https://www.facebook.com/groups/dutchinkenya", "facebook"),
    ),
    (
        "https://www.facebook.com/profile.php?id=100064123456789&sk=about",
        ("https://www.facebook.com/profile.php?id=100064123456789", "facebook"),
    ),
    (
        "https://www.facebook.com/permalink.php?story_fbid=pfbid0x&id=100064123456789",
        ("https://www.facebook.com/profile.php?id=100064123456789", "facebook"),
    ),
    (
        "https://www.facebook.com/people/Honorary-Consul/100064123456789/",
        ("https://www.facebook.com/people/Honorary-Consul/100064123456789", "facebook"),
    ),
    ("https://www.facebook.com/watch/?v=123456789", POST.format("Facebook")),
    ("https://www.facebook.com/reel/123456789", POST.format("Facebook")),
    ("https://www.facebook.com/photo/?fbid=123456789", POST.format("Facebook")),
    ("https://www.facebook.com/share/p/1AbCdEf/", POST.format("Facebook")),
    ("https://www.facebook.com/events/123456789/", NOT_PROFILE.format("Facebook")),
    ("https://www.facebook.com/hashtag/koningsdag", NOT_PROFILE.format("Facebook")),
    ("https://fb.me/NetherlandsEmbassyBelgium", SHORT),
    # LinkedIn: pages, showcase and school pages, groups, people; country subdomains.
    (
        "https://www.linkedin.com/company/ministry-of-foreign-affairs-nl",
        ("https://www.linkedin.com/company/ministry-of-foreign-affairs-nl", "linkedin"),
    ),
    (
        "https://nl.linkedin.com/company/ministry-of-foreign-affairs-nl",
        ("https://linkedin.com/company/ministry-of-foreign-affairs-nl", "linkedin"),
    ),
    (
        "https://au.linkedin.com/company/netherlands-embassy-australia",
        ("https://linkedin.com/company/netherlands-embassy-australia", "linkedin"),
    ),
    (
        "nl.linkedin.com/company/ministry-of-foreign-affairs-nl/posts/?feedView=all",
        ("https://linkedin.com/company/ministry-of-foreign-affairs-nl", "linkedin"),
    ),
    (
        "https://www.linkedin.com/company/ministry-of-foreign-affairs-nl/about/",
        ("https://www.linkedin.com/company/ministry-of-foreign-affairs-nl", "linkedin"),
    ),
    (
        "https://www.linkedin.com/company/ministry-of-foreign-affairs-nl/jobs/",
        ("https://www.linkedin.com/company/ministry-of-foreign-affairs-nl", "linkedin"),
    ),
    (
        "https://www.linkedin.com/showcase/dutch-water-sector/",
        ("https://www.linkedin.com/showcase/dutch-water-sector", "linkedin"),
    ),
    (
        "https://www.linkedin.com/showcase/dutch-water-sector/posts/",
        ("https://www.linkedin.com/showcase/dutch-water-sector", "linkedin"),
    ),
    (
        "https://www.linkedin.com/school/leiden-university/",
        ("https://www.linkedin.com/school/leiden-university", "linkedin"),
    ),
    (
        "https://www.linkedin.com/groups/4023148/",
        ("https://www.linkedin.com/groups/4023148", "linkedin"),
    ),
    (
        "https://www.linkedin.com/groups/4023148/members/",
        ("https://www.linkedin.com/groups/4023148", "linkedin"),
    ),
    (
        "https://www.linkedin.com/in/timo-rasker/",
        ("https://www.linkedin.com/in/timo-rasker", "linkedin"),
    ),
    (
        "https://de.linkedin.com/in/timo-rasker/details/experience/",
        ("https://linkedin.com/in/timo-rasker", "linkedin"),
    ),
    (
        "https://www.linkedin.com/in/timo-rasker/recent-activity/all/",
        ("https://www.linkedin.com/in/timo-rasker", "linkedin"),
    ),
    (
        "https://www.linkedin.com/posts/ministry-of-foreign-affairs-nl_diplomacy-activity-7123-AbCd",
        POST.format("LinkedIn"),
    ),
    (
        "https://www.linkedin.com/feed/update/urn:li:activity:7123456789012345678/",
        POST.format("LinkedIn"),
    ),
    ("https://www.linkedin.com/pulse/some-article-timo-rasker/", POST.format("LinkedIn")),
    ("https://www.linkedin.com/jobs/view/123456", NOT_PROFILE.format("LinkedIn")),
    ("https://lnkd.in/eAbCdEf", SHORT),
    # YouTube: @handles, /channel/, /c/, /user/, playlists; tabs; videos refused.
    ("https://www.youtube.com/@MinBZ", ("https://www.youtube.com/@MinBZ", "youtube")),
    ("youtube.com/@MinBZ/videos", ("https://youtube.com/@MinBZ", "youtube")),
    ("https://www.youtube.com/@MinBZ/featured", ("https://www.youtube.com/@MinBZ", "youtube")),
    ("https://www.youtube.com/@MinBZ/shorts", ("https://www.youtube.com/@MinBZ", "youtube")),
    (
        "https://www.youtube.com/@MinBZ/playlists?view=1",
        ("https://www.youtube.com/@MinBZ", "youtube"),
    ),
    ("https://m.youtube.com/@MinBZ/community", ("https://m.youtube.com/@MinBZ", "youtube")),
    ("https://www.youtube.com/@MinBZ?si=xYz", ("https://www.youtube.com/@MinBZ", "youtube")),
    (
        "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv",
        ("https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv", "youtube"),
    ),
    (
        "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv/about",
        ("https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv", "youtube"),
    ),
    (
        "https://www.youtube.com/c/MinisterieBZ/videos",
        ("https://www.youtube.com/c/MinisterieBZ", "youtube"),
    ),
    ("https://www.youtube.com/user/minbuza", ("https://www.youtube.com/user/minbuza", "youtube")),
    (
        "https://www.youtube.com/playlist?list=PLabc123&si=tracking",
        ("https://www.youtube.com/playlist?list=PLabc123", "youtube"),
    ),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", POST.format("YouTube")),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PLabc123", POST.format("YouTube")),
    ("https://youtu.be/dQw4w9WgXcQ", POST.format("YouTube")),
    ("https://www.youtube.com/shorts/AbCdEfGhIjK", POST.format("YouTube")),
    ("https://www.youtube.com/results?search_query=minbz", NOT_PROFILE.format("YouTube")),
    # Instagram: accounts, tabs, stories; posts and reels name no account.
    ("https://www.instagram.com/minbz/", ("https://www.instagram.com/minbz", "instagram")),
    ("instagram.com/minbz?igsh=abc", ("https://instagram.com/minbz", "instagram")),
    ("https://www.instagram.com/minbz/reels/", ("https://www.instagram.com/minbz", "instagram")),
    ("https://www.instagram.com/minbz/tagged/", ("https://www.instagram.com/minbz", "instagram")),
    (
        "https://www.instagram.com/minbz/p/C1AbCdEfGh/",
        ("https://www.instagram.com/minbz", "instagram"),
    ),
    (
        "https://www.instagram.com/stories/minbz/3312345678901234567/",
        ("https://www.instagram.com/minbz", "instagram"),
    ),
    ("https://www.instagram.com/p/C1AbCdEfGh/", POST.format("Instagram")),
    ("https://www.instagram.com/reel/C1AbCdEfGh/", POST.format("Instagram")),
    ("https://www.instagram.com/explore/tags/koningsdag/", NOT_PROFILE.format("Instagram")),
    # Threads and TikTok: /@name and what follows it.
    ("https://www.threads.net/@minbz", ("https://www.threads.net/@minbz", "threads")),
    ("https://www.threads.com/@minbz/post/C1AbCdEf", ("https://www.threads.com/@minbz", "threads")),
    ("https://www.threads.net/@minbz/replies", ("https://www.threads.net/@minbz", "threads")),
    ("https://www.threads.net/t/C1AbCdEf", POST.format("Threads")),
    ("https://www.tiktok.com/@minbz", ("https://www.tiktok.com/@minbz", "tiktok")),
    (
        "https://www.tiktok.com/@minbz/video/7312345678901234567?lang=nl",
        ("https://www.tiktok.com/@minbz", "tiktok"),
    ),
    ("https://m.tiktok.com/@minbz", ("https://m.tiktok.com/@minbz", "tiktok")),
    ("https://www.tiktok.com/discover/embassy", NOT_PROFILE.format("TikTok")),
    ("https://vm.tiktok.com/ZMabc123/", SHORT),
    # Mastodon on several servers: /@name, /users/name, posts, remote accounts, addresses.
    ("https://social.overheid.nl/@MinBZ", ("https://social.overheid.nl/@MinBZ", "mastodon")),
    (
        "https://social.overheid.nl/@MinBZ/113456789012345678",
        ("https://social.overheid.nl/@MinBZ", "mastodon"),
    ),
    ("https://social.overheid.nl/users/MinBZ", ("https://social.overheid.nl/@MinBZ", "mastodon")),
    (
        "https://social.overheid.nl/users/MinBZ/statuses/113456789012345678",
        ("https://social.overheid.nl/@MinBZ", "mastodon"),
    ),
    (
        "https://mastodon.social/@moamrani/with_replies",
        ("https://mastodon.social/@moamrani", "mastodon"),
    ),
    ("https://mastodon.nl/@NLinVancouver", ("https://mastodon.nl/@NLinVancouver", "mastodon")),
    ("https://diplo.social/web/@NLinJapan", ("https://diplo.social/@NLinJapan", "mastodon")),
    (
        "https://mastodon.social/@MinBZ@social.overheid.nl",
        ("https://social.overheid.nl/@MinBZ", "mastodon"),
    ),
    ("@MinBZ@social.overheid.nl", ("https://social.overheid.nl/@MinBZ", "mastodon")),
    ("MinBZ@social.overheid.nl", ("https://social.overheid.nl/@MinBZ", "mastodon")),
    ("https://mastodon.social/tags/diplomacy", NOT_PROFILE.format("Mastodon")),
    ("https://mastodon.social/", HOME.format("Mastodon")),
    # ... and a /@name path on any other host is not Mastodon.
    ("https://medium.com/@timorasker", ("https://medium.com/@timorasker", "")),
    ("https://unknown.example/@someone", ("https://unknown.example/@someone", "")),
    ("https://unknown.example/users/someone", ("https://unknown.example/users/someone", "")),
    ("@someone@unknown.example", ("https://unknown.example/@someone", "")),
    # Bluesky: profiles, posts, domain handles with and without @.
    (
        "https://bsky.app/profile/minbz.bsky.social",
        ("https://bsky.app/profile/minbz.bsky.social", "bluesky"),
    ),
    (
        "https://bsky.app/profile/minbz.bsky.social/post/3kabcdefghi2x",
        ("https://bsky.app/profile/minbz.bsky.social", "bluesky"),
    ),
    ("bsky.app/profile/nlinjapan.nl/", ("https://bsky.app/profile/nlinjapan.nl", "bluesky")),
    (
        "https://bsky.app/profile/did:plc:abcdefghijklmnop",
        ("https://bsky.app/profile/did:plc:abcdefghijklmnop", "bluesky"),
    ),
    ("minbz.bsky.social", ("https://bsky.app/profile/minbz.bsky.social", "bluesky")),
    ("@minbz.bsky.social", ("https://bsky.app/profile/minbz.bsky.social", "bluesky")),
    ("https://minbz.bsky.social", ("https://bsky.app/profile/minbz.bsky.social", "bluesky")),
    ("https://bsky.app/search?q=embassy", NOT_PROFILE.format("Bluesky")),
    # Flickr.
    ("https://www.flickr.com/photos/minbz/", ("https://www.flickr.com/photos/minbz", "flickr")),
    (
        "https://www.flickr.com/photos/minbz/53412345678/in/dateposted/",
        ("https://www.flickr.com/photos/minbz", "flickr"),
    ),
    (
        "https://www.flickr.com/photos/minbz/albums/72177720300000000",
        ("https://www.flickr.com/photos/minbz", "flickr"),
    ),
    ("https://www.flickr.com/people/minbz/", ("https://www.flickr.com/people/minbz", "flickr")),
    (
        "https://www.flickr.com/groups/dutchdiplomacy/pool/",
        ("https://www.flickr.com/groups/dutchdiplomacy", "flickr"),
    ),
    ("https://www.flickr.com/photos/tags/embassy", NOT_PROFILE.format("Flickr")),
    ("https://flic.kr/p/2pAbCd", SHORT),
    # Weibo and WeChat.
    ("https://weibo.com/nlinchina", ("https://weibo.com/nlinchina", "weibo")),
    ("https://weibo.com/u/1234567890", ("https://weibo.com/u/1234567890", "weibo")),
    ("https://m.weibo.cn/u/1234567890", ("https://m.weibo.cn/u/1234567890", "weibo")),
    ("https://weibo.com/1234567890/NaBcDeFgH", ("https://weibo.com/1234567890", "weibo")),
    ("https://m.weibo.cn/status/4912345678901234", POST.format("Weibo")),
    ("https://weixin.qq.com/r/NLinChina", ("https://weixin.qq.com/r/NLinChina", "wechat")),
    ("https://mp.weixin.qq.com/s/AbCdEfGhIjKlMn", POST.format("WeChat")),
    # Blogs and websites: any host, taken as they are; a bare domain may be a Bluesky handle.
    ("https://nlinjapan.wordpress.com/", ("https://nlinjapan.wordpress.com", "")),
    (
        "https://www.rijksoverheid.nl/ministeries/ministerie-van-buitenlandse-zaken/blogs",
        ("https://www.rijksoverheid.nl/ministeries/ministerie-van-buitenlandse-zaken/blogs", ""),
    ),
    (
        "https://medium.com/@timorasker/a-post-about-farming-abc123",
        ("https://medium.com/@timorasker/a-post-about-farming-abc123", ""),
    ),
    # Handles alone: their platform is not said.
    ("@NLinBelgium", ("@", "NLinBelgium")),
    ("NLinBelgium", ("@", "NLinBelgium")),
    (" @NLinJapan ", ("@", "NLinJapan")),
    ("nl.japan", ("@", "nl.japan")),
    # Not addresses at all.
    ("", "Enter a profile URL."),
    ("   ", "Enter a profile URL."),
    ("ftp://x.com/NLinBelgium", INVALID),
    ("https://", INVALID),
    ("https://[::1", INVALID),
    ("htps://x.com/NLinBelgium", INVALID),
    ("https//x.com/NLinBelgium", INVALID),
    ("not a url", NO_ADDRESS),
    ("javascript:alert(1)", INVALID),
    ("https://x.com/" + "a" * 3000, NO_ADDRESS),
]


#: The test database is set up for this module (pytest-django sets it up only for modules
#: whose tests are marked), and the module's fixture reads it.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def directory(django_db_setup, django_db_blocker):
    """The atlas's own platforms (as migrated: restored first, since a transactional test
    that ran before, such as a migration test, flushes them) and the known Mastodon servers."""
    from tests.browser.conftest import _restore_migrated_data

    with django_db_blocker.unblock():
        _restore_migrated_data()
        platforms = [(p.slug, p.name, p.host_list) for p in Platform.objects.all()]
    return pasted.Directory.of(platforms, SERVERS)


def test_the_table_is_large_and_covers_every_platform(directory):
    assert len(TABLE) >= 100
    slugs = {expected[1] for _text, expected in TABLE if isinstance(expected, tuple)}
    assert set(directory.names) <= slugs | {"blog"}  # blogs are the "" (any host) rows


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_what_a_pasted_text_names(directory, text, expected):
    if isinstance(expected, str):  # refused: the reason
        with pytest.raises(pasted.Refused) as refused:
            pasted.parse(text, directory)
        assert str(refused.value).startswith(expected)
        return
    found = pasted.parse(text, directory)
    if expected[0] == "@":
        assert (found.handle, found.url) == (expected[1], "")
    else:
        assert (found.url, found.platform, found.handle) == (*expected, "")


def test_a_bare_domain_is_a_website_or_a_bluesky_handle(directory):
    found = pasted.parse("minbz.nl", directory)
    assert found.urls == ("https://minbz.nl", "https://bsky.app/profile/minbz.nl")
    # Typed with its scheme, it is the website alone.
    assert pasted.parse("https://minbz.nl", directory).urls == ("https://minbz.nl",)


def test_refusals_are_translated(directory):
    from django.utils import translation

    with translation.override("nl"):
        with pytest.raises(pasted.Refused) as refused:
            pasted.parse("https://www.youtube.com/watch?v=dQw4w9WgXcQ", directory)
    assert "YouTube" in str(refused.value)
    assert not str(refused.value).startswith("This")


def test_registrable_domains_need_no_network():
    # The bundled Public Suffix List: co.uk is a suffix, nl.japan is no domain.
    assert pasted.registrable_domain("forums.bbc.co.uk") == "bbc.co.uk"
    assert pasted.host_chain("nl.linkedin.com") == ["nl.linkedin.com", "linkedin.com"]
    assert pasted.host_chain("mp.weixin.qq.com") == ["mp.weixin.qq.com", "weixin.qq.com", "qq.com"]
    assert not pasted.is_domain("nl.japan") and pasted.is_domain("minbz.nl")
    assert pasted._PUBLIC_SUFFIXES.suffix_list_urls == ()


def test_an_unknown_server_becomes_mastodon_only_when_known(directory):
    assert pasted.parse("https://medium.com/@x", directory).platform == ""
    known = pasted.Directory.of(
        [(slug, directory.name_of(slug), ()) for slug in ("mastodon",)], {"medium.com": "mastodon"}
    )
    assert pasted.parse("https://medium.com/users/x", known).url == "https://medium.com/@x"

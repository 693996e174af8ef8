"""The organisational accounts of the demo atlas, derived from each post's handle.

Which platforms a post uses is fixed per post (a checksum of its handle, not chance), so every
run builds the same accounts.
"""

import zlib
from typing import NamedTuple

from atlas_pages.demo.posts import Post


class Account(NamedTuple):
    platform: str  # Platform.slug
    url: str
    language: str
    #: Only where the URL carries no handle (a blog on its own host) or a number (a group).
    handle: str = ""


#: Accounts of the ministry itself, on every channel it runs.
MINISTRY_ACCOUNTS = [
    Account("twitter", "https://x.com/MinBZ", "nl"),
    Account("twitter", "https://x.com/NLMFA", "en"),
    Account("facebook", "https://www.facebook.com/MinisterieBuitenlandseZaken", "nl"),
    Account("linkedin", "https://www.linkedin.com/company/ministry-of-foreign-affairs-nl", "en"),
    Account("linkedin", "https://www.linkedin.com/groups/4023148/", "nl"),
    Account("youtube", "https://www.youtube.com/@MinBZ", "nl"),
    Account("instagram", "https://www.instagram.com/minbz/", "nl"),
    Account("flickr", "https://www.flickr.com/photos/minbz/", "nl"),
    Account("mastodon", "https://social.overheid.nl/@MinBZ", "nl"),
    Account("bluesky", "https://bsky.app/profile/minbz.bsky.social", "nl"),
    Account("threads", "https://www.threads.net/@minbz", "nl"),
    Account("tiktok", "https://www.tiktok.com/@minbz", "nl"),
    Account(
        "blog",
        "https://www.rijksoverheid.nl/ministeries/ministerie-van-buitenlandse-zaken/blogs",
        "nl",
        handle="BZ-blog",
    ),
]

LI_GROUP = "https://www.linkedin.com/groups/{}/"
FB_GROUP = "https://www.facebook.com/groups/{}/"

#: Groups that posts run, by name: the embassy's own community, alumni of Dutch universities
#: and trade networks. (Other posts get an unnamed LinkedIn group by the rule below.)
GROUPS = {
    "NLinAustralia": [
        Account(
            "linkedin", LI_GROUP.format(10452871), "en", "Netherlands Australia Business Network"
        ),
        Account("linkedin", LI_GROUP.format(12893304), "en", "Holland Alumni Australia"),
        Account("linkedin", LI_GROUP.format(13307712), "en", "Dutch Water Sector Australia"),
        Account("facebook", FB_GROUP.format("dutchinaustralia"), "en", "Dutch in Australia"),
    ],
    "NLinJapan": [
        Account("linkedin", LI_GROUP.format(11208456), "en", "Holland Alumni Japan"),
        Account("facebook", FB_GROUP.format("dutchinjapan"), "ja", "Dutch Community Japan"),
    ],
    "NLinIndonesia": [
        Account("linkedin", LI_GROUP.format(10988213), "en", "Holland Alumni Network Indonesia"),
        Account("linkedin", LI_GROUP.format(14022117), "id", "Dutch Chamber of Commerce Indonesia"),
    ],
    "NLinChina": [Account("linkedin", LI_GROUP.format(11765240), "en", "Holland Alumni China")],
    "NLinIndia": [
        Account("linkedin", LI_GROUP.format(12340981), "en", "Netherlands India Business Forum")
    ],
    "NLinKorea": [Account("linkedin", LI_GROUP.format(13651102), "en", "Holland Alumni Korea")],
    "NLinVietnam": [
        Account("linkedin", LI_GROUP.format(12019876), "en", "Orange Knowledge Alumni Vietnam")
    ],
    "NLinSouthAfrica": [
        Account(
            "linkedin", LI_GROUP.format(11473365), "en", "Netherlands South Africa Trade Network"
        ),
    ],
    "NLinKenya": [Account("facebook", FB_GROUP.format("dutchinkenya"), "en", "Dutch in Kenya")],
    "NLinBrazil": [Account("linkedin", LI_GROUP.format(10877432), "pt", "Holland Alumni Brasil")],
    "NLintheUSA": [
        Account("linkedin", LI_GROUP.format(13988450), "en", "Netherlands America Trade Network")
    ],
    "NLinCanada": [Account("facebook", FB_GROUP.format("dutchcanadians"), "en", "Dutch Canadians")],
    "NLinVancouver": [
        Account("linkedin", LI_GROUP.format(12577301), "en", "Dutch Canadian Business Club of BC"),
    ],
    "NLinNewZealand": [
        Account("facebook", FB_GROUP.format("dutchinnz"), "en", "Dutch in New Zealand")
    ],
    "NLinGermany": [
        Account("linkedin", LI_GROUP.format(11120987), "de", "Deutsch-Niederländisches Netzwerk")
    ],
    "NLinSingapore": [
        Account("linkedin", LI_GROUP.format(13245566), "en", "Dutch Business Association Singapore")
    ],
}

#: The servers the demo's fediverse accounts live on, as an editor would say it by filing
#: them under Mastodon: no other host is Mastodon, whatever its paths look like (a Medium blog
#: at medium.com/@name is a blog).
FEDERATED_SERVERS = {"social.overheid.nl": "mastodon", "mastodon.social": "mastodon"}

#: Local platforms where the global ones are blocked or little used.
LOCAL_PLATFORMS = {"CN": ("wechat", "weibo")}


def checksum(text: str) -> int:
    return zlib.crc32(text.encode())


def post_accounts(post: Post) -> list[Account]:
    """The organisational accounts of one post."""
    if post.handle == "MinBZ":
        return list(MINISTRY_ACCOUNTS)
    handle, lower, language = post.handle, post.handle.lower(), post.language
    key = checksum(handle)
    at_home = post.kind in {"directorate", "project_group"}
    accounts = []
    if post.kind == "honorary_consulate":
        # A volunteer's post: a Facebook page, now and then an Instagram account.
        accounts.append(Account("facebook", f"https://www.facebook.com/{handle}", language))
        if key % 3 == 0:
            accounts.append(Account("instagram", f"https://www.instagram.com/{lower}/", language))
        return accounts
    # Older registrations still carry the twitter.com address; the atlas stores x.com.
    x_host = "twitter.com" if key % 7 == 0 else "x.com"
    accounts.append(Account("twitter", f"https://{x_host}/{handle}", language))
    if at_home:
        accounts.append(Account("mastodon", f"https://social.overheid.nl/@{handle}", "nl"))
        if key % 2 == 0:
            accounts.append(Account("linkedin", f"https://www.linkedin.com/company/{lower}", "nl"))
        if key % 3 == 0:
            accounts.append(Account("bluesky", f"https://bsky.app/profile/{lower}.nl", "nl"))
        return accounts
    facebook = handle
    if post.kind == "embassy":
        facebook = "NetherlandsEmbassy" + handle.removeprefix("NLin").removeprefix("the")
    accounts.append(Account("facebook", f"https://www.facebook.com/{facebook}", language))
    if key % 5 != 0:
        accounts.append(Account("instagram", f"https://www.instagram.com/{lower}/", language))
    if key % 2 == 0 or post.kind == "permanent_representation":
        slug = f"netherlands-{post.kind.replace('_', '-')}-{lower.removeprefix('nlin')}"
        accounts.append(Account("linkedin", f"https://www.linkedin.com/company/{slug}", "en"))
    if key % 6 == 5:
        group = 1_000_000 + key % 9_000_000
        accounts.append(Account("linkedin", f"https://www.linkedin.com/groups/{group}/", "en"))
    if key % 4 == 0:
        accounts.append(Account("youtube", f"https://www.youtube.com/@{handle}", language))
    if key % 3 == 0:
        accounts.append(Account("bluesky", f"https://bsky.app/profile/{lower}.bsky.social", "en"))
    if key % 5 == 1:
        accounts.append(Account("threads", f"https://www.threads.net/@{lower}", language))
    if key % 8 == 3:
        accounts.append(Account("tiktok", f"https://www.tiktok.com/@{lower}", language))
    if key % 10 == 7 or post.kind == "permanent_representation":
        accounts.append(Account("flickr", f"https://www.flickr.com/photos/{lower}/", "en"))
    if key % 9 == 4:
        accounts.append(Account("blog", f"https://{lower}.wordpress.com/", language, handle=handle))
    accounts.extend(GROUPS.get(handle, ()))
    for platform in LOCAL_PLATFORMS.get(post.country, ()):
        if platform == "wechat":
            accounts.append(Account("wechat", f"https://weixin.qq.com/r/{handle}", "zh"))
        else:
            accounts.append(Account("weibo", f"https://weibo.com/{lower}", "zh"))
    return accounts

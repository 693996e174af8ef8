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
    handle: str = ""  # only where the URL carries no handle (a blog on its own host)


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
    for platform in LOCAL_PLATFORMS.get(post.country, ()):
        if platform == "wechat":
            accounts.append(Account("wechat", f"https://weixin.qq.com/r/{handle}", "zh"))
        else:
            accounts.append(Account("weibo", f"https://weibo.com/{lower}", "zh"))
    return accounts

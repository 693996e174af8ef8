"""robots.txt: whether a site lets the atlas's reader fetch a page, asked once per site and run
through the one outbound client (atlas_pages.outbound.http). Link checks and activity fetch a
profile or an API a person would open; a sweep that reads a site's pages for links (the
official websites, atlas_pages.outbound.site_links) asks the site first.

What an answer means follows RFC 9309: a robots.txt read is obeyed; none there (a 4xx) allows
everything; a site that cannot say (a 5xx, an unreachable host, a time-out) is not read, since
it may well forbid it.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import requests

from atlas_pages.outbound.http import Client

#: Of a robots.txt, the first bytes are read (RFC 9309 asks crawlers to parse at least 500 KiB).
MAX_ROBOTS_BYTES = 512 * 1024


class RobotsRules:
    """The robots.txt of each site asked during one run (one fetch per site), for one client's
    User-Agent."""

    def __init__(self, http: Client) -> None:
        self.http = http
        self.sites: dict[str, RobotFileParser | bool] = {}

    def allows(self, url: str) -> bool:
        """Whether the site's robots.txt lets the client's User-Agent fetch `url`."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}".lower()
        if site not in self.sites:
            self.sites[site] = read_robots(self.http, site)
        rules = self.sites[site]
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(self.http.user_agent, url)


def read_robots(http: Client, site: str) -> RobotFileParser | bool:
    """The site's rules; True when it has none (everything allowed), False when it cannot say
    (nothing allowed)."""
    try:
        fetched = http.get(f"{site}/robots.txt")
    except requests.RequestException:  # unreachable, a time-out, too large, a private address
        return False
    if 400 <= fetched.status < 500:
        return True
    if fetched.status != 200:
        return False
    rules = RobotFileParser()
    rules.parse(fetched.body[:MAX_ROBOTS_BYTES].decode("utf-8", "replace").splitlines())
    return rules

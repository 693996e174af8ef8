"""Wikidata, as the atlas reads and writes it: item ids (QIDs), the answers of its SPARQL
endpoint (SPARQL 1.1 Query Results JSON: ``head.vars`` and ``results.bindings``), the account
claims of an item mapped to the atlas's platforms and profile URLs, how well a candidate item
matches a country, post or person, and QuickStatements (v1) lines. Pure: no models, no network.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

QID_RE = re.compile(r"Q[1-9][0-9]*")
ENTITY_PREFIX = "http://www.wikidata.org/entity/"
PROPERTY_PREFIX = "http://www.wikidata.org/prop/direct/"

#: Django's validator of a stored QID (CountryPage, PostPage, Person: `wikidata_id`).
validate_qid = RegexValidator(
    regex=r"\AQ[1-9][0-9]*\Z",
    message=_("A Wikidata id is Q followed by digits, e.g. Q55."),
)


def is_qid(value: str) -> bool:
    return bool(QID_RE.fullmatch(value or ""))


def item_url(qid: str) -> str:
    """The item's page on Wikidata (also the reference an editor opens)."""
    return f"https://www.wikidata.org/wiki/{qid}"


def qid_of(uri: str) -> str | None:
    """The QID of an entity URI (http://www.wikidata.org/entity/Q55), or None."""
    if uri.startswith(ENTITY_PREFIX) and is_qid(uri[len(ENTITY_PREFIX) :]):
        return uri[len(ENTITY_PREFIX) :]
    return None


# Account claims -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountProperty:
    """A Wikidata property whose value names an account on one of the atlas's platforms."""

    pid: str
    #: The atlas's platform slug (Platform.slug).
    platform: str
    label: str
    #: The profile URL for a value ({value}); Mastodon's is built from user@server.
    url: str


#: The account properties the atlas compares, in the platforms' order.
ACCOUNT_PROPERTIES: dict[str, AccountProperty] = {
    prop.pid: prop
    for prop in (
        AccountProperty("P2002", "twitter", "X username", "https://x.com/{value}"),
        AccountProperty("P2013", "facebook", "Facebook ID", "https://www.facebook.com/{value}"),
        AccountProperty(
            "P4264", "linkedin", "LinkedIn company ID", "https://www.linkedin.com/company/{value}"
        ),
        AccountProperty(
            "P2397", "youtube", "YouTube channel ID", "https://www.youtube.com/channel/{value}"
        ),
        AccountProperty(
            "P2003", "instagram", "Instagram username", "https://www.instagram.com/{value}"
        ),
        AccountProperty("P4033", "mastodon", "Mastodon address", "https://{server}/@{user}"),
        AccountProperty("P12361", "bluesky", "Bluesky handle", "https://bsky.app/profile/{value}"),
    )
}
PROPERTY_OF_PLATFORM = {prop.platform: prop for prop in ACCOUNT_PROPERTIES.values()}


def profile_url(pid: str, value: str) -> str | None:
    """The profile URL a claim's value names, or None (not an account property, or a value
    that names no profile: a Mastodon address without its server, a value with a slash)."""
    prop = ACCOUNT_PROPERTIES.get(pid)
    value = value.strip()
    if prop is None or not value or any(char in value for char in "/?# "):
        return None
    if prop.pid == "P4033":
        user, _at, server = value.lstrip("@").partition("@")
        if not user or not server or "." not in server:
            return None
        return prop.url.format(user=user, server=server.lower())
    return prop.url.format(value=value)


def claim_value(pid: str, handle: str, url: str, identity: str = "") -> str | None:
    """The value an account of the atlas has for a property (the reverse of profile_url):
    X, Facebook, Instagram and Bluesky: the handle; LinkedIn: a company page's name; YouTube:
    the channel id (UC…, the platform's own id, else a /channel/ URL's); Mastodon: user@server.
    None when the account cannot be stated in the property's terms."""
    handle = handle.strip().lstrip("@")
    path = re.sub(r"^https?://[^/]+", "", url).rstrip("/")
    if pid in ("P2002", "P2013", "P2003", "P12361"):
        return handle or None
    if pid == "P4264":
        match = re.fullmatch(r"/company/([^/]+)", path)
        return match.group(1) if match else None
    if pid == "P2397":
        if re.fullmatch(r"UC[\w-]{22}", identity or ""):
            return identity
        match = re.fullmatch(r"/channel/(UC[\w-]{22})", path)
        return match.group(1) if match else None
    if pid == "P4033":
        server = re.match(r"^https?://([^/]+)", url)
        return f"{handle}@{server.group(1).lower()}" if handle and server else None
    return None


# SPARQL answers --------------------------------------------------------------------------------


class BadAnswer(ValueError):
    """An answer that is not SPARQL 1.1 Query Results JSON."""


def rows(answer: object) -> list[dict[str, str]]:
    """The answer's rows, each variable bound -> its value (an unbound one left out)."""
    try:
        variables = answer["head"]["vars"]
        bindings = answer["results"]["bindings"]
        if not isinstance(variables, list) or not isinstance(bindings, list):
            raise TypeError
        return [
            {name: binding[name]["value"] for name in variables if name in binding}
            for binding in bindings
        ]
    except (KeyError, TypeError) as error:
        raise BadAnswer(_("The endpoint's answer is not SPARQL JSON.")) from error


@dataclass(frozen=True)
class Claim:
    """One account claim of an item: `-Qxx|P2002|"value"` in QuickStatements."""

    qid: str
    pid: str
    value: str

    @property
    def platform(self) -> str:
        return ACCOUNT_PROPERTIES[self.pid].platform

    @property
    def url(self) -> str | None:
        return profile_url(self.pid, self.value)


def claims(answer: object) -> list[Claim]:
    """The account claims in an answer with ?item ?property ?value (wdt: URIs), sorted; a
    property the atlas does not compare is left out."""
    found = set()
    for row in rows(answer):
        qid = qid_of(row.get("item", ""))
        prop = row.get("property", "")
        pid = prop[len(PROPERTY_PREFIX) :] if prop.startswith(PROPERTY_PREFIX) else ""
        value = row.get("value", "").strip()
        if qid and pid in ACCOUNT_PROPERTIES and value:
            found.add(Claim(qid, pid, value))
    return sorted(found, key=order)


def order(claim: Claim) -> tuple[int, int, str]:
    """Claims in a stable order: by item, property (by number) and value."""
    return (int(claim.qid[1:]), int(claim.pid[1:]), claim.value.casefold())


def claims_query(qids: Iterable[str]) -> str:
    items = " ".join(f"wd:{qid}" for qid in sorted(set(qids), key=lambda q: int(q[1:])))
    props = " ".join(f"wdt:{pid}" for pid in ACCOUNT_PROPERTIES)
    return (
        "SELECT ?item ?property ?value WHERE {\n"
        f"  VALUES ?item {{ {items} }}\n"
        f"  VALUES ?property {{ {props} }}\n"
        "  ?item ?property ?value .\n"
        "}"
    )


# Candidates and their scores ------------------------------------------------------------------

#: Post kinds (PostPage.Kind) -> the Wikidata classes (P31) of such a post.
POST_CLASSES = {
    "embassy": ("Q3917681",),
    "consulate_general": ("Q7843791", "Q1147290"),
    "consulate": ("Q7843791",),
    "honorary_consulate": ("Q7843791", "Q1752939"),
    "permanent_representation": ("Q7604426",),
}
ALL_POST_CLASSES = tuple(dict.fromkeys(qid for qids in POST_CLASSES.values() for qid in qids))


def countries_query(codes: Iterable[str]) -> str:
    values = " ".join(f'"{code}"' for code in sorted(set(codes)) if re.fullmatch(r"[A-Z]{2}", code))
    return (
        "SELECT ?item ?itemLabel ?code WHERE {\n"
        f"  VALUES ?code {{ {values} }}\n"
        "  ?item wdt:P297 ?code .\n"
        '  SERVICE wikibase:label { bd:serviceParam wikibase:language "en,nl". }\n'
        "}"
    )


def posts_query(operators: Iterable[str]) -> str:
    ops = " ".join(f"wd:{qid}" for qid in operators if is_qid(qid))
    classes = " ".join(f"wd:{qid}" for qid in ALL_POST_CLASSES)
    return (
        "SELECT ?item ?itemLabel ?class ?code ?placeLabel ?coord WHERE {\n"
        f"  VALUES ?operator {{ {ops} }}\n"
        f"  VALUES ?class {{ {classes} }}\n"
        "  ?item wdt:P31 ?class ; wdt:P137 ?operator ; wdt:P17 ?country .\n"
        "  ?country wdt:P297 ?code .\n"
        "  OPTIONAL { ?item wdt:P131 ?place . }\n"
        "  OPTIONAL { ?item wdt:P625 ?coord . }\n"
        '  SERVICE wikibase:label { bd:serviceParam wikibase:language "en,nl". }\n'
        "}"
    )


def people_query(names: Iterable[str]) -> str:
    values = " ".join(
        f'"{_sparql_text(name)}"@{language}'
        for name in sorted(set(names))
        for language in ("en", "nl")
    )
    return (
        "SELECT ?item ?name ?positionLabel ?countryCode WHERE {\n"
        f"  VALUES ?name {{ {values} }}\n"
        "  ?item rdfs:label ?name ; wdt:P31 wd:Q5 .\n"
        "  OPTIONAL { ?item wdt:P39 ?position . }\n"
        "  OPTIONAL { ?item wdt:P27 ?citizenship . ?citizenship wdt:P297 ?countryCode . }\n"
        '  SERVICE wikibase:label { bd:serviceParam wikibase:language "en,nl". }\n'
        "}"
    )


def _sparql_text(text: str) -> str:
    """A string literal's content: no quote, backslash or line end can close it."""
    return re.sub(r"[\"\\\r\n]", " ", text).strip()


def plain(text: str) -> str:
    """Lower case, accents and punctuation off, words in order: for comparing names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.findall(r"\w+", letters))


def name_similarity(a: str, b: str) -> float:
    """The share of words the two names have in common (1.0: the same words)."""
    words_a, words_b = set(plain(a).split()), set(plain(b).split())
    if not words_a or not words_b:
        return 0.0
    return len(words_a & words_b) / len(words_a | words_b)


def parse_coordinates(wkt: str) -> tuple[float, float] | None:
    """(lat, lng) of Wikidata's "Point(lng lat)" literal, or None."""
    match = re.fullmatch(r"\s*Point\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*", wkt or "")
    return (float(match.group(2)), float(match.group(1))) if match else None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class Score:
    """How well a candidate item matches: 0–100, with what counted."""

    points: int
    reasons: tuple[str, ...]


def score_post(
    *,
    name: str,
    city: str,
    kind: str,
    code: str,
    point: tuple[float, float] | None,
    candidate: Mapping[str, str],
) -> Score | None:
    """A candidate post (a row of posts_query) for a post of the atlas; None when it is in
    another country. Country 30, post type 20, name 25 (the label against the post's name and
    city), place 25 (within 2 km; less up to 50 km; the city named in P131 when no point)."""
    if candidate.get("code", "").upper() != code.upper():
        return None
    points, reasons = 30, ["country"]
    if candidate.get("class", "").removeprefix(ENTITY_PREFIX) in POST_CLASSES.get(kind, ()):
        points += 20
        reasons.append("type")
    label = candidate.get("itemLabel", "")
    similarity = max(name_similarity(label, name), name_similarity(label, f"{name} {city}"))
    if plain(city) and plain(city) in plain(label):
        similarity = max(similarity, 0.6)
    if similarity:
        points += round(25 * similarity)
        reasons.append("name")
    there = parse_coordinates(candidate.get("coord", ""))
    if point and there:
        km = distance_km(point, there)
        if km <= 50:
            points += round(25 * (1 if km <= 2 else (50 - km) / 48))
            reasons.append(f"{km:.1f} km")
    elif plain(city) and plain(candidate.get("placeLabel", "")) == plain(city):
        points += 15
        reasons.append("city")
    return Score(min(points, 100), tuple(reasons))


#: Person roles (Person.Role) -> words of the positions (P39 labels) that fit them.
ROLE_WORDS = {
    "ambassador": ("ambassador", "ambassadeur"),
    "consul_general": ("consul",),
    "consul": ("consul",),
    "head_of_post": ("ambassador", "consul", "ambassadeur"),
    "minister": ("minister",),
    "state_secretary": ("state secretary", "staatssecretaris"),
    "secretary_general": ("secretary-general", "secretaris-generaal"),
    "director_general": ("director-general", "directeur-generaal"),
}


def score_person(
    *, name: str, role: str, code: str, candidates: Iterable[Mapping[str, str]]
) -> Score | None:
    """One candidate person (the rows of people_query for one item) for a person of the
    atlas: name 50 (the same name), position 30 (a position held that fits the role),
    citizenship 20 (of the ministry's country `code`). None when the name differs."""
    rows_of_item = list(candidates)
    if not any(plain(row.get("name", "")) == plain(name) for row in rows_of_item):
        return None
    points, reasons = 50, ["name"]
    positions = " ".join(plain(row.get("positionLabel", "")) for row in rows_of_item)
    if any(plain(word) in positions for word in ROLE_WORDS.get(role, ())):
        points += 30
        reasons.append("position")
    if code and any(row.get("countryCode", "").upper() == code.upper() for row in rows_of_item):
        points += 20
        reasons.append("citizenship")
    return Score(points, tuple(reasons))


# QuickStatements ------------------------------------------------------------------------------

#: "stated in" (P248) the atlas is not an item; "reference URL" (S854) with the retrieved day
#: (S813) is what QuickStatements v1 writes for a web page.
REFERENCE_URL = "S854"
RETRIEVED = "S813"


def _quoted(value: str) -> str:
    return '"' + value.replace('"', "") + '"'


def remove_line(claim: Claim) -> str:
    """QuickStatements v1: remove the claim."""
    return f"-{claim.qid}|{claim.pid}|{_quoted(claim.value)}"


def add_line(claim: Claim, reference_url: str, day: str) -> str:
    """QuickStatements v1: add the claim, referenced by the atlas's public page (retrieved on
    `day`, an ISO date)."""
    return (
        f"{claim.qid}|{claim.pid}|{_quoted(claim.value)}"
        f"|{REFERENCE_URL}|{_quoted(reference_url)}|{RETRIEVED}|+{day}T00:00:00Z/11"
    )


def quickstatements(
    removals: Iterable[Claim], additions: Iterable[tuple[Claim, str]], day: str
) -> str:
    """The batch: the removals, then the additions, each line once, tab-free, in a stable
    order; empty when there is nothing to correct."""
    lines = [remove_line(claim) for claim in removals]
    lines += [add_line(claim, url, day) for claim, url in additions]
    return "".join(f"{line}\n" for line in dict.fromkeys(lines))

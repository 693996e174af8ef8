"""Search input is text: full-text syntax typed by a visitor never reaches the database's
query language (SQLite FTS5, PostgreSQL tsquery) as syntax, on either surface."""

import pytest

from atlas_pages.rules.text import search_words
from tests import factories

pytestmark = pytest.mark.django_db

#: Full-text syntax of FTS5 and tsquery, alone and around a word.
NASTY = [
    '"',
    '""',
    "'",
    "*",
    "-",
    "--",
    ":",
    "(",
    ")",
    "^",
    "{",
    "+",
    "\\",
    "!",
    "&",
    "|",
    "<->",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(a b)",
    "a AND",
    "OR b",
    "a & b | !c",
    "{title}: x",
    "\x00",
    "%",
    "_",
    "'''",
    "title:japan",
]
#: Syntax around a word that is in the atlas: the word is still found.
AROUND_JAPAN = ['"japan"', '"japan', "japan*", "-japan", "(japan)", "^japan", "'japan'", "japan:*"]

SEARCH = """query ($q: String!) { search(query: $q) {
  __typename ... on Country { code } ... on Account { handle }
} }"""


@pytest.fixture
def japan_with_account(tokyo):
    return factories.make_account("https://x.com/NLinJapan", post=tokyo)


def test_search_words_keeps_words_and_drops_syntax():
    assert search_words('"NL in Japan"') == "NL in Japan"
    assert search_words("title:japan*") == "title japan"
    assert search_words("NEAR(a -b)") == "NEAR a b"
    assert search_words("nl.japan Côte d'Ivoire") == "nl.japan Côte d'Ivoire"
    assert search_words('" * - ( ) :') == ""


@pytest.mark.parametrize("query", NASTY + AROUND_JAPAN)
def test_graphql_search_takes_syntax_as_text(data, japan_with_account, query):
    results = data(SEARCH, {"q": query})["search"]  # asserts HTTP 200 and no errors
    if query in AROUND_JAPAN:
        assert results[0] == {"__typename": "Country", "code": "JP"}


def test_graphql_search_of_syntax_only_finds_nothing(data, japan_with_account):
    assert data(SEARCH, {"q": '"'})["search"] == []
    assert data(SEARCH, {"q": "NLinJapan*"})["search"] == [
        {"__typename": "Account", "handle": "NLinJapan"}
    ]

"""Text as visitors type and read it: search words, A-Z order, HTML and typed text as plain
text fit to show."""

from __future__ import annotations

import re
import unicodedata

from bs4 import BeautifulSoup

#: A search word: letters and digits, possibly joined by . ' - _ (nl.japan, d'Ivoire).
_WORD = re.compile(r"[^\W_]+(?:['’._-][^\W_]+)*")


def search_words(text: str | None) -> str:
    """What a visitor typed into a search box as plain words, for every search backend.

    Full-text syntax (quotes, ``*``, a leading ``-``, ``:``, brackets, ``^``...) is dropped:
    the search backends quote each word for the database's full-text query language (SQLite
    FTS5, PostgreSQL tsquery) without escaping a ``"`` in it, so a lone ``"`` is a syntax
    error there. Operators spelled as words (AND, OR, NOT, NEAR) stay: each word is quoted as a
    term. The index holds letters and digits only, so nothing that could match is lost. An
    empty string means there is nothing to search for.
    """
    return " ".join(_WORD.findall(unicodedata.normalize("NFC", text or "")))


def sort_key(text: str) -> str:
    """A–Z as readers expect it: case and accents do not decide the order (Österreich
    between Oman and Peru)."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


#: Elements whose content is never text a reader sees.
_HIDDEN = ["script", "style", "template", "noscript", "iframe", "object", "svg", "math"]
#: Elements that end a line or a block: their edges separate words.
_BLOCKS = ["br", "p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr"]
#: Control characters and line or paragraph separators: read as spaces.
_BREAKS = ("Cc", "Zl", "Zp")
#: Bidirectional embeddings, overrides and isolates: one left open turns the text after it
#: around, up to the end of the page's paragraph. Dropped. Other format characters stay: joiners
#: hold Persian words and emoji sequences together, marks (LRM, RLM) end nothing.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def plain_text(html: object, *, chars: int | None = None, words: int | None = None) -> str:
    """HTML (rich text, or a post a platform gives as HTML) as plain text: tags dropped,
    entities decoded, script and style content left out, block edges read as spaces, then
    tidied as ``clean_text`` does. The result is text, not markup: escape it where shown."""
    # A space after the end: html.parser drops the "&" of a last word like "Q&A" otherwise.
    soup = BeautifulSoup(f"{html or ''} ", "html.parser")
    for element in soup.find_all(_HIDDEN):
        element.decompose()
    for element in soup.find_all(_BLOCKS):
        element.insert_before(" ")
        element.insert_after(" ")
    return clean_text(soup.get_text(), chars=chars, words=words)


def clean_text(text: object, *, chars: int | None = None, words: int | None = None) -> str:
    """Plain text as a person typed it (a Bluesky post, a video's title), fit to show: never
    read as HTML (a "<script>" typed is text), bidirectional controls dropped, control
    characters and line breaks read as spaces, whitespace collapsed. Cut to at most `chars`
    characters or `words` words, ending in "…" when cut. Escape it where shown."""
    text = "".join(
        " " if unicodedata.category(char) in _BREAKS else char
        for char in str(text or "")
        if char not in _BIDI_CONTROLS
    )
    parts = text.split()
    if words is not None and len(parts) > words:
        return " ".join(parts[:words]) + "…"
    text = " ".join(parts)
    if chars is not None and len(text) > chars:
        # Cut at a word's end, without the punctuation left dangling before it.
        return text[: chars - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"
    return text

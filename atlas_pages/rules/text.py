"""Text as visitors type and read it: search words, A-Z order, HTML as plain text."""

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
#: Control, format and line or paragraph separator characters: read as spaces.
_INVISIBLE = ("Cc", "Cf", "Zl", "Zp")


def plain_text(html: object, *, chars: int | None = None, words: int | None = None) -> str:
    """HTML (rich text, or text fetched from a platform) as plain text: tags dropped, entities
    decoded, script and style content left out, block edges and invisible characters read as
    spaces, whitespace collapsed. Cut to at most `chars` characters or `words` words, ending
    in "…" when cut. The result is text, not markup: escape it where shown."""
    # A space after the end: html.parser drops the "&" of a last word like "Q&A" otherwise.
    soup = BeautifulSoup(f"{html or ''} ", "html.parser")
    for element in soup.find_all(_HIDDEN):
        element.decompose()
    for element in soup.find_all(_BLOCKS):
        element.insert_before(" ")
        element.insert_after(" ")
    text = "".join(
        " " if unicodedata.category(char) in _INVISIBLE else char for char in soup.get_text()
    )
    parts = text.split()
    if words is not None and len(parts) > words:
        return " ".join(parts[:words]) + "…"
    text = " ".join(parts)
    if chars is not None and len(text) > chars:
        # Cut at a word's end, without the punctuation left dangling before it.
        return text[: chars - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"
    return text

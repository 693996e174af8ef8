"""Text as visitors type and read it: search words, A-Z order."""

from __future__ import annotations

import re
import unicodedata

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

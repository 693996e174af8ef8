"""Moments as text: ISO 8601 read back into aware datetimes."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_moment(text: str | None) -> datetime | None:
    """A moment from ISO 8601 text (None for None): with its offset, or in UTC when it has none
    (SQLite stores moments in UTC without an offset). A ValueError for other text."""
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

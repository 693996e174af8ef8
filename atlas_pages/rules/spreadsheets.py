"""Spreadsheets: cells a spreadsheet program shows as text and never runs as a formula."""

from __future__ import annotations

#: What makes Excel, LibreOffice or Google Sheets read a cell as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:  # noqa: ANN401 (any cell)
    """A text cell that would run as a formula starts with a quote; other cells as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value

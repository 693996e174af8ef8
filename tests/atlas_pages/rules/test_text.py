"""HTML as plain text (atlas_pages.rules.text.plain_text): fetched posts and rich text alike;
text typed as plain text (clean_text) kept as typed."""

import pytest

from atlas_pages.rules.text import clean_text, plain_text


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<p>Hello <script>alert("x")</script><b>world</b> &amp; &lt;img src=x&gt;</p>',
            "Hello world & <img src=x>",
        ),
        ("<p>One</p><p>two<br>three</p>", "One two three"),  # block edges separate words
        ("<style>p {}</style><svg><text>drawn</text></svg>Seen", "Seen"),
        ("zero\u200bwidth\u2028line \x1b \n spaces", "zero\u200bwidth line spaces"),
        ("a < b, AT&T", "a < b, AT&T"),  # text that merely looks like markup stays
        ("Q&A", "Q&A"),
        (None, ""),
    ],
)
def test_html_becomes_plain_text(html, expected):
    assert plain_text(html) == expected


def test_a_character_limit_cuts_at_a_word_end():
    assert plain_text("Alpha beta, gamma delta", chars=15) == "Alpha beta…"
    assert plain_text("Short", chars=15) == "Short"


def test_a_word_limit_keeps_that_many_words():
    assert plain_text("<p>one two</p><p>three four</p>", words=3) == "one two three…"
    assert plain_text("<p>one two</p>", words=3) == "one two"


#: Persian "I want" (a zero-width non-joiner inside the word) and a family emoji (joiners).
PERSIAN = "می\u200cخواهم"
FAMILY = "👩\u200d👩\u200d👧"


@pytest.mark.parametrize("convert", [plain_text, clean_text])
def test_joiners_are_kept_and_bidi_overrides_dropped(convert):
    assert convert(f"{PERSIAN} {FAMILY}") == f"{PERSIAN} {FAMILY}"
    # An override or isolate left open would turn the rest of the page around.
    assert convert("abc\u202edcba\u202a \u2066x\u2067y\u2068z\u2069\u202b\u202c\u202d") == (
        "abcdcba xyz"
    )
    assert convert("\u200fشكرا\u200e") == "\u200fشكرا\u200e"  # marks end nothing: kept


def test_plain_text_as_typed_is_kept_as_typed():
    """Not parsed as HTML: what looks like markup or an entity is what the person typed."""
    typed = "I typed <script>alert(1)</script> & AT&amp;T <b>not bold</b>"
    assert clean_text(typed) == typed
    assert clean_text("  two\n\nlines\u2028") == "two lines"
    assert clean_text("Alpha beta, gamma delta", chars=15) == "Alpha beta…"
    assert clean_text(None) == ""

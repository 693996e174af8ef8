"""HTML as plain text (atlas_pages.rules.text.plain_text): fetched posts and rich text alike."""

import pytest

from atlas_pages.rules.text import plain_text


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<p>Hello <script>alert("x")</script><b>world</b> &amp; &lt;img src=x&gt;</p>',
            "Hello world & <img src=x>",
        ),
        ("<p>One</p><p>two<br>three</p>", "One two three"),  # block edges separate words
        ("<style>p {}</style><svg><text>drawn</text></svg>Seen", "Seen"),
        ("zero\u200bwidth\u2028line  \n spaces", "zero width line spaces"),
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

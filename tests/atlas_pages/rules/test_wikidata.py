"""Wikidata's terms as the atlas reads and writes them (atlas_pages.rules.wikidata), against
the recorded answers of the SPARQL endpoint (tests/atlas_pages/outbound/fixtures/wikidata/)."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from atlas_pages.rules import wikidata

FIXTURES = Path(__file__).parent.parent / "outbound" / "fixtures" / "wikidata"


def recorded(name):
    return json.loads((FIXTURES / name).read_text())


@pytest.mark.parametrize("value", ["Q1", "Q55", "Q11878930"])
def test_a_qid_is_q_and_digits_without_a_leading_zero(value):
    assert wikidata.is_qid(value)
    wikidata.validate_qid(value)


@pytest.mark.parametrize("value", ["", "Q", "Q0", "Q012", "q55", "P2002", "Q55 ", " Q55", "Q5x"])
def test_anything_else_is_refused_with_a_clear_message(value):
    assert not wikidata.is_qid(value)
    with pytest.raises(ValidationError, match="Q followed by digits"):
        wikidata.validate_qid(value)


def test_the_recorded_claims_are_read_as_account_claims_of_items():
    claims = wikidata.claims(recorded("claims.json"))
    # The official website (P856) is no account property: left out. Sorted by item and property.
    assert [(c.qid, c.pid, c.value) for c in claims] == [
        ("Q11878930", "P2002", "ClosedNLTokyo"),
        ("Q11878930", "P2002", "NLinJapan"),
        ("Q11878930", "P2002", "OldNLTokyo"),
        ("Q11878930", "P2003", "nlinjapan_rejected"),
        ("Q11878930", "P2003", "nlintokyo"),
        ("Q11878930", "P2013", "EmbassyNLTokyo"),
        ("Q98765432", "P2002", "JaneExampleNL"),
        ("Q98765432", "P12361", "janeexample.bsky.social"),
    ]
    assert claims[0].platform == "twitter" and claims[0].url == "https://x.com/ClosedNLTokyo"


def test_rows_leave_unbound_variables_out():
    rows = wikidata.rows(recorded("people.json"))
    assert rows[2] == {
        "item": "http://www.wikidata.org/entity/Q12345678",
        "name": "Jane Example",
        "countryCode": "US",
    }


@pytest.mark.parametrize(
    "answer",
    [{}, {"head": {}}, {"head": {"vars": ["a"]}, "results": {}}, [], "text", None],
)
def test_an_answer_that_is_not_sparql_json_is_refused(answer):
    with pytest.raises(wikidata.BadAnswer):
        wikidata.rows(answer)


@pytest.mark.parametrize(
    ("pid", "value", "url"),
    [
        ("P2002", "NLinJapan", "https://x.com/NLinJapan"),
        ("P2013", "NLEmbassyTokyo", "https://www.facebook.com/NLEmbassyTokyo"),
        ("P2003", "nlintokyo", "https://www.instagram.com/nlintokyo"),
        (
            "P2397",
            "UCabcdefghijklmnopqrstuv",
            "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv",
        ),
        ("P4264", "nl-embassy", "https://www.linkedin.com/company/nl-embassy"),
        ("P4033", "NLinJapan@Social.Overheid.nl", "https://social.overheid.nl/@NLinJapan"),
        ("P12361", "minbz.bsky.social", "https://bsky.app/profile/minbz.bsky.social"),
        ("P4033", "nlinjapan", None),  # no server
        ("P2002", "a/b", None),
        ("P856", "https://example.org", None),
    ],
)
def test_a_claim_names_a_profile(pid, value, url):
    assert wikidata.profile_url(pid, value) == url


def test_an_account_states_its_value_in_the_property_s_terms():
    assert wikidata.claim_value("P2002", "@NLinJapan", "https://x.com/NLinJapan") == "NLinJapan"
    assert wikidata.claim_value("P4264", "x", "https://linkedin.com/company/nl-emb") == "nl-emb"
    assert wikidata.claim_value("P4264", "jane", "https://linkedin.com/in/jane") is None
    channel = "UC" + "x" * 22
    assert (
        wikidata.claim_value("P2397", "NLTokyo", "https://youtube.com/@NLTokyo", channel) == channel
    )
    assert wikidata.claim_value("P2397", "NLTokyo", "https://youtube.com/@NLTokyo") is None
    assert (
        wikidata.claim_value("P4033", "nl", "https://Social.Overheid.nl/@nl")
        == "nl@social.overheid.nl"
    )


def test_posts_are_scored_by_country_type_name_and_place():
    tokyo, osaka, ottawa = wikidata.rows(recorded("posts.json"))
    here = (35.66, 139.74)
    score = wikidata.score_post(
        name="Embassy in Tokyo",
        city="Tokyo",
        kind="embassy",
        code="JP",
        point=here,
        candidate=tokyo,
    )
    assert score == wikidata.Score(90, ("country", "type", "name", "0.3 km"))
    far = wikidata.score_post(
        name="Embassy in Tokyo",
        city="Tokyo",
        kind="embassy",
        code="JP",
        point=here,
        candidate=osaka,
    )
    assert far.points < 50 and "type" not in far.reasons
    assert (
        wikidata.score_post(
            name="Embassy in Tokyo",
            city="Tokyo",
            kind="embassy",
            code="JP",
            point=here,
            candidate=ottawa,
        )  # fmt: skip
        is None
    )


def test_people_are_scored_by_name_position_and_citizenship():
    rows = wikidata.rows(recorded("people.json"))
    ours = [row for row in rows if row["item"].endswith("Q98765432")]
    other = [row for row in rows if row["item"].endswith("Q12345678")]
    score = wikidata.score_person(
        name="Jane Example", role="ambassador", code="NL", candidates=ours
    )
    assert score == wikidata.Score(100, ("name", "position", "citizenship"))
    assert wikidata.score_person(
        name="Jane Example", role="ambassador", code="NL", candidates=other
    ) == wikidata.Score(50, ("name",))
    assert (
        wikidata.score_person(name="John Example", role="ambassador", code="NL", candidates=ours)
        is None
    )


def test_quickstatements_remove_then_add_with_a_reference():
    old = wikidata.Claim("Q11878930", "P2002", "OldNLTokyo")
    new = wikidata.Claim("Q11878930", "P2002", 'NL"Tokyo')
    assert wikidata.quickstatements(
        [old, old], [(new, "https://atlas.example/nl/tokyo/")], "2026-12-06"
    ) == (
        '-Q11878930|P2002|"OldNLTokyo"\n'
        'Q11878930|P2002|"NLTokyo"|S854|"https://atlas.example/nl/tokyo/"|S813|+2026-12-06T00:00:00Z/11\n'
    )
    assert wikidata.quickstatements([], [], "2026-12-06") == ""


def test_queries_carry_only_well_formed_values():
    query = wikidata.people_query(['Jane "Example"\n} DROP'])
    assert '"Jane  Example  } DROP"@en' in query
    assert wikidata.countries_query(["JP", "x'y", "CA"]).count('VALUES ?code { "CA" "JP" }') == 1
    assert "wd:Q55" in wikidata.posts_query(["Q55", "bad"]) and "bad" not in wikidata.posts_query(
        ["Q55", "bad"]
    )

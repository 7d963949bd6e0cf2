"""Search (issue 6), on both engines: cases by number, defendant or attorney; docket entries by
their words with the database's full-text search (stemming, ranking, highlighting); never an
entry, a fragment of one, or a case the searcher may not see; hostile queries answered with a
message, never an error; a constant number of queries whatever the number of matches."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import text

from docket.extensions import db
from docket.filings import search as searching
from docket.filings import service
from docket.filings.search import QueryRefused, highlight, parse
from docket.filings.service import NewEntry, Upload
from tests.conftest import sign_in
from tests.isolated_client import isolated_client
from tests.pdfs import pdf
from tests.query_count import counted_queries

SECRET = "Zanzibar"  # a word only the sealed entry holds


def signed_in(app, email: str):
    client = isolated_client(app)
    assert sign_in(client, email).status_code == 302
    return client


def raw(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def words(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw(response))).split())


def search(client, q: str):
    return client.get("/search", query_string={"q": q})


def entries_part(response) -> str:
    """The docket-entries half of the results page, as text."""
    return words(response).split("Docket entries", 1)[1]


def cases_part(response) -> str:
    return words(response).split("Docket entries", 1)[0].split("Cases", 1)[-1]


def motion(court, text, title, *, user=None, case=None, subtype="suppress", **fields):
    return service.file_by_counsel(
        case or court.rivera,
        user or court.attorney_user,
        NewEntry(
            "motion",
            text,
            subtype=subtype,
            uploads=[Upload(pdf(title=title), f"{title}.pdf")],
            **fields,
        ),
    )


def order(court, text, case=None):
    return service.docket_by_clerk(case or court.rivera, court.clerk, NewEntry("order", text))


# --- finding -------------------------------------------------------------------------------


def test_entries_are_found_by_their_words_with_stemming_and_highlighted(app, court):
    found = motion(court, "Motion for suppression of the evidence seized at the stop", "a")
    motion(court, "Motion to dismiss count two for lack of venue", "b", subtype="dismiss")
    client = signed_in(app, "moreno@defense.test")

    response = search(client, "suppress")
    part = entries_part(response)
    assert "suppression of the evidence" in part and "lack of venue" not in part
    assert "2026-CR-000001" in part and "Motion to suppress evidence" in part
    assert "1 match, the best first" in part
    page = raw(response)
    assert "<mark>suppression</mark>" in page
    assert f'href="/cases/{court.rivera.id}/docket/{found.number}"' in page
    assert f'href="/cases/{court.rivera.id}/docket"' in page

    assert "lack of venue" in entries_part(search(client, "dismissing venues"))
    both = entries_part(search(client, "suppression or dismiss"))
    assert "suppression of the evidence" in both and "lack of venue" in both
    assert "lack of venue" not in entries_part(search(client, "motion -venue"))
    assert "suppression of the evidence" in entries_part(search(client, '"evidence seized"'))
    assert "No docket entry you may see holds those words." in entries_part(search(client, "arson"))


def test_the_better_match_comes_first(app, court):
    motion(court, "Motion about the suppress hearing schedule", "weak")
    motion(court, "Motion to suppress, suppress and suppress again: suppress all", "strong")
    part = entries_part(search(signed_in(app, "clerk@cir1.test"), "suppress"))
    assert part.index("suppress all") < part.index("hearing schedule")


def test_cases_are_found_by_number_defendant_and_attorney(app, court):
    client = signed_in(app, "clerk@cir1.test")
    assert "State v. Ortiz" in cases_part(search(client, "2026-CR-000002"))
    by_number = cases_part(search(client, "2026-CR"))
    assert "State v. Ortiz" in by_number and "State v. Rivera" in by_number
    by_name = cases_part(search(client, "Rivera"))
    assert "State v. Rivera" in by_name and "State v. Ortiz" not in by_name
    by_attorney = cases_part(search(client, "Moreno"))
    assert "State v. Rivera" in by_attorney and "State v. Ortiz" not in by_attorney
    assert "State v. Rivera" in cases_part(search(client, "d-200"))
    page = raw(search(client, "Rivera"))
    assert f'href="/cases/{court.rivera.id}"' in page
    assert "No case you may see" in cases_part(search(client, "Nobody"))


def test_an_attorney_finds_only_the_cases_where_they_are_counsel(app, court):
    order(court, "ORDER setting the suppression hearing", case=court.ortiz)
    client = signed_in(app, "moreno@defense.test")
    assert "State v. Ortiz" not in cases_part(search(client, "2026-CR"))
    assert "suppression hearing" not in entries_part(search(client, "suppression"))
    other = signed_in(app, "vega@defense.test")
    assert "No case you may see" in cases_part(search(other, "2026-CR"))


# --- what is never returned ----------------------------------------------------------------


def sealed_entry(court, *, filer_may_see: bool):
    entry = motion(court, f"Motion naming the informant {SECRET} for suppression", "sealed")
    sealing = order(court, "ORDER granting leave to file under seal")
    service.seal(entry, "Informant's safety", sealing.number, filer_may_see, court.clerk)
    return entry


@pytest.mark.parametrize(
    ("email", "sees"),
    [
        ("clerk@cir1.test", True),
        ("okafor@cir1.test", True),  # the case's judge
        ("moreno@defense.test", True),  # the filer, as the seal order allows
        ("chen@da.test", False),  # the other side
        ("lind@cir1.test", False),  # a judge of another case
        ("admin@cir1.test", False),
        ("clerk@cir2.test", False),  # another court
        ("vega@defense.test", False),
    ],
)
def test_a_sealed_entry_is_returned_only_to_those_who_may_see_it(app, court, email, sees):
    entry = sealed_entry(court, filer_may_see=True)
    link = f'href="/cases/{court.rivera.id}/docket/{entry.number}"'
    client = signed_in(app, email)
    for q in (SECRET, "informant", "suppression"):
        response = search(client, q)
        assert (link in raw(response)) == sees
        if not sees:
            assert "No docket entry you may see holds those words." in entries_part(response)
            if q != SECRET:  # nor in a fragment
                assert SECRET not in raw(response)


def test_a_seal_that_excludes_the_filer_hides_the_entry_from_the_filer_too(app, court):
    sealed_entry(court, filer_may_see=False)
    assert SECRET not in raw(search(signed_in(app, "moreno@defense.test"), "informant"))
    assert SECRET in raw(search(signed_in(app, "okafor@cir1.test"), "informant"))


@pytest.mark.parametrize(
    ("email", "sees"),
    [
        ("clerk@cir1.test", True),
        ("okafor@cir1.test", True),
        ("lind@cir1.test", False),
        ("admin@cir1.test", False),
        ("moreno@defense.test", False),
        ("chen@da.test", False),
    ],
)
def test_a_sealed_case_is_found_only_by_the_court(app, court, email, sees):
    motion(court, f"Motion to suppress the {SECRET} wiretap", "w")
    sealing = order(court, "ORDER sealing the case")
    service.seal_case(court.rivera, "Grand jury secrecy", sealing.number, court.clerk)
    client = signed_in(app, email)
    assert ("State v. Rivera" in cases_part(search(client, "Rivera"))) == sees
    assert (SECRET in raw(search(client, "wiretap"))) == sees
    assert ("State v. Rivera" in cases_part(search(client, "2026-CR-000001"))) == sees


# --- hostile and odd queries ---------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "AND",
        "a*",
        "'; drop table docket_entry; --",
        "NEAR(suppress",
        "suppress*",
        "-",
        "or",
        "^motion",
        "text:motion",
        "(((",
        '"unbalanced phrase',
        "motion AND OR NOT",
        "%_%",
        "\\",
        "motion\x00",
    ],
)
def test_hostile_queries_are_answered_not_raised(app, court, q):
    motion(court, "Motion to suppress the stop", "m")
    response = search(signed_in(app, "clerk@cir1.test"), q)
    assert response.status_code == 200
    page = words(response)
    assert "Something went wrong" not in page
    assert "Search" in page


def test_empty_short_and_stop_word_queries_get_a_message(app, court):
    motion(court, "Motion to suppress the stop", "m")
    client = signed_in(app, "clerk@cir1.test")
    first = words(client.get("/search"))
    assert "Docket entries" not in first and "Type a case number" not in first  # just the box
    assert "Type a case number" in words(search(client, "   "))
    assert "Type at least 2 characters" in words(search(client, "m"))
    stop = search(client, "the and of")
    assert "too common to search for" in entries_part(stop)
    assert "Say what to look for" in entries_part(search(client, "-motion"))
    for symbols in ('""', "%%", "--"):
        assert "this search has none" in entries_part(search(client, symbols)), symbols
    assert "at most 200" in words(search(client, "x" * 201))


def test_entry_text_is_escaped_around_the_highlight(app, court):
    motion(court, 'Motion to suppress <script>alert("x")</script> & more', "x")
    page = raw(search(signed_in(app, "clerk@cir1.test"), "suppress"))
    assert "<script>alert" not in page
    assert "<mark>suppress</mark>" in page


def test_results_are_limited_by_the_configured_number(app, court):
    app.config["DOCKET_ENTRIES_PER_SEARCH"] = 2
    for n in range(3):
        motion(court, f"Motion {n} to suppress", f"m{n}")
    part = entries_part(search(signed_in(app, "clerk@cir1.test"), "suppress"))
    assert "The best 2 of 3 matches" in part
    assert len(re.findall(r"Motion \d to suppress", part)) == 2


def test_a_common_word_is_ranked_among_its_most_recent_matches_and_the_page_says_so(
    app, court, monkeypatch
):
    monkeypatch.setattr(searching, "CANDIDATES", 3)
    monkeypatch.setattr(searching, "COMMON", 1)  # PostgreSQL: "suppress" is a common word
    motion(court, "Motion to suppress, suppress, suppress: suppress everything", "oldest")
    for n in range(1, 5):
        motion(court, f"Motion {n} about a suppress hearing", f"m{n}")
    part = entries_part(search(signed_in(app, "clerk@cir1.test"), "suppress"))
    assert "At least 3 entries match: these are the best 3 of the 3 most recent." in part
    assert "suppress everything" not in part  # older than the three most recent
    assert all(f"Motion {n} about" in part for n in (2, 3, 4))


def postgresql_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the newest-first read is PostgreSQL's (FTS5 always reads newest first)")


def analyzed():
    """The planner's counts of cases and entries, which choose the newest-first read."""
    db.session.execute(text("ANALYZE court_case, docket_entry"))


def page(user, q: str):
    found = searching.search(user, q)
    return found.read, [hit.id for hit in found.entries], found.matched, found.capped


def test_an_attorney_in_most_cases_gets_a_common_word_newest_first_and_the_same_page(
    app, court, monkeypatch
):
    postgresql_only()
    monkeypatch.setattr(searching, "CANDIDATES", 3)
    monkeypatch.setattr(searching, "COMMON", 1)
    hidden = sealed_entry(court, filer_may_see=False)  # "suppression": not the prosecutor's
    motion(court, "Motion to suppress the search of the car", "car")
    for n in range(4):
        order(court, f"ORDER {n} setting a suppress hearing", case=court.ortiz)
    statements = motion(court, "Motion to suppress statements", "statements")
    analyzed()
    newest = page(court.prosecutor_user, "suppress")  # counsel in both of the court's cases
    monkeypatch.setattr(searching, "_walk_rows", lambda *counts: 0)
    their_entries = page(court.prosecutor_user, "suppress")
    assert (newest[0], their_entries[0]) == ("newest first", "their entries")
    assert newest[1:] == their_entries[1:]
    read, ids, matched, capped = newest
    assert matched == 3 and capped and hidden.id not in ids
    assert statements.id in ids  # the newest match is among the three


def test_a_newest_first_read_that_finds_too_few_reads_the_attorneys_entries_after_all(
    app, court, monkeypatch
):
    postgresql_only()
    monkeypatch.setattr(searching, "CANDIDATES", 3)
    monkeypatch.setattr(searching, "COMMON", 1)
    mine = [motion(court, f"Motion {n} to suppress", f"m{n}") for n in range(2)]
    for n in range(14):  # the word is common, but in a case that is not Moreno's
        order(court, f"ORDER {n} on the suppress hearing", case=court.ortiz)
    analyzed()
    read, ids, matched, capped = page(court.attorney_user, "suppress")
    assert read == "newest first, then their entries"
    assert sorted(ids) == sorted(entry.id for entry in mine)
    assert matched == 2 and not capped


def test_the_newest_first_read_is_chosen_only_where_it_reads_fewer_entries():
    walk = searching._walk_rows
    n = 5_000_000
    # A prosecutor's office in 4% of 250,000 cases, a word in 65% of recent entries: about
    # 19,231 entries newest first instead of their 200,000, and four times that at most.
    assert walk(6_500, 10_000, 250_000, n) == 76_924
    # The same word in 10%: 125,000 expected; no more than their 200,000 are read.
    assert walk(1_000, 10_000, 250_000, n) == 200_001
    # A defense attorney in 420 cases: their 8,400 entries are fewer.
    assert walk(1_000, 420, 250_000, n) == 0
    # Tables never analyzed (no counts), or no current cases: never.
    assert walk(1_000, 10_000, 0, 0) == walk(1_000, 0, 250_000, n) == 0


def test_search_costs_the_same_queries_for_one_match_or_many(app, court):
    motion(court, "Motion 0 to suppress", "m0")
    client = signed_in(app, "moreno@defense.test")
    search(client, "suppress Rivera")
    with counted_queries() as few:
        search(client, "suppress")
    for n in range(1, 8):
        motion(court, f"Motion {n} to suppress", f"m{n}")
    with counted_queries() as many:
        assert (
            len(re.findall(r"Motion \d to suppress", entries_part(search(client, "suppress")))) == 8
        )
    assert len(many) == len(few)


def test_signed_out_visitors_are_sent_to_sign_in(app, court):
    response = isolated_client(app).get("/search?q=motion")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


# --- the query parser and the highlighter (no database) ------------------------------------


def test_the_fts5_query_quotes_every_term():
    assert parse("motion to suppress").fts5() == '("motion") AND ("suppress")'
    assert parse('"motion to suppress" or dismiss -venue').fts5() == (
        '(("motion to suppress" OR "dismiss")) NOT "venue"'
    )
    assert parse("NEAR(x AND y").fts5() == '("near x") AND ("y")'
    for q in ('"', "AND", "a*", "the of", "-motion"):
        with pytest.raises(QueryRefused):
            parse(q)


def test_the_highlight_escapes_everything_and_stays_balanced():
    assert highlight("a <b> \ue000x&y\ue001 \ue001 \ue000z") == (
        "a &lt;b&gt; <mark>x&amp;y</mark>  <mark>z</mark>"
    )
    assert highlight(None) == ""

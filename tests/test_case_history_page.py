"""The clerks' case history page reads as what happened, not as database rows: each audit row
in words, only the fields it changed with their labels, values as a clerk writes them (dates,
Yes/No, names instead of ids, court time), on both engines, in a fixed number of queries."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from docket import audit
from docket.cases import history_view
from docket.extensions import db
from docket.filings import service as filings
from docket.filings.service import NewEntry, Upload
from docket.models import Attorney, AuditLogEntry, CaseEvent, CounselOfRecord, Defendant, Hearing
from tests.conftest import sign_in
from tests.factories import case as make_case
from tests.isolated_client import isolated_client
from tests.pdfs import pdf
from tests.query_count import counted_queries

CHICAGO = ZoneInfo("America/Chicago")
SOURCE = Path(__file__).resolve().parent.parent / "docket"


@pytest.fixture
def clerk(app, court):
    client = isolated_client(app)
    assert sign_in(client, "clerk@cir1.test").status_code == 302
    return client


def history_rows(response) -> list[str]:
    """Each table row's visible text (tags dropped, whitespace collapsed)."""
    assert response.status_code == 200
    body = response.get_data(as_text=True).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    found = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in found]


def row(entry_rows: list[str], starting: str) -> str:
    matches = [text for text in entry_rows if starting in text]
    assert len(matches) == 1, (starting, entry_rows)
    return matches[0]


def entry(action, before=None, after=None, entity_type="court_case", entity_id=1, user_id=None):
    return AuditLogEntry(
        at=datetime(2026, 3, 2, 15, 30, tzinfo=UTC),
        user_id=user_id,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        case_id=1,
        before=before,
        after=after,
    )


def shown(item, records=None) -> dict[str, tuple[str | None, str]]:
    """label → (before, after) of one audit row."""
    (formatted,) = history_view.rows([item], records or {}, CHICAGO)
    return {change.label: (change.before, change.after) for change in formatted.changes}


# --- the words -------------------------------------------------------------------------------


def _written_actions() -> set[str]:
    """Every action string the code passes to audit.record, read from the source."""
    found = set()
    for path in SOURCE.rglob("*.py"):
        source = path.read_text()
        for match in re.finditer(r"audit\.record\(\s*", source):
            first = re.match(
                r"(f?\"[^\"]*\"(?:\s+if\s+\w+\s+else\s+\"[^\"]*\")?)", source[match.end() :]
            )
            if first is None:  # a variable: hearing_scheduled / hearing_rescheduled (booking.py)
                continue
            for literal in re.findall(r"f?\"([^\"]*)\"", first.group(1)):
                if "{action}" in literal:  # filings: docket_entry_{strike,seal,unseal}
                    found |= {literal.replace("{action}", a) for a in ("strike", "seal", "unseal")}
                else:
                    found.add(literal)
    return found | {"hearing_scheduled", "hearing_rescheduled"}


def test_every_action_the_code_writes_has_words():
    written = _written_actions()
    assert {"case_opened", "docket_entry_filed", "hearing_continued", "case_moved"} <= written
    assert written - set(history_view.ACTIONS) == set()


def test_an_action_reads_as_words_with_its_number_and_an_unknown_one_as_its_own_words():
    assert history_view.describe(entry("docket_entry_filed", after={"number": 12})) == (
        "Docket entry #12 filed"
    )
    assert history_view.describe(entry("docket_entry_seal", after={"number": 4})) == (
        "Entry #4 sealed"
    )
    continued = entry("hearing_continued", after={"status": "continued"}, entity_type="hearing")
    assert history_view.describe(continued, {"hearing": {1: "trial"}}) == "Hearing continued: Trial"
    assert history_view.describe(continued) == "Hearing continued"
    assert history_view.describe(entry("bail_review_held")) == "Bail review held"


# --- the fields ------------------------------------------------------------------------------


def test_an_update_shows_only_the_fields_that_differ_labelled_and_formatted():
    item = entry(
        "case_moved",
        before={"status": "active", "custody_status": "in_custody", "sealed": False},
        after={"status": "disposed", "custody_status": "in_custody", "sealed": True, "version": 3},
    )
    assert shown(item) == {"Status": ("Active", "Disposed"), "Sealed": ("No", "Yes")}


def test_a_creation_shows_the_fields_that_say_something_without_internal_keys():
    item = entry(
        "docket_entry_filed",
        entity_type="docket_entry",
        user_id=7,
        after={
            "id": 3587,
            "case_id": 1,
            "number": 12,
            "filed_at": "2026-02-27T16:00:00+00:00",  # a paper filing docketed later
            "filer_party": "defense",
            "filer_attorney_id": 5,
            "defendant_id": None,
            "entry_type": "motion",
            "subtype": "suppress",
            "text": "Motion to suppress",
            "sealed": False,
            "seal_allows_filer": False,
            "stricken": False,
            "stricken_reason": None,
            "created_by_id": 7,
            "created_at": "2026-03-02T15:30:01.123456+00:00",
            "sha256": "ab" * 32,
        },
    )
    assert shown(item, {"attorney": {5: "Luis Moreno"}}) == {
        "Filed": (None, "Feb 27, 2026 10:00 AM"),  # court time (Chicago), not UTC
        "Filed by": (None, "Defense"),
        "Filing attorney": (None, "Luis Moreno"),
        "Type": (None, "Motion"),
        "Motion": (None, "to suppress evidence"),
        "Text": (None, "Motion to suppress"),
    }


def test_a_time_the_row_itself_says_is_left_out():
    filed_now = entry(
        "docket_entry_filed",
        entity_type="docket_entry",
        after={"number": 3, "filed_at": "2026-03-02T15:30:20+00:00", "text": "Notice"},
    )
    assert shown(filed_now) == {"Text": (None, "Notice")}


def test_ids_the_page_could_not_name_are_left_out_and_none_reads_as_a_dash():
    item = entry(
        "counsel_withdrew",
        entity_type="counsel_of_record",
        before={"withdrew_on": None, "defendant_id": 4, "mystery_id": 9},
        after={"withdrew_on": "2026-03-20", "defendant_id": 5, "mystery_id": 10},
    )
    assert shown(item) == {"Withdrew": ("—", "Mar 20, 2026")}
    named = {"defendant": {4: (1, "Ana", "", "Rivera"), 5: (2, "Jean", "", "Baptiste")}}
    assert shown(item, named)["Defendant"] == ("Ana Rivera (#1)", "Jean Baptiste (#2)")


def test_values_no_field_describes_still_read_plainly():
    item = entry(
        "hearing_rescheduled",
        entity_type="hearing",
        before={"starts_at": "2026-03-02T15:30:00+00:00"},
        after={
            "starts_at": "2026-03-09T14:00:00+00:00",
            "overridden": ["Counsel busy: Moreno in trial", "Past the deadline"],
            "new_flag": True,
            "on_day": "2026-03-09",
        },
    )
    assert shown(item) == {
        "Starts": ("Mar 2, 2026 9:30 AM", "Mar 9, 2026 9:00 AM"),
        "Warnings overridden": (None, "Counsel busy: Moreno in trial; Past the deadline"),
        "New flag": (None, "Yes"),
        "On day": (None, "Mar 9, 2026"),
    }


# --- the page --------------------------------------------------------------------------------


def _hearing(court, case) -> Hearing:
    hearing = Hearing(
        case_id=case.id,
        hearing_type="arraignment",
        starts_at=datetime(2026, 3, 16, 14, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 16, 14, 15, tzinfo=UTC),
        courtroom_id=court.courtroom.id,
        judge_id=court.judge_okafor.id,
    )
    db.session.add(hearing)
    db.session.flush()
    return hearing


def _scheduled_and_continued(court, case, user) -> None:
    """A hearing's audit rows as booking.py and changes.py write them."""
    hearing = _hearing(court, case)
    audit.record("hearing_scheduled", hearing, case_id=case.id, user=user)
    before = audit.snapshot(hearing)
    hearing.status, hearing.continuance_requester = "continued", "defense"
    hearing.continuance_reason = "discovery_incomplete"
    db.session.flush()
    old, new = audit.changed(before, audit.snapshot(hearing))
    new.update(setting=1, requester="defense", reason="discovery_incomplete", note=None)
    audit.record("hearing_continued", hearing, case_id=case.id, before=old, after=new, user=user)
    db.session.commit()


def test_the_page_reads_as_what_happened(app, court, clerk):
    rivera = court.rivera
    motion = filings.file_by_counsel(
        rivera,
        court.attorney_user,
        NewEntry(
            "motion",
            "Motion to suppress",
            subtype="suppress",
            uploads=[Upload(pdf(title="m"), "motion.pdf")],
        ),
    )
    filings.docket_by_clerk(rivera, court.clerk, NewEntry("order", "ORDER sealing #1"))
    filings.seal(motion, "Informant safety", 2, True, court.clerk)
    _scheduled_and_continued(court, rivera, court.clerk)
    assert (
        clerk.post(
            f"/cases/{rivera.id}/defendants/new",
            data={"last_name": "Baptiste", "first_name": "Jean"},
        ).status_code
        == 302
    )

    rows = history_rows(clerk.get(f"/cases/{rivera.id}/history"))
    page = " ".join(rows)
    for raw in ("filer_attorney_id", "seal_allows_filer", "_id", "None", "False", "True", "+00:00"):
        assert raw not in page, raw

    filed = row(rows, "Docket entry #1 filed")
    assert " Moreno Docket entry #1 filed" in filed  # Who: the counsel's account
    assert "Filing attorney Luis Moreno" in filed
    assert "Type Motion Motion to suppress evidence" in filed
    assert "Sealed" not in filed  # a flag left off says nothing on a creation
    sealed = row(rows, "Entry #1 sealed")
    assert "Reason Informant safety" in sealed
    assert "Authorizing order #2" in sealed
    assert " Clerk Entry #1 sealed" in sealed
    scheduled = row(rows, "Hearing scheduled: Arraignment")
    assert "Starts Mar 16, 2026 9:00 AM" in scheduled  # court time
    assert "Courtroom 3A" in scheduled and "Judge Adaeze Okafor" in scheduled
    continued = row(rows, "Hearing continued: Arraignment")
    assert "Status Scheduled → changed to Continued" in continued
    assert "Reason Discovery incomplete" in continued
    assert "Setting #1" in continued
    assert "Continuance reason" not in continued  # the row's own reason says it once
    assert "Note" not in continued
    assert "Last name Baptiste First name Jean" in row(rows, "Defendant #2 added")


def test_the_page_names_counsel_and_events_the_clerk_recorded(app, court, clerk):
    rivera = court.rivera
    defendant_id = rivera.defendants[0].id
    appearance = db.session.scalar(
        db.select(CounselOfRecord).where(CounselOfRecord.attorney_id == court.defender.id)
    )
    posts = {
        f"/cases/{rivera.id}/events/new": {
            "event_type": "arraignment_held",
            "occurred_on": "2026-03-20",
            "defendant_id": str(defendant_id),
            "note": "Pleaded not guilty.",
        },
        f"/cases/{rivera.id}/counsel/{appearance.id}/withdraw": {"withdrew_on": "2026-03-25"},
    }
    for path, data in posts.items():
        assert clerk.post(path, data=data).status_code == 302
    rows = history_rows(clerk.get(f"/cases/{rivera.id}/history"))
    event = row(rows, "Event recorded: Arraignment held")
    assert "Defendant Ana Rivera (#1) Date Mar 20, 2026 Note Pleaded not guilty." in event
    assert "Recorded by" not in event  # the Who column says it
    assert "Withdrew — → changed to Mar 25, 2026" in row(rows, "Counsel withdrew: Luis Moreno")


# --- a fixed number of queries -------------------------------------------------------------


def _busy_history(court, number: str, times: int):
    """A case whose history points at every kind of record, `times` over."""
    case = make_case(court.court, number, f"Busy{times}", court.judge_okafor)
    db.session.flush()
    audit.record("case_opened", case, case_id=case.id, user=court.clerk)
    for n in range(1, times + 1):
        defendant = Defendant(case=case, number=n + 1, last_name=f"D{n}", name_key=f"d{n}")
        db.session.add(defendant)
        db.session.flush()
        audit.record("defendant_added", defendant, case_id=case.id, user=court.clerk)
        counsel = CounselOfRecord(
            case=case,
            attorney=Attorney(bar_number=f"Q-{number}-{n}", name=f"Lawyer {n}", office="appointed"),
            side="defense",
            defendant=defendant,
            appeared_on=date(2026, 3, 3),
        )
        db.session.add(counsel)
        db.session.flush()
        audit.record("counsel_appeared", counsel, case_id=case.id, user=court.clerk)
        order = filings.docket_by_clerk(case, court.clerk, NewEntry("order", f"ORDER {n}"))
        event = CaseEvent(
            case=case,
            defendant=defendant,
            event_type="arrest",
            occurred_on=date(2026, 3, 1),
            docket_entry_id=order.id,
            recorded_by_id=court.judge_user.id,
        )
        db.session.add(event)
        db.session.flush()
        audit.record("event_recorded", event, case_id=case.id, user=court.clerk)
        _scheduled_and_continued(court, case, court.clerk)
    db.session.commit()
    return case.id


def _queries_for(client, path: str) -> list[str]:
    assert client.get(path).status_code == 200  # warm: the first request may load more
    with counted_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return statements


def test_the_page_costs_the_same_queries_for_a_short_or_a_long_history(app, court, clerk):
    short = _busy_history(court, "2026-CR-000201", 1)
    long = _busy_history(court, "2026-CR-000202", 6)

    short_queries = _queries_for(clerk, f"/cases/{short}/history")
    long_queries = _queries_for(clerk, f"/cases/{long}/history")
    assert len(long_queries) == len(short_queries), "\n".join(long_queries)
    # the account, the case, the rows with their users, then one query per kind of record named
    assert len(long_queries) <= 4 + len(history_view.RECORD_KINDS), "\n".join(long_queries)
    rows = history_rows(clerk.get(f"/cases/{long}/history"))
    assert len(rows) == 1 + 6 * 6
    events = [text for text in rows if "Event recorded: Arrest" in text]
    assert len(events) == 6
    assert all("Recorded by Okafor" in text for text in events)  # not the Who: so it is named
    assert "Docket entry #6" in " ".join(events)

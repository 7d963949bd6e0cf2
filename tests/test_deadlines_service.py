"""Materialized deadlines as the clerk relies on them: recording an event, an excludable period
or a track change recomputes the stored rows in the same request (with the audit row), bad
input saves nothing, only the clerk's office changes the plan's inputs, facts are read in a
constant number of queries and `recompute_all` works in batches, the CLI prints what it should,
and a case is computed under the plan in force on its filing date.

Dates are fixed in the past so every expected value below is worked by hand from
rules/state-dcm-2026.toml (the default PLAN_FILES): time zone America/Phoenix, holidays of the
`holidays` package for US-AZ (2026: ... May 25 Memorial Day, Jul 3 Independence Day observed,
Sep 7 Labor Day ...). Counting: the trigger day is excluded and the last day included; a stage
whose last day is a Saturday, Sunday or holiday runs to the next court day. The Rule 8.2 clock
flags the last countable day itself (`due_on`) and shows the next court day as `rolled_to`.

The factory's cases (tests/factories.py) were filed Mon 2026-03-02 on track "standard", with
the defendant released.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlalchemy import func, select

import docket.cli
from docket.deadlines import service
from docket.extensions import db
from docket.models import (
    AuditLogEntry,
    Case,
    CaseEvent,
    Deadline,
    DocketEntry,
    Judge,
    TollingPeriod,
)
from tests.conftest import sign_in
from tests.factories import case as make_case
from tests.isolated_client import isolated_client
from tests.query_count import counted_queries

FILED = date(2026, 3, 2)  # Monday: the factory's filing date
INFORMATION = date(2026, 3, 2)  # information filed the same day
ARRAIGNED = date(2026, 3, 10)  # Tuesday


# --- helpers -------------------------------------------------------------------------------------


def signed_in(app, email: str):
    client = isolated_client(app)
    assert sign_in(client, email).status_code == 302
    return client


@pytest.fixture
def clerk(app, court):
    return signed_in(app, "clerk@cir1.test")


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_error(response, field: str) -> str:
    found = re.search(
        rf'<p class="error" id="{field}-error">(.*?)</p>', response.get_data(as_text=True), re.S
    )
    return html.unescape(found.group(1)) if found else ""


def stored(case_id: int) -> dict[tuple[str, str], Deadline]:
    """The case's stored deadlines as the requests committed them, by (kind, item id)."""
    db.session.rollback()
    rows = db.session.scalars(select(Deadline).where(Deadline.case_id == case_id)).all()
    found = {(row.kind, row.item_id): row for row in rows}
    assert len(found) == len(rows)  # one defendant: one row per item
    return found


def snapshot(case_id: int) -> list[tuple]:
    """Everything about the stored rows, computed_at included: equal means not rewritten."""
    db.session.rollback()
    return [
        (r.id, r.kind, r.item_id, r.due_on, r.status, r.days_excluded, r.computed_at)
        for r in db.session.scalars(
            select(Deadline).where(Deadline.case_id == case_id).order_by(Deadline.id)
        )
    ]


def audit_rows(action: str) -> list[AuditLogEntry]:
    db.session.rollback()
    return db.session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.action == action).order_by(AuditLogEntry.id)
    ).all()


def tolling_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(TollingPeriod))


def record(client, case_id: int, event_type: str, on: date):
    response = client.post(
        f"/cases/{case_id}/events/new",
        data={"event_type": event_type, "occurred_on": on.isoformat(), "defendant_id": ""},
    )
    assert response.status_code == 302, field_error(response, "event_type") or text(response)
    return response


def arraigned(client, case_id: int) -> None:
    record(client, case_id, "information_filed", INFORMATION)
    record(client, case_id, "arraignment_held", ARRAIGNED)


def excludable_form(**fields) -> dict:
    return {
        "code": "r8_5",
        "starts_on": "2026-04-01",
        "ends_on": "2026-04-14",
        "defendant_id": "",
        "entry_number": "",
        "reason": "Continuance at the defendant's request",
        **fields,
    }


# --- events --------------------------------------------------------------------------------------


def test_recording_events_recomputes_the_stored_deadlines_in_the_same_request(app, court, clerk):
    """Information filed Mon 2026-03-02, defendant released: the arraignment stage is due
    30 days later (Rule 14.2, released): March has 31 days, so 03-02 + 30 = Wed 2026-04-01,
    a court day. Nothing is triggered by the arraignment yet: those stages wait, undated.

    Arraignment held Tue 2026-03-10 (before 04-01): the arraignment stage is met on 03-10.
    Stages and documents from 03-10 (03-10 + 21 = 03-31; + 30 = 04-30):
    - State's initial disclosure, 30 days: 03-10 + 30 = Thu 04-09.
    - Defendant's disclosure, 40 days: Sun 04-19, rolls to Mon 04-20.
    - Discovery complete, 45 days (standard): Fri 04-24.
    - Pretrial motions, 60 days: 04-30 + 9 = Sat 05-09, rolls to Mon 05-11.
    - Pretrial conference, 90 days: 04-30 + 39 = Mon 06-08 (May has 31 days: 05-31 + 8).
    - Trial stage, 180 days released, roll = false: 06-08 + 90 = Sun 09-06 (June 30: 07-08
      is +30, 08-07 is +60, 09-06 is +90), not rolled.
    - Rule 8.2 clock, released: 180 days, last countable day Sun 09-06; the next day is
      Labor Day (Mon 09-07), so the rolled day shown beside it is Tue 09-08.
    """
    rivera = court.rivera.id
    assert stored(rivera) == {}  # the factory wrote the case without computing it

    record(clerk, rivera, "information_filed", INFORMATION)
    rows = stored(rivera)
    assert rows[("stage", "arraignment")].due_on == date(2026, 4, 1)
    assert rows[("stage", "discovery")].due_on is None
    assert rows[("stage", "discovery")].status == "pending"
    assert rows[("clock", "trial")].due_on is None

    record(clerk, rivera, "arraignment_held", ARRAIGNED)
    rows = stored(rivera)
    arraignment = rows[("stage", "arraignment")]
    assert (arraignment.status, arraignment.satisfied_on) == ("met", ARRAIGNED)
    assert arraignment.due_on == date(2026, 4, 1)
    due = {key: row.due_on for key, row in rows.items()}
    assert due[("document", "state_initial_disclosure")] == date(2026, 4, 9)
    assert due[("document", "defense_disclosure")] == date(2026, 4, 20)
    assert due[("stage", "discovery")] == date(2026, 4, 24)
    assert due[("stage", "motions")] == date(2026, 5, 11)
    assert due[("stage", "pretrial_conference")] == date(2026, 6, 8)
    assert due[("stage", "trial")] == date(2026, 9, 6)
    clock = rows[("clock", "trial")]
    assert (clock.due_on, clock.last_countable_day, clock.rolled_to) == (
        date(2026, 9, 6),
        date(2026, 9, 6),
        date(2026, 9, 8),
    )
    assert clock.defendant_id == court.rivera.defendants[0].id
    assert any("rolled day 2026-09-08" in line for line in clock.explanation)
    assert all(row.plan_version == "state-dcm-2026" for row in rows.values())
    # Both events are on the docket with their audit rows; the other case is untouched.
    assert len(audit_rows("event_recorded")) == 2
    assert stored(court.ortiz.id) == {}


# --- excludable periods --------------------------------------------------------------------------


def test_an_excludable_period_moves_the_clock_by_the_excluded_days(app, court, clerk):
    """Arraigned Tue 2026-03-10, released: 180 days, last day Sun 09-06 (see above).
    A Rule 8.5 continuance from Wed 04-01 through Tue 04-14 excludes 14 days (inclusive).
    The last day moves 14 days: 09-06 + 14 = Sun 09-20, rolled day Mon 09-21. The stages
    are goals, not the clock: they do not move. 8.5 is not a floor code (only competency
    and absence are), so the floor does not apply."""
    rivera = court.rivera.id
    arraigned(clerk, rivera)
    before = {key: row.due_on for key, row in stored(rivera).items()}
    assert before[("clock", "trial")] == date(2026, 9, 6)
    assert stored(rivera)[("clock", "trial")].days_excluded == 0

    response = clerk.post(f"/cases/{rivera}/excludable/new", data=excludable_form())
    assert response.status_code == 302, text(response)
    assert response.headers["Location"] == f"/cases/{rivera}"

    after = stored(rivera)
    clock = after[("clock", "trial")]
    assert clock.due_on == date(2026, 9, 20)
    assert (clock.due_on - before[("clock", "trial")]).days == 14
    assert clock.rolled_to == date(2026, 9, 21)
    assert clock.days_excluded == 14
    assert clock.excluded_periods == [
        {
            "code": "r8_5",
            "name": "Continuance granted under Rule 8.5",
            "citation": "Ariz. R. Crim. P. 8.4, 8.5 [U: paragraph]",
            "start": "2026-04-01",
            "end": "2026-04-14",
            "days": 14,
        }
    ]
    for key, row in after.items():
        if key != ("clock", "trial"):
            assert row.due_on == before[key], key

    period = db.session.scalar(select(TollingPeriod))
    assert (period.case_id, period.code, period.starts_on, period.ends_on) == (
        rivera,
        "r8_5",
        date(2026, 4, 1),
        date(2026, 4, 14),
    )
    assert period.defendant_id is None and period.docket_entry_id is None
    (row,) = audit_rows("excludable_period_added")
    assert (row.case_id, row.entity_id, row.user_id) == (rivera, period.id, court.clerk.id)
    assert row.after["code"] == "r8_5" and row.after["reason"].startswith("Continuance")

    page = text(clerk.get(f"/cases/{rivera}"))
    assert "Excludable periods entered" in page
    assert "Continuance at the defendant's request" in page
    assert "r8_5 Continuance granted under Rule 8.5: 2026-04-01 – 2026-04-14 (14 days)" in page


def test_an_excludable_period_names_the_order_on_the_docket(app, court, clerk):
    """The form's entry number links the period to that docket entry of this case."""
    rivera = court.rivera.id
    entry = DocketEntry(
        case_id=rivera,
        number=4,
        filed_at=court.rivera.created_at,
        filer_party="court",
        entry_type="order",
        text="ORDER granting continuance",
    )
    db.session.add(entry)
    db.session.commit()
    response = clerk.post(f"/cases/{rivera}/excludable/new", data=excludable_form(entry_number="4"))
    assert response.status_code == 302, text(response)
    db.session.rollback()
    assert db.session.scalar(select(TollingPeriod.docket_entry_id)) == entry.id


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"starts_on": "2026-04-14", "ends_on": "2026-04-01"},
            "ends_on",
            "The last excluded day cannot come before the first.",
        ),
        ({"code": "h1D"}, "code", "Not a valid choice"),  # a federal code, not this plan's
        ({"code": "bogus"}, "code", "Not a valid choice"),
        ({"entry_number": "7"}, "entry_number", "This case has no docket entry 7."),
        ({"starts_on": ""}, "starts_on", "Enter the first excluded day."),
        ({"reason": "  "}, "reason", "Enter the reason."),
    ],
)
def test_a_bad_excludable_period_shows_the_error_and_saves_nothing(
    app, court, clerk, fields, field, message
):
    rivera = court.rivera.id
    arraigned(clerk, rivera)
    before = snapshot(rivera)
    response = clerk.post(f"/cases/{rivera}/excludable/new", data=excludable_form(**fields))
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert tolling_count() == 0
    assert snapshot(rivera) == before
    assert audit_rows("excludable_period_added") == []


def test_an_entry_number_of_another_case_is_refused(app, court, clerk):
    """Docket entry 1 exists, but in Ortiz's case: Rivera has no entry 1."""
    db.session.add(
        DocketEntry(
            case_id=court.ortiz.id,
            number=1,
            filed_at=court.ortiz.created_at,
            filer_party="court",
            entry_type="order",
            text="ORDER",
        )
    )
    db.session.commit()
    rivera = court.rivera.id
    response = clerk.post(f"/cases/{rivera}/excludable/new", data=excludable_form(entry_number="1"))
    assert field_error(response, "entry_number") == "This case has no docket entry 1."
    assert tolling_count() == 0


# --- track ---------------------------------------------------------------------------------------


def test_changing_the_track_recomputes_and_is_audited_with_the_reason(app, court, clerk):
    """Complex track (Rule 8.2(a)(3)): the clock's limit is 270 days whatever the custody.
    From Tue 2026-03-10: 09-06 is +180 (above), 10-06 +210, 11-05 +240, 12-05 +270, a
    Saturday: last countable day Sat 12-05, rolled day Mon 12-07. The complex stage periods
    change too: discovery 90 days = Mon 06-08; pretrial conference 180 = Sun 09-06, rolls
    past Labor Day (Mon 09-07) to Tue 09-08."""
    rivera = court.rivera.id
    arraigned(clerk, rivera)
    response = clerk.post(
        f"/cases/{rivera}/track",
        data={"track": "complex", "designation": "complex", "reason": "Wiretap evidence"},
    )
    assert response.status_code == 302, text(response)

    rows = stored(rivera)
    clock = rows[("clock", "trial")]
    assert (clock.due_on, clock.rolled_to) == (date(2026, 12, 5), date(2026, 12, 7))
    assert "Limit for track 'complex': 270 days." in clock.explanation
    assert rows[("stage", "discovery")].due_on == date(2026, 6, 8)
    assert rows[("stage", "pretrial_conference")].due_on == date(2026, 9, 8)

    case = db.session.get(Case, rivera)
    assert (case.track, case.designation) == ("complex", "complex")
    (row,) = audit_rows("track_changed")
    assert (row.case_id, row.entity_id, row.user_id) == (rivera, rivera, court.clerk.id)
    assert (row.before["track"], row.before["designation"]) == ("standard", None)
    assert (row.after["track"], row.after["designation"]) == ("complex", "complex")
    assert row.after["reason"] == "Wiretap evidence"


def test_an_unknown_track_is_refused_and_nothing_changes(app, court, clerk):
    rivera = court.rivera.id
    arraigned(clerk, rivera)
    before = snapshot(rivera)
    response = clerk.post(
        f"/cases/{rivera}/track", data={"track": "capital", "designation": "", "reason": "x"}
    )
    assert response.status_code == 200
    assert "Not a valid choice" in field_error(response, "track")
    response = clerk.post(
        f"/cases/{rivera}/track", data={"track": "complex", "designation": "", "reason": ""}
    )
    assert field_error(response, "reason") == "Enter the reason."
    assert snapshot(rivera) == before
    assert db.session.get(Case, rivera).track == "standard"
    assert audit_rows("track_changed") == []

    # The service refuses it too, whoever calls it.
    from docket.cases.service import CaseError, change_track

    with pytest.raises(CaseError, match="has no track 'capital'") as refused:
        change_track(db.session.get(Case, rivera), {"track": "capital", "reason": "x"})
    assert refused.value.field == "track"


# --- who may -------------------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["moreno@defense.test", "okafor@cir1.test"])
def test_attorneys_and_judges_may_not_use_the_plan_forms(app, court, email):
    """Moreno is counsel in Rivera's case and Okafor its judge: both see it, neither edits."""
    client = signed_in(app, email)
    rivera = court.rivera.id
    paths = {
        f"/cases/{rivera}/excludable/new": excludable_form(),
        f"/cases/{rivera}/track": {"track": "complex", "designation": "", "reason": "x"},
    }
    for path, data in paths.items():
        assert client.get(path).status_code == 403, path
        assert client.post(path, data=data).status_code == 403, path
    assert tolling_count() == 0
    assert db.session.get(Case, rivera).track == "standard"
    assert audit_rows("track_changed") == []


def test_counsel_sees_the_plan_read_only(app, court, clerk):
    rivera = court.rivera.id
    arraigned(clerk, rivera)
    page = text(signed_in(app, "moreno@defense.test").get(f"/cases/{rivera}"))
    assert "Case-management plan" in page
    assert "Arraignment to trial (Rule 8.2)" in page
    assert "Plan state-dcm-2026" in page
    assert "Add excludable period" not in page
    assert "Change track" not in page
    assert f"/cases/{rivera}/excludable/new" not in page
    clerk_page = text(clerk.get(f"/cases/{rivera}"))
    assert "Add excludable period" in clerk_page and "Change track" in clerk_page


# --- facts and batches ---------------------------------------------------------------------------


def more_cases(court, count: int, start: int = 3, **fields) -> list[Case]:
    rows = [
        make_case(court.court, f"2026-CR-{n:06d}", f"Extra{n}", court.judge_okafor, **fields)
        for n in range(start, start + count)
    ]
    db.session.flush()
    for row in rows:
        db.session.add_all(
            [
                CaseEvent(case_id=row.id, event_type="information_filed", occurred_on=FILED),
                CaseEvent(
                    case_id=row.id,
                    defendant_id=row.defendants[0].id,
                    event_type="arraignment_held",
                    occurred_on=ARRAIGNED,
                ),
                TollingPeriod(
                    case_id=row.id,
                    code="r8_5",
                    starts_on=date(2026, 4, 1),
                    ends_on=date(2026, 4, 14),
                    reason="Continuance",
                ),
            ]
        )
    db.session.commit()
    return rows


def test_facts_for_costs_the_same_queries_for_one_case_and_for_twenty(app, court):
    """Cases, defendants, events, excludable periods, hearings, entry links, filings: seven
    queries."""
    extra = more_cases(court, 18)
    ids = [court.rivera.id, court.ortiz.id] + [row.id for row in extra]
    db.session.expire_all()
    with counted_queries() as one:
        facts_one = service.facts_for(ids[:1])
    db.session.expire_all()
    with counted_queries() as twenty:
        facts_twenty = service.facts_for(ids)
    assert len(one) == len(twenty) == 7
    assert set(facts_one) == {ids[0]} and set(facts_twenty) == set(ids)
    _, facts, defendant_ids = facts_twenty[extra[0].id]
    assert [(e.type, e.on, e.defendant) for e in facts.events] == [
        ("information_filed", FILED, None),
        ("arraignment_held", ARRAIGNED, 1),
    ]
    assert [(x.code, x.start, x.end) for x in facts.excludable] == [
        ("r8_5", date(2026, 4, 1), date(2026, 4, 14))
    ]
    assert facts.custody == "released" and facts.track == "standard"
    assert defendant_ids == {1: extra[0].defendants[0].id}


def test_facts_for_gives_custody_at_filing_from_the_first_custody_event(app, court):
    """The case row says released now; the first custody event released the defendant on
    03-20, so at filing the defendant was in custody."""
    db.session.add(
        CaseEvent(
            case_id=court.rivera.id,
            event_type="released_from_custody",
            occurred_on=date(2026, 3, 20),
        )
    )
    db.session.commit()
    _, facts, _ = service.facts_for([court.rivera.id])[court.rivera.id]
    assert facts.custody == "in_custody"


def case_ids_with_rows() -> set[int]:
    db.session.rollback()
    return set(db.session.scalars(select(Deadline.case_id).distinct()))


def test_recompute_all_works_in_batches_and_skips_disposed_cases(app, court):
    extra = more_cases(court, 3)  # 5 active cases in all
    (disposed,) = more_cases(
        court,
        1,
        start=90,
        status="disposed",
        disposition_type="guilty_plea",
        disposition_date=date(2026, 6, 1),
    )
    active = {court.rivera.id, court.ortiz.id} | {row.id for row in extra}
    progress = []

    totals = service.recompute_all(batch=2, progress=lambda cases, rows: progress.append(cases))
    assert progress == [2, 4, 5]
    assert totals["cases"] == 5
    assert case_ids_with_rows() == active
    total_rows = db.session.scalar(select(func.count()).select_from(Deadline))
    assert totals["rows"] == total_rows > 0

    # Again: rows are replaced, not added.
    assert service.recompute_all(batch=2) == totals
    assert db.session.scalar(select(func.count()).select_from(Deadline)) == total_rows

    totals = service.recompute_all(batch=2, include_disposed=True)
    assert totals["cases"] == 6
    assert case_ids_with_rows() == active | {disposed.id}
    # An extra case's clock: arraigned 03-10, 14 days excluded: 09-20 (see above).
    clock = stored(extra[0].id)[("clock", "trial")]
    assert (clock.due_on, clock.days_excluded) == (date(2026, 9, 20), 14)


# --- the command line ----------------------------------------------------------------------------


def cli(app, *args):
    return app.test_cli_runner().invoke(docket.cli.main, list(args))


def test_deadlines_recompute_all_and_one_case(app, court):
    result = cli(app, "deadlines", "recompute", "--all")
    assert result.exit_code == 0, result.output
    rows = db.session.scalar(select(func.count()).select_from(Deadline))
    assert rows > 0
    assert f"  2 cases, {rows} deadlines" in result.output
    assert f"Recomputed 2 cases ({rows} deadlines) in " in result.output
    assert case_ids_with_rows() == {court.rivera.id, court.ortiz.id}

    result = cli(app, "deadlines", "recompute", "2026-CR-000001")
    assert result.exit_code == 0, result.output
    per_case = len(stored(court.rivera.id))
    assert f"Recomputed 1 cases ({per_case} deadlines) in " in result.output


def test_deadlines_recompute_refuses_unknown_cases_and_no_arguments(app, court):
    result = cli(app, "deadlines", "recompute", "2026-CR-000001", "2026-CR-999999")
    assert result.exit_code == 1
    assert "unknown case number(s) among: 2026-CR-000001 2026-CR-999999" in result.output
    assert case_ids_with_rows() == set()  # nothing recomputed when one is unknown
    result = cli(app, "deadlines", "recompute")
    assert result.exit_code == 2
    assert "give CASE_NUMBER... or --all" in result.output


def test_rules_explain_prints_the_stored_deadlines_with_their_explanations(app, court):
    """Information filed Mon 03-02, arraigned Tue 03-10 (released): arraignment due Wed
    04-01 (+30), met 03-10; the clock's last day Sun 09-06 (+180)."""
    result = cli(app, "rules", "explain", "2026-CR-000001")
    assert result.exit_code == 0, result.output
    assert "2026-CR-000001 State v. Rivera (track standard, filed 2026-03-02)" in result.output
    assert "No stored deadlines: run `docket deadlines recompute 2026-CR-000001`." in (
        result.output
    )

    rivera = court.rivera
    db.session.add_all(
        [
            CaseEvent(case_id=rivera.id, event_type="information_filed", occurred_on=FILED),
            CaseEvent(case_id=rivera.id, event_type="arraignment_held", occurred_on=ARRAIGNED),
        ]
    )
    db.session.commit()
    assert cli(app, "deadlines", "recompute", "2026-CR-000001").exit_code == 0
    result = cli(app, "rules", "explain", "2026-CR-000001")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "No stored deadlines" not in result.output
    at = lines.index("stage arraignment: Arraignment")
    assert lines[at + 1] == "  due 2026-04-01; met on 2026-03-10"
    assert lines[at + 2].startswith("    ")  # the explanation, indented
    clock = lines.index("clock trial, defendant 1: Arraignment to trial (Rule 8.2)")
    assert lines[clock + 1] == "  due 2026-09-06; missed"
    assert any("rolled day 2026-09-08" in line for line in lines[clock + 2 :])


def test_rules_explain_an_unknown_case(app, court):
    result = cli(app, "rules", "explain", "2026-CR-999999")
    assert result.exit_code == 1
    assert "no case numbered 2026-CR-999999" in result.output


# --- plan versions -------------------------------------------------------------------------------

PLAN = """\
[plan]
id = "{id}"
name = "Plan {id}"
citation = "Test order"
court = "Test court"
effective = {effective}
applies_to_pending = {pending}
time_zone = "America/Phoenix"

[plan.holidays]
country = "US"
subdivision = "AZ"

[[tracks]]
id = "standard"
name = "Standard"

[[excludable]]
code = "r8_5"
name = "Continuance"
citation = "Test"

[[stages]]
id = "arraignment"
name = "Arraignment"
trigger = {{ events = ["information_filed"] }}
period = {{ days = {days} }}
satisfied_by = ["arraignment_held"]
"""


def plan_files(tmp_path, app, *plans: tuple[str, str, int, bool]) -> None:
    paths = []
    for plan_id, effective, days, pending in plans:
        path = tmp_path / f"{plan_id}.toml"
        text = PLAN.format(id=plan_id, effective=effective, days=days, pending=str(pending).lower())
        path.write_text(text)
        paths.append(str(path))
    app.config["PLAN_FILES"] = paths


def test_plan_for_picks_the_plan_in_force_on_the_filing_date(app_context, tmp_path):
    """Listed newest first on purpose: the service orders plans by effective date."""
    plan_files(
        tmp_path,
        app_context,
        ("new", "2026-06-01", 20, False),
        ("old", "2026-01-01", 10, False),
    )
    assert service.plan_for(date(2026, 3, 2)).id == "old"
    assert service.plan_for(date(2026, 5, 31)).id == "old"
    assert service.plan_for(date(2026, 6, 1)).id == "new"  # in force on its effective date
    assert service.plan_for(date(2026, 7, 1)).id == "new"
    assert service.plan_for(date(2025, 12, 1)).id == "old"  # before any plan: the first


def test_a_plan_that_applies_to_pending_cases_replaces_the_older_one(app_context, tmp_path):
    """Effective 2026-06-01, which has passed (court today is later), and applies to pending
    cases: a case filed 2026-03-02 is computed under it."""
    plan_files(
        tmp_path,
        app_context,
        ("old", "2026-01-01", 10, False),
        ("retro", "2026-06-01", 20, True),
    )
    assert service.plan_for(date(2026, 3, 2)).id == "retro"


def test_recompute_uses_each_cases_own_plan(app, court, tmp_path):
    """Rivera filed Mon 03-02 (old plan: 10 days from the information filed that day =
    Thu 03-12); Ortiz filed Wed 07-01 (new plan: 20 days from 07-01 = Tue 07-21)."""
    plan_files(tmp_path, app, ("old", "2026-01-01", 10, False), ("new", "2026-06-01", 20, False))
    court.ortiz.filed_on = date(2026, 7, 1)
    db.session.add_all(
        [
            CaseEvent(case_id=court.rivera.id, event_type="information_filed", occurred_on=FILED),
            CaseEvent(
                case_id=court.ortiz.id,
                event_type="information_filed",
                occurred_on=date(2026, 7, 1),
            ),
        ]
    )
    db.session.commit()
    service.recompute([court.rivera.id, court.ortiz.id])
    db.session.commit()
    rivera = stored(court.rivera.id)[("stage", "arraignment")]
    ortiz = stored(court.ortiz.id)[("stage", "arraignment")]
    assert (rivera.plan_version, rivera.due_on) == ("old", date(2026, 3, 12))
    assert (ortiz.plan_version, ortiz.due_on) == ("new", date(2026, 7, 21))


def test_a_case_number_used_by_two_courts_is_not_unknown(app, court):
    """Case numbers are unique within a court, not across courts: the Second Circuit has its
    own 2026-CR-000001. Recomputing that number rebuilds both cases, and explaining it
    prints both, each under its court."""
    far_judge = db.session.scalar(select(Judge).where(Judge.court_id == court.other_court.id))
    make_case(court.other_court, "2026-CR-000001", "Far", far_judge)
    db.session.commit()
    far = db.session.scalar(select(Case.id).where(Case.court_id == court.other_court.id))
    result = cli(app, "deadlines", "recompute", "2026-CR-000001")
    assert result.exit_code == 0, result.output
    assert "Recomputed 2 cases" in result.output
    assert case_ids_with_rows() == {court.rivera.id, far}

    result = cli(app, "rules", "explain", "2026-CR-000001")
    assert result.exit_code == 0, result.output
    assert "CIR1: 2026-CR-000001 State v. Rivera (track standard" in result.output
    assert "CIR2: 2026-CR-000001 State v. Far (track standard" in result.output
    assert result.output.count("clock trial, defendant 1: Arraignment to trial") == 2

    # A number that exists and one that does not: refused, nothing recomputed.
    result = cli(app, "deadlines", "recompute", "2026-CR-000002", "2026-CR-000404")
    assert result.exit_code == 1
    assert "unknown case number(s) among: 2026-CR-000002 2026-CR-000404" in result.output
    assert court.ortiz.id not in case_ids_with_rows()

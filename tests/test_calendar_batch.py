"""The batch scheduler against the database: which cases need a hearing in the window (and which
are not ripe, with the reason), the dry run (nothing written, a fixed number of queries), apply
(hearings, settings, audit and deadlines in one transaction; refused when the calendar changed
since the dry run; nothing saved when a placement fails), the page and `docket schedule`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select

from docket.calendar import batch, booking
from docket.cases import service as cases
from docket.cli import main
from docket.clock import court_today
from docket.extensions import db
from docket.models import (
    AuditLogEntry,
    CalendarSession,
    Case,
    Courtroom,
    Deadline,
    Hearing,
    HearingSetting,
    TollingPeriod,
)
from tests.conftest import sign_in
from tests.factories import case as make_case

CHICAGO = ZoneInfo("America/Chicago")
TYPES = ["arraignment", "status_conference", "change_of_plea", "trial", "motion"]


def local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), CHICAGO).astimezone(UTC)


def next_monday() -> date:
    today = court_today()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def add_session(court, judge, room, day, *, capacity=4, start=9, end=12) -> CalendarSession:
    row = CalendarSession(
        court_id=court.court.id,
        judge_id=judge.id,
        courtroom_id=room.id,
        session_date=day,
        starts_at=local(day, start),
        ends_at=local(day, end),
        hearing_types=TYPES,
        capacity=capacity,
        slot_minutes=30,
        name="Criminal call",
        status="open",
    )
    db.session.add(row)
    db.session.flush()
    return row


def indict(case: Case, user, days_ago: int = 5) -> None:
    cases.record_event(
        case,
        {"event_type": "indictment_filed", "occurred_on": court_today() - timedelta(days=days_ago)},
        user,
    )


@pytest.fixture
def calendar(court):
    """Both cases indicted (each needs an arraignment); a session before each judge on Monday."""
    room_2b = Courtroom(court=court.court, name="2B", building="Main courthouse")
    db.session.add(room_2b)
    db.session.flush()
    monday = next_monday()
    okafor = add_session(court, court.judge_okafor, court.courtroom, monday)
    lind = add_session(court, court.judge_lind, room_2b, monday)
    db.session.commit()
    indict(court.rivera, court.clerk)
    indict(court.ortiz, court.clerk)
    return {"monday": monday, "okafor": okafor.id, "lind": lind.id, "room_2b": room_2b}


def window():
    return court_today() + timedelta(days=1), court_today() + timedelta(days=43)


def test_dry_run_places_each_needed_hearing_before_the_case_judge_and_writes_nothing(
    court, calendar
):
    start, end = window()
    proposal = batch.dry_run(court.court.id, start, end)
    placed = {(p.need.case_number, p.need.hearing_type): p for p in proposal.assignment.placements}
    assert set(placed) == {("2026-CR-000001", "arraignment"), ("2026-CR-000002", "arraignment")}
    assert placed[("2026-CR-000001", "arraignment")].session.id == calendar["okafor"]
    assert placed[("2026-CR-000002", "arraignment")].session.id == calendar["lind"]
    rivera = placed[("2026-CR-000001", "arraignment")]
    assert rivera.meets_deadline is True
    assert "Arraignment" in rivera.need.due_text
    assert rivera.need.attorneys  # counsel of record came along (bulk query)
    q = proposal.quality
    assert (q.needs, q.placed, q.met, q.with_deadline, q.unplaced) == (2, 2, 2, 2, 0)
    assert db.session.scalar(select(func.count()).select_from(Hearing)) == 0


def test_a_case_with_the_hearing_scheduled_needs_nothing_more(court, calendar):
    start, end = window()
    batch.apply(court.court.id, start, end, user=court.clerk)
    again = batch.dry_run(court.court.id, start, end)
    assert again.quality.needs == 0 and again.not_ripe == []


def test_not_ripe_cases_are_listed_with_the_reason(court, calendar):
    court.ortiz.status = "inactive"
    db.session.commit()
    start, end = window()
    proposal = batch.dry_run(court.court.id, start, end)
    assert [n.case_number for n in proposal.not_ripe] == ["2026-CR-000002"]
    assert "inactive" in proposal.not_ripe[0].reason
    assert [p.need.case_number for p in proposal.assignment.placements] == ["2026-CR-000001"]


def _trial_ready(court) -> Case:
    """Rivera arraigned: the plan now wants a trial (and other stages); returns the case."""
    rivera = court.rivera
    for kind, ago in (("initial_appearance", 4), ("arraignment_held", 3)):
        cases.record_event(
            rivera, {"event_type": kind, "occurred_on": court_today() - timedelta(days=ago)},
            court.clerk,
        )  # fmt: skip
    return rivera


def _trial_deadline(case: Case) -> date:
    rows = db.session.scalars(
        select(Deadline).where(Deadline.case_id == case.id, Deadline.item_id == "trial")
    ).all()
    assert rows, "the plan should give an arraigned case a trial deadline"
    return max((r.rolled_to or r.due_on) for r in rows if (r.rolled_to or r.due_on))


def test_no_trial_setting_while_a_motion_is_pending_or_competency_is_unresolved(court, calendar):
    rivera = _trial_ready(court)
    end = _trial_deadline(rivera) + timedelta(days=1)
    start = court_today() + timedelta(days=1)
    ripe = batch.dry_run(court.court.id, start, end)
    needed = {n.hearing_type for n in ripe.needs if n.case_id == rivera.id}
    assert "trial" in needed

    cases.record_event(
        rivera, {"event_type": "motion_filed", "occurred_on": court_today()}, court.clerk
    )
    pending = batch.dry_run(court.court.id, start, end)
    reasons = [n for n in pending.not_ripe if n.case_id == rivera.id]
    assert [n.hearing_type for n in reasons] == ["trial"]
    assert "motion filed" in reasons[0].reason and "pending" in reasons[0].reason
    assert "trial" not in {n.hearing_type for n in pending.needs if n.case_id == rivera.id}

    cases.record_event(
        rivera, {"event_type": "motion_decided", "occurred_on": court_today()}, court.clerk
    )
    db.session.add(
        TollingPeriod(
            case_id=rivera.id,
            code="competency_evaluation",
            starts_on=court_today(),
            reason="Competency evaluation ordered",
        )
    )
    db.session.commit()
    competency = batch.dry_run(court.court.id, start, end)
    reasons = [n for n in competency.not_ripe if n.case_id == rivera.id]
    assert [n.hearing_type for n in reasons] == ["trial"]
    assert "Competency is unresolved" in reasons[0].reason


def test_the_dry_run_reads_in_a_fixed_number_of_queries(court, calendar):
    start, end = window()

    def count() -> int:
        statements = []

        def listener(*args):
            statements.append(args[2])

        engine = db.engine
        event.listen(engine, "before_cursor_execute", listener)
        try:
            batch.dry_run(court.court.id, start, end)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    batch.dry_run(court.court.id, start, end)  # warm: the first run also loads the plans
    few = count()
    for n in range(3, 9):
        extra = make_case(court.court, f"2026-CR-{n:06d}", f"extra{n}", court.judge_okafor)
        db.session.flush()
        indict(extra, court.clerk)
    db.session.commit()
    assert batch.dry_run(court.court.id, start, end).quality.needs == 8
    assert count() == few


def test_apply_writes_hearings_settings_audit_and_deadlines_in_one_transaction(court, calendar):
    start, end = window()
    before = db.session.scalar(select(func.count()).select_from(AuditLogEntry))
    started = datetime.now(UTC) - timedelta(seconds=1)
    proposal = batch.apply(court.court.id, start, end, user=court.clerk)
    hearings = db.session.scalars(select(Hearing).order_by(Hearing.case_id)).all()
    assert [(h.case_id, h.hearing_type, h.status) for h in hearings] == [
        (court.rivera.id, "arraignment", "scheduled"),
        (court.ortiz.id, "arraignment", "scheduled"),
    ]
    assert {h.calendar_session_id for h in hearings} == {calendar["okafor"], calendar["lind"]}
    settings = db.session.scalars(select(HearingSetting)).all()
    assert len(settings) == 2 and all(s.set_by_id == court.clerk.id for s in settings)
    runs = db.session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.action == "batch_scheduled")
    ).all()
    assert len(runs) == 1
    assert runs[0].after["placed"] == 2 and runs[0].after["deadlines_met"] == 2
    assert runs[0].after["digest"] == proposal.digest
    # One row per hearing (booking.place) plus the run's.
    after = db.session.scalar(select(func.count()).select_from(AuditLogEntry))
    assert after - before == 3
    # Deadlines were recomputed after the hearings were written.
    stamps = db.session.scalars(
        select(Deadline.computed_at).where(Deadline.case_id == court.rivera.id)
    ).all()
    assert stamps and min(stamps) >= started


def test_apply_saves_nothing_when_a_placement_fails(court, calendar, monkeypatch):
    start, end = window()
    real = booking.place
    calls = []

    def failing(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(booking, "place", failing)
    with pytest.raises(batch.BatchError, match="Nothing was saved"):
        batch.apply(court.court.id, start, end, user=court.clerk)
    assert db.session.scalar(select(func.count()).select_from(Hearing)) == 0
    assert db.session.scalar(select(func.count()).select_from(HearingSetting)) == 0
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditLogEntry)
            .where(AuditLogEntry.action.in_(("batch_scheduled", "hearing_scheduled")))
        )
        == 0
    )


def test_apply_refuses_when_the_result_differs_from_the_dry_run(court, calendar):
    start, end = window()
    shown = batch.dry_run(court.court.id, start, end)
    # Meanwhile a clerk books Ortiz by hand in Lind's session.
    booking.book(court.ortiz, "arraignment", calendar["lind"], 0, user=court.clerk)
    with pytest.raises(batch.BatchChanged, match="changed since the dry run"):
        batch.apply(court.court.id, start, end, user=court.clerk, expected_digest=shown.digest)
    assert db.session.scalar(select(func.count()).select_from(Hearing)) == 1


# --- the page ---------------------------------------------------------------------------------


def test_the_page_shows_the_dry_run_and_applies_it(client, court, calendar):
    sign_in(client, "clerk@cir1.test")
    page = client.get("/calendar/batch")
    assert page.status_code == 200
    assert 'name="start"' in page.text and "Dry run" in page.text
    start, end = window()
    page = client.get(f"/calendar/batch?start={start}&end={end}&judge=")
    assert page.status_code == 200
    assert "2026-CR-000001" in page.text and "2026-CR-000002" in page.text
    assert "Deadlines met" in page.text and "2 of 2" in page.text
    assert "Courtroom" in page.text and "Judge Adaeze Okafor" in page.text
    digest = batch.dry_run(court.court.id, start, end).digest
    assert digest in page.text
    done = client.post(
        "/calendar/batch",
        data={"start": start.isoformat(), "end": end.isoformat(), "judge": "", "digest": digest},
    )
    assert done.status_code == 302
    follow = client.get(done.headers["Location"])
    assert "Placed 2 hearings" in follow.text
    assert db.session.scalar(select(func.count()).select_from(Hearing)) == 2


def test_the_page_refuses_a_stale_apply_and_shows_the_new_dry_run(client, court, calendar):
    sign_in(client, "clerk@cir1.test")
    start, end = window()
    page = client.post(
        "/calendar/batch",
        data={"start": start.isoformat(), "end": end.isoformat(), "judge": "", "digest": "x"},
    )
    assert page.status_code == 409
    assert "changed since the dry run" in page.text
    assert "2026-CR-000001" in page.text  # the fresh dry run
    assert db.session.scalar(select(func.count()).select_from(Hearing)) == 0


def test_the_page_filters_by_judge_and_names_a_bad_window(client, court, calendar):
    sign_in(client, "clerk@cir1.test")
    start, end = window()
    page = client.get(f"/calendar/batch?start={start}&end={end}&judge={court.judge_lind.id}")
    assert "2026-CR-000002" in page.text and "2026-CR-000001" not in page.text
    bad = client.get(f"/calendar/batch?start={end}&end={start}")
    assert bad.status_code == 400
    assert "ends before it starts" in bad.text
    missing = client.get("/calendar/batch?start=&end=")
    assert missing.status_code == 400 and "Enter the first day" in missing.text


@pytest.mark.parametrize("email", ["okafor@cir1.test", "moreno@defense.test", "admin@cir1.test"])
def test_only_clerks_use_the_batch_scheduler(client, court, calendar, email):
    sign_in(client, email)
    assert client.get("/calendar/batch").status_code == 403
    start, end = window()
    posted = client.post(
        "/calendar/batch", data={"start": start.isoformat(), "end": end.isoformat()}
    )
    assert posted.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Hearing)) == 0


# --- the command line -------------------------------------------------------------------------


def test_cli_dry_run_prints_the_summary_and_apply_writes(app, court, calendar):
    runner = app.test_cli_runner()
    start, end = window()
    result = runner.invoke(
        main, ["schedule", "--dry-run", "--from", str(start), "--to", str(end), "--court", "CIR1"]
    )
    assert result.exit_code == 0, result.output
    assert "Placed: 2" in result.output
    assert "Deadlines met: 2/2 (100.0%)" in result.output
    assert "Load, Judge Adaeze Okafor: 1" in result.output
    assert "would place 2026-CR-000001 Arraignment" in result.output
    assert "Nothing written" in result.output
    assert db.session.scalar(select(func.count()).select_from(Hearing)) == 0

    result = runner.invoke(
        main, ["schedule", "--apply", "--from", str(start), "--to", str(end), "--court", "CIR1"]
    )
    assert result.exit_code == 0, result.output
    assert "Written: 2 hearings" in result.output
    assert "wrote 2026-CR-000002 Arraignment" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Hearing)) == 2


def test_cli_asks_which_court_and_names_a_bad_one(app, court, calendar):
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["schedule"])
    assert result.exit_code != 0 and "several courts" in result.output
    result = runner.invoke(main, ["schedule", "--court", "NOPE"])
    assert result.exit_code != 0 and "no court with code 'NOPE'" in result.output

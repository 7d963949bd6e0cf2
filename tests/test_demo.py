"""The demo court: deterministic, complete (every stage, track and status), consistent with the
database's rules and with itself, and loadable through `docket demo`."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select

from docket.cli import main
from docket.core.outcomes import EFFECTS, outcomes_for
from docket.core.scheduling import Session, slot_window
from docket.core.vocabulary import (
    CASE_STATUSES,
    CONTINUANCE_REASONS,
    CONTINUANCE_REQUESTERS,
    CUSTODY_STATUSES,
    HEARING_STATUSES,
    TRACKS,
)
from docket.demo import DEMO_LOGINS, DemoError, build_demo, database_has_court
from docket.demo.story import STAGES
from docket.extensions import db
from docket.models import (
    Attorney,
    CalendarSession,
    Case,
    CaseEvent,
    Charge,
    CounselOfRecord,
    Court,
    Courtroom,
    Defendant,
    DocketEntry,
    Hearing,
    HearingSetting,
    Interpreter,
    Judge,
    SessionTemplate,
    Unavailability,
    User,
)

TODAY = date(2026, 3, 18)  # ten days after the spring DST change: sessions straddle it
CHICAGO = ZoneInfo("America/Chicago")
METHOD = "pbkdf2:sha256:1000"

# The stages the demo promises (a diversion program is a bonus, not promised).
PROMISED_STAGES = {
    "filed",
    "arraigned",
    "discovery",
    "motions_pending",
    "pretrial_held",
    "trial_set",
    "awaiting_sentencing",
    "warrant",
    "disposed_plea",
    "disposed_trial",
    "disposed_dismissal",
    "disposed_nolle",
}


def load(cases: int = 60, seed: int = 7, today: date = TODAY):
    return build_demo(
        db.engine, cases=cases, seed=seed, today=today, password_method=METHOD, progress=None
    )


def rows(model, *columns):
    return db.session.execute(select(*(getattr(model, c) for c in columns))).all()


def digest() -> str:
    """A fingerprint of the court: the columns a reader would notice if they changed."""
    h = hashlib.sha256()
    for model, columns in (
        (
            Case,
            (
                "case_number",
                "caption",
                "case_type",
                "filed_on",
                "track",
                "custody_status",
                "status",
                "disposition_type",
                "disposition_date",
                "sealed",
            ),
        ),
        (Defendant, ("case_id", "number", "name_key", "date_of_birth", "interpreter_language")),
        (Charge, ("defendant_id", "count_number", "statute", "severity_class", "counts")),
        (CounselOfRecord, ("case_id", "attorney_id", "side", "appeared_on", "withdrew_on")),
        (
            Hearing,
            (
                "case_id",
                "hearing_type",
                "starts_at",
                "status",
                "outcome",
                "slot",
                "outcome_code",
                "continuance_reason",
                "setting_count",
                "interpreter_language",
            ),
        ),
        (
            HearingSetting,
            ("hearing_id", "number", "starts_at", "set_at", "ended", "continuance_reason"),
        ),
        (CalendarSession, ("template_id", "session_date", "status", "closed_reason")),
        (Unavailability, ("attorney_id", "starts_on", "ends_on", "reason")),
        (DocketEntry, ("case_id", "number", "entry_type", "filed_at", "text", "stricken")),
        (CaseEvent, ("case_id", "event_type", "occurred_on", "note", "docket_entry_id")),
    ):
        for row in sorted(rows(model, "id", *columns)):
            h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def wipe() -> None:
    db.session.rollback()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(delete(table))


# --- the small court ---------------------------------------------------------------------


def test_counts_match_the_report(app_context):
    report = load(cases=60)
    assert db.session.scalar(select(func.count()).select_from(Judge)) == 4
    assert db.session.scalar(select(func.count()).select_from(Courtroom)) == 6
    assert db.session.scalar(select(func.count()).select_from(Case)) == 60
    assert db.session.scalar(select(func.count()).select_from(Attorney)) == 24
    court = db.session.scalar(select(Court))
    assert (court.code, court.name, court.time_zone) == (
        "DEMO",
        "Demo County Circuit Court",
        "America/Chicago",
    )
    for table in db.metadata.sorted_tables:
        expected = report.rows.get(table.name, 0)
        actual = db.session.scalar(select(func.count()).select_from(table))
        assert actual == expected, table.name
    assert sum(report.stages.values()) == 60
    summary = report.summary()
    assert "court_case" in summary and "rows/s" in summary
    assert "moreno@demo.docket.example" in summary


def test_same_seed_same_court_and_another_seed_another(app_context):
    load(cases=60, seed=11)
    first = digest()
    wipe()
    load(cases=60, seed=11)
    assert digest() == first
    wipe()
    load(cases=60, seed=12)
    assert digest() != first


def test_refuses_a_second_demo_court(app_context):
    assert not database_has_court(db.engine)
    load(cases=5)
    assert database_has_court(db.engine)
    with pytest.raises(DemoError, match="already has the demo court"):
        load(cases=5)


def test_ids_follow_existing_rows_and_sequences_are_reset(court):
    """Beside another court, the demo takes the next ids; afterwards the ORM inserts rows
    without colliding (on PostgreSQL the sequences were moved past the demo's ids)."""
    before = db.session.scalar(select(func.max(Case.id)))
    load(cases=20)
    demo_court = db.session.scalar(select(Court).where(Court.code == "DEMO"))
    numbers = db.session.scalars(
        select(Case.id).where(Case.court_id == demo_court.id).order_by(Case.id)
    ).all()
    assert numbers == list(range(before + 1, before + 21))
    db.session.add(Court(code="NEXT", name="Next Court", time_zone="America/Chicago"))
    db.session.add(
        Case(
            court_id=demo_court.id,
            case_number="X-1",
            caption="State v. X",
            case_type="felony",
            filed_on=TODAY,
            track="standard",
            custody_status="released",
        )
    )
    db.session.commit()
    assert db.session.scalar(select(func.max(Case.id))) == before + 21


def test_every_case_has_a_defendant_and_a_prosecutor(app_context):
    load(cases=60)
    defendants = Counter(case_id for (case_id,) in rows(Defendant, "case_id"))
    prosecutors = Counter(
        case_id
        for case_id, side in rows(CounselOfRecord, "case_id", "side")
        if side == "prosecution"
    )
    for (case_id,) in rows(Case, "id"):
        assert defendants[case_id] >= 1
        assert prosecutors[case_id] == 1


def test_docket_entries_are_numbered_one_to_n_in_filing_order(app_context):
    load(cases=60)
    by_case = defaultdict(list)
    for case_id, number, filed_at, kind in rows(
        DocketEntry, "case_id", "number", "filed_at", "entry_type"
    ):
        by_case[case_id].append((number, filed_at, kind))
    assert len(by_case) == 60
    for entries in by_case.values():
        entries.sort()
        assert [number for number, _, _ in entries] == list(range(1, len(entries) + 1))
        assert entries[0][2] == "complaint"  # the case opens with the complaint
        times = [filed_at for _, filed_at, _ in entries]
        assert times == sorted(times)
        for instant in times:
            local = instant.astimezone(CHICAGO)
            assert local.weekday() < 5
            assert (8, 0) <= (local.hour, local.minute) <= (17, 0), local


def test_sessions_are_in_court_hours_across_daylight_saving(app_context):
    load(cases=10)
    sessions = db.session.scalars(select(CalendarSession)).all()
    offsets = set()
    for session in sessions:
        start = session.starts_at.astimezone(CHICAGO)
        end = session.ends_at.astimezone(CHICAGO)
        assert start.date() == session.session_date
        assert (start.time().isoformat(), end.time().isoformat()) in {
            ("09:00:00", "12:00:00"),
            ("13:30:00", "16:30:00"),
        }
        offsets.add(start.utcoffset())
        assert session.capacity == (1 if session.hearing_types == ["trial"] else 30)
    assert offsets == {timedelta(hours=-6), timedelta(hours=-5)}  # CST and CDT both seen
    last = max(session.session_date for session in sessions)
    assert TODAY + timedelta(weeks=7) < last <= TODAY + timedelta(weeks=8)
    # No judge and no courtroom is in two sessions at once.
    for key in ("judge_id", "courtroom_id"):
        seen = Counter((getattr(s, key), s.starts_at) for s in sessions)
        assert max(seen.values()) == 1, key


def test_sessions_come_from_templates_and_holidays_close_them(app_context):
    load(cases=10)
    templates = {t.id: t for t in db.session.scalars(select(SessionTemplate))}
    # Per judge: the morning call, motion afternoons and trial afternoons.
    assert len(templates) == 12
    assert Counter(t.name for t in templates.values()) == {
        "Arraignment & plea call": 4,
        "Motions & pretrial": 4,
        "Trial": 4,
    }
    sessions = db.session.scalars(select(CalendarSession)).all()
    first_day = min(s.session_date for s in sessions)
    for t in templates.values():
        assert t.valid_from <= first_day and t.valid_until is None and t.active
        assert t.hearing_types and t.weekdays and set(t.weekdays) <= {1, 2, 3, 4, 5}
    for judge_id in {t.judge_id for t in templates.values()}:
        # A judge's templates never sit on the same half-day twice.
        mine = [t for t in templates.values() if t.judge_id == judge_id]
        afternoons = [d for t in mine if t.start_minute > 12 * 60 for d in t.weekdays]
        assert len(afternoons) == len(set(afternoons)) == 4  # Friday afternoon is free
    closed = [s for s in sessions if s.status == "closed"]
    for session in sessions:
        t = templates[session.template_id]
        local = session.starts_at.astimezone(CHICAGO)
        assert (session.judge_id, session.courtroom_id, session.name) == (
            t.judge_id,
            t.courtroom_id,
            t.name,
        )
        assert session.session_date.isoweekday() in t.weekdays
        assert local.hour * 60 + local.minute == t.start_minute
        assert (session.capacity, session.slot_minutes) == (t.capacity, t.slot_minutes)
        assert session.hearing_types == t.hearing_types
        assert session.version == 1 and not session.edited and session.updated_at
        assert (session.status == "closed") == (session.closed_reason is not None)
    # Holidays: Thanksgiving 2025 and Presidents' Day 2026 are there, closed, with the reason.
    reasons = {s.session_date: s.closed_reason for s in closed}
    assert "Thanksgiving" in reasons[date(2025, 11, 27)]
    assert "(legal holiday)" in reasons[date(2026, 2, 16)]
    assert {s.session_date.weekday() for s in closed} <= {0, 1, 2, 3, 4}
    assert not db.session.scalar(
        select(func.count())
        .select_from(Hearing)
        .join(CalendarSession, Hearing.calendar_session_id == CalendarSession.id)
        .where(CalendarSession.status == "closed")
    )
    # One session per template and day.
    assert max(Counter((s.template_id, s.session_date) for s in sessions).values()) == 1


def test_materializing_the_templates_again_changes_no_demo_session(app_context):
    """The demo's sessions are what its templates make: materializing the templates over the
    demo's weeks ahead (`docket sessions materialize`) creates, changes and closes nothing."""
    from docket.calendar.sessions import materialize

    load(cases=60)
    court = db.session.scalar(select(Court))
    last = db.session.scalar(select(func.max(CalendarSession.session_date)))
    before = db.session.scalar(select(func.count()).select_from(CalendarSession))
    summary = materialize(court.id, TODAY, last, today=TODAY)
    assert summary.counts() == dict.fromkeys(summary.counts(), 0)
    assert db.session.scalar(select(func.count()).select_from(CalendarSession)) == before


def test_interpreters_and_notices_of_unavailability(app_context):
    load(cases=10)
    interpreters = db.session.scalars(select(Interpreter)).all()
    assert Counter(i.language for i in interpreters)["Spanish"] == 2
    assert {"Spanish", "Vietnamese"} <= {i.language for i in interpreters}
    court = db.session.scalar(select(Court))
    assert all(i.court_id == court.id and i.active for i in interpreters)
    notices = db.session.scalars(select(Unavailability)).all()
    attorneys = {a.id: a for a in db.session.scalars(select(Attorney))}
    users = {u.id: u for u in db.session.scalars(select(User))}
    logins = {login.link for login in DEMO_LOGINS if login.role == "attorney"}
    noticed = {attorneys[n.attorney_id].bar_number for n in notices if n.withdrawn_at is None}
    assert logins <= noticed  # every demo attorney login has a notice to look at
    assert any(n.withdrawn_at is not None for n in notices)
    now = datetime.combine(TODAY + timedelta(days=1), datetime.min.time(), CHICAGO)
    for n in notices:
        assert TODAY < n.starts_on <= n.ends_on <= TODAY + timedelta(weeks=8)
        assert n.reason and n.filed_at < now
        filer = users[n.filed_by_id]
        # Counsel with an account filed their own; the clerk entered the others'.
        assert filer.attorney_id == n.attorney_id or filer.role == "clerk"


def test_every_demo_login_signs_in(app):
    with app.app_context():
        load(cases=10)
    roles = Counter(login.role for login in DEMO_LOGINS)
    assert roles["admin"] == 1 and roles["clerk"] == 2 and roles["judge"] == 4
    assert roles["attorney"] >= 3
    for login in DEMO_LOGINS:
        assert len(login.password) >= 10
        client = app.test_client()
        response = client.post("/sign-in", data={"email": login.email, "password": login.password})
        assert response.status_code == 302, login.email
        assert "/sign-in" not in response.headers["Location"]
    with app.app_context():
        users = db.session.scalars(select(User)).all()
        assert len(users) == len(DEMO_LOGINS)
        assert len({user.password_hash for user in users}) == len(
            {login.password for login in DEMO_LOGINS}
        )  # hashed once per distinct password


def test_a_clerk_opens_a_demo_case(app):
    with app.app_context():
        load(cases=10)
        case_id, caption = db.session.execute(
            select(Case.id, Case.caption).order_by(Case.id.desc()).limit(1)
        ).one()
    client = app.test_client()
    client.post(
        "/sign-in", data={"email": "clerk@demo.docket.example", "password": "demo-clerk-2026"}
    )
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert caption.encode() in page.data


def test_demo_command_loads_once_with_if_empty(app):
    runner = app.test_cli_runner()
    first = runner.invoke(main, ["demo", "--cases", "15", "--seed", "3", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "Demo court DEMO" in first.output and "rows/s" in first.output
    second = runner.invoke(main, ["demo", "--cases", "15", "--if-empty"])
    assert second.exit_code == 0, second.output
    assert "demo not loaded" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 15
    again = runner.invoke(main, ["demo", "--cases", "15"])
    assert again.exit_code != 0
    assert "already has the demo court" in again.output
    logins = runner.invoke(main, ["demo", "logins"])
    assert "clerk@demo.docket.example" in logins.output
    assert "demo-clerk-2026" in logins.output


# --- the full demo court ---------------------------------------------------------------


def test_a_300_case_court_is_complete_and_consistent(app_context):
    report = load(cases=300, seed=2026)
    assert {stage for stage, count in report.stages.items() if count} >= PROMISED_STAGES
    assert set(report.stages) <= set(STAGES)

    cases = db.session.scalars(select(Case)).all()
    assert len(cases) == 300
    assert {c.track for c in cases} == set(TRACKS)
    assert {c.status for c in cases} == set(CASE_STATUSES)
    assert {c.custody_status for c in cases} == set(CUSTODY_STATUSES)
    assert {c.case_type for c in cases} == {"felony", "misdemeanor"}
    assert {"guilty_plea", "trial_conviction", "dismissed", "nolle_prosequi"} <= {
        c.disposition_type for c in cases
    }
    assert 1 <= sum(c.sealed for c in cases) <= 25
    window = TODAY - timedelta(days=548)
    assert all(window <= c.filed_on <= TODAY for c in cases)
    assert min(c.filed_on for c in cases) < window + timedelta(days=14)
    assert max(c.filed_on for c in cases) > TODAY - timedelta(days=14)
    for c in cases:
        assert c.caption.startswith("State v. ")
        year, kind, sequence = c.case_number.split("-")
        assert (int(year), kind, len(sequence)) == (c.filed_on.year, "CR", 6)
        if c.status == "disposed":
            assert c.disposition_type and c.filed_on <= c.disposition_date <= TODAY
        else:
            assert c.disposition_type is None and c.disposition_date is None
        assert (c.status == "inactive") == (c.custody_status == "at_large")
    by_age = sorted(cases, key=lambda c: c.filed_on)
    oldest, newest = by_age[:100], by_age[-100:]
    assert sum(c.status == "disposed" for c in oldest) > 2 * sum(
        c.status == "disposed" for c in newest
    )

    defendants = db.session.scalars(select(Defendant)).all()
    per_case = Counter(d.case_id for d in defendants)
    assert max(per_case.values()) >= 2  # some codefendants
    assert sum(d.interpreter_language is not None for d in defendants) >= 5
    assert len({d.name_key for d in defendants}) > 0.9 * len(defendants)
    for d in defendants:
        assert d.name_key == Defendant.make_name_key(d.last_name, d.first_name, d.middle_name)
    assert any("ILCS" in statute for (statute,) in rows(Charge, "statute"))

    _check_counsel()
    _check_events_and_hearings(cases)
    _check_docket(cases)


def _check_counsel() -> None:
    counsel = db.session.scalars(select(CounselOfRecord)).all()
    withdrawn = [c for c in counsel if c.withdrew_on]
    assert withdrawn
    for old in withdrawn:
        replacements = [
            c
            for c in counsel
            if c.case_id == old.case_id
            and c.defendant_id == old.defendant_id
            and c.appeared_on == old.withdrew_on
            and c.attorney_id != old.attorney_id
        ]
        assert replacements, old.id
    offices = {a.id: a.office for a in db.session.scalars(select(Attorney))}
    assert {offices[c.attorney_id] for c in counsel if c.side == "defense"} == {
        "public_defender",
        "appointed",
        "retained",
    }
    assert all(offices[c.attorney_id] == "prosecutor" for c in counsel if c.side == "prosecution")


def _check_events_and_hearings(cases) -> None:
    events = db.session.scalars(select(CaseEvent)).all()
    assert all(e.occurred_on <= TODAY for e in events)
    types = {e.event_type for e in events}
    assert {
        "arrest",
        "complaint_filed",
        "initial_appearance",
        "indictment_filed",
        "information_filed",
        "arraignment_held",
        "plea_entered",
        "discovery_disclosed",
        "motion_filed",
        "motion_decided",
        "pretrial_conference_held",
        "trial_commenced",
        "verdict",
        "sentencing_held",
        "dismissed",
        "bench_warrant_issued",
        "failure_to_appear",
        "released_from_custody",
    } <= types
    by_case = defaultdict(list)
    for e in events:
        by_case[e.case_id].append(e)
    for case_events in by_case.values():
        first = {}
        for e in sorted(case_events, key=lambda e: (e.occurred_on, e.id)):
            first.setdefault(e.event_type, e.occurred_on)
        if "arraignment_held" in first:
            assert first["initial_appearance"] <= first["arraignment_held"]
        if "sentencing_held" in first:
            convicted = min(d for d in (first.get("plea_entered"), first.get("verdict")) if d)
            assert convicted <= first["sentencing_held"]
        # plea_entered is an accepted guilty plea (rules/README.md): never the arraignment's
        # not-guilty plea, which would stop the trial clock and start sentencing.
        assert all(
            e.note != "not guilty" for e in case_events if e.event_type == "plea_entered"
        )

    end_of_today = datetime.combine(TODAY + timedelta(days=1), datetime.min.time(), CHICAGO)
    hearings = db.session.scalars(select(Hearing)).all()
    sessions = {s.id: s for s in db.session.scalars(select(CalendarSession))}
    assert {h.status for h in hearings} == set(HEARING_STATUSES)
    future = defaultdict(int)
    for h in hearings:
        if h.status in ("held", "continued"):
            assert h.starts_at < end_of_today
        if h.status == "scheduled":
            assert h.starts_at >= end_of_today
        if h.status in ("scheduled", "continued"):  # continued: awaiting its new date
            future[h.case_id] += 1
        if h.status == "continued":
            assert h.continuance_requester and h.continuance_reason
        if h.status == "held":
            assert h.outcome
        session = sessions[h.calendar_session_id]
        assert (h.judge_id, h.courtroom_id) == (session.judge_id, session.courtroom_id)
        assert session.starts_at <= h.starts_at < h.ends_at <= session.ends_at
        assert h.hearing_type in session.hearing_types
        assert h.starts_at.astimezone(CHICAGO).minute % 15 == 0
    starts = Counter((h.case_id, h.starts_at) for h in hearings if h.status != "vacated")
    assert max(starts.values()) == 1  # never two hearings of a case at once
    for c in cases:
        if c.status == "active":
            assert future[c.id] >= 1, c.case_number
        else:
            assert future[c.id] == 0, c.case_number
        assert all(h.judge_id == c.assigned_judge_id for h in hearings if h.case_id == c.id)
    _check_slots(hearings, sessions)
    _check_settings(hearings, sessions)
    _check_outcomes(hearings, events)
    _check_interpreters(hearings)


def _core_session(s: CalendarSession) -> Session:
    return Session(
        id=s.id,
        day=s.session_date,
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        judge_id=s.judge_id,
        courtroom_id=s.courtroom_id,
        hearing_types=frozenset(s.hearing_types),
        capacity=s.capacity,
        slot_minutes=s.slot_minutes,
    )


def _check_slots(hearings, sessions) -> None:
    """Slots: no two scheduled hearings share one (nor two held ones: they sat there), every
    slot is one of the session's, and a hearing sits when its slot says."""
    taken = Counter(
        (h.calendar_session_id, h.slot) for h in hearings if h.status in ("scheduled", "held")
    )
    assert max(taken.values()) == 1
    for h in hearings:
        if h.status in ("scheduled", "held"):
            assert h.slot is not None
        else:
            assert h.slot is None  # vacated and continued hearings left their slot
            continue
        session = sessions[h.calendar_session_id]
        assert session.status == "open"
        assert 0 <= h.slot < session.capacity
        assert (h.starts_at, h.ends_at) == slot_window(_core_session(session), h.slot), h.id
    # Several matters are called at the same time in a busy call: slots fill times in turn.
    assert any(
        n > 1 for n in Counter((h.calendar_session_id, h.starts_at) for h in hearings).values()
    )


def _check_settings(hearings, sessions) -> None:
    """Each hearing's settings: numbered 1..n (n = setting_count), in date order, the earlier
    ones continued (who asked, a reason from the list), the last one where the hearing is."""
    by_hearing = defaultdict(list)
    for setting in db.session.scalars(select(HearingSetting)):
        by_hearing[setting.hearing_id].append(setting)
    assert set(by_hearing) == {h.id for h in hearings}
    final_ending = {"scheduled": None, "held": "held", "vacated": "vacated"}
    load = Counter()
    for h in hearings:
        settings = sorted(by_hearing[h.id], key=lambda s: s.number)
        assert [s.number for s in settings] == list(range(1, h.setting_count + 1)), h.id
        last = settings[-1]
        assert (last.starts_at, last.ends_at, last.calendar_session_id, last.courtroom_id) == (
            h.starts_at,
            h.ends_at,
            h.calendar_session_id,
            h.courtroom_id,
        )
        if h.status == "continued":
            assert last.ended == "continued"
        else:
            assert last.ended == final_ending[h.status], h.id
        assert h.created_at == settings[0].set_at
        for before, after in zip(settings, settings[1:], strict=False):
            assert before.ended == "continued"
            assert before.starts_at < after.starts_at
            assert before.ended_at == after.set_at  # the new date was set as it was continued
        continued = [s for s in settings if s.ended == "continued"]
        for s in continued:
            assert s.continuance_requester in CONTINUANCE_REQUESTERS
            assert s.continuance_reason in CONTINUANCE_REASONS
            assert s.note  # the minute's words
        if continued:
            assert (h.continuance_requester, h.continuance_reason) == (
                continued[-1].continuance_requester,
                continued[-1].continuance_reason,
            )
        else:
            assert h.continuance_requester is None and h.continuance_reason is None
        for s in settings:
            assert (s.case_id, s.hearing_type, s.judge_id) == (
                h.case_id,
                h.hearing_type,
                h.judge_id,
            )
            assert s.set_at < s.starts_at and s.set_by_id is not None
            assert s.overridden == [] and s.override_reason is None
            if s.ended is None:
                assert s.ended_at is None
            else:
                assert s.set_at < s.ended_at and s.ended_by_id is not None
            if s.ended in ("held", "continued") or s.ended is None:
                load[s.calendar_session_id] += 1  # on the session's list that day
    assert all(load[s] <= sessions[s].capacity for s in load)
    assert {s.ended for settings in by_hearing.values() for s in settings} == {
        None,
        "continued",
        "held",
        "vacated",
    }
    assert max(h.setting_count for h in hearings) >= 3
    reasons = {s.continuance_reason for settings in by_hearing.values() for s in settings}
    assert {"discovery_incomplete", "plea_negotiations", "lab_results_pending"} <= reasons
    trials = [h for h in hearings if h.hearing_type == "trial"]
    assert any(h.setting_count > 1 for h in trials)  # trial-date certainty has something to count


def _check_outcomes(hearings, events) -> None:
    """A held hearing has an outcome from the list that fits its type, and the case events
    that outcome records are in the case on that day."""
    on_day = defaultdict(set)
    for e in events:
        on_day[e.case_id, e.occurred_on].add(e.event_type)
    codes = Counter()
    for h in hearings:
        if h.status != "held":
            assert h.outcome_code is None
            continue
        assert h.outcome_code in outcomes_for(h.hearing_type), (h.hearing_type, h.outcome_code)
        codes[h.outcome_code] += 1
        day = h.starts_at.astimezone(CHICAGO).date()
        assert set(EFFECTS[h.outcome_code].events) <= on_day[h.case_id, day], h.id
    assert {
        "initial_appearance_held",
        "arraigned_plea_entered",
        "status_conference_held",
        "motion_decided",
        "pretrial_conference_held",
        "plea_accepted",
        "verdict_guilty",
        "sentenced",
        "bench_warrant_issued",
        "dismissed",
    } <= set(codes)


def _check_interpreters(hearings) -> None:
    languages = defaultdict(set)
    for case_id, language in rows(Defendant, "case_id", "interpreter_language"):
        if language:
            languages[case_id].add(language)
    for h in hearings:
        wanted = min(languages[h.case_id]) if languages[h.case_id] else None
        assert h.interpreter_language == wanted
    assert sum(h.interpreter_language is not None for h in hearings) >= 20


def _check_docket(cases) -> None:
    entries = db.session.scalars(select(DocketEntry)).all()
    assert all(e.filed_at.astimezone(CHICAGO).date() <= TODAY for e in entries)
    assert any(e.sealed for e in entries)
    stricken = [e for e in entries if e.stricken]
    assert stricken and all(e.stricken_reason for e in stricken)
    kinds = {e.entry_type for e in entries}
    assert {
        "complaint",
        "indictment",
        "motion",
        "order",
        "minute_entry",
        "judgment",
        "warrant",
        "discovery_disclosure",
        "plea_agreement",
    } <= kinds
    for e in entries:
        if e.filer_party == "court":
            assert e.filer_attorney_id is None
    counsel = defaultdict(set)
    for case_id, attorney_id in rows(CounselOfRecord, "case_id", "attorney_id"):
        counsel[case_id].add(attorney_id)
    for e in entries:
        if e.filer_attorney_id is not None:
            assert e.filer_attorney_id in counsel[e.case_id]
    linked = {e.docket_entry_id for e in db.session.scalars(select(CaseEvent))} - {None}
    entry_case = {e.id: e.case_id for e in entries}
    for event in db.session.scalars(select(CaseEvent).where(CaseEvent.docket_entry_id.in_(linked))):
        assert entry_case[event.docket_entry_id] == event.case_id

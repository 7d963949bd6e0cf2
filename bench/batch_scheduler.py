"""Time the batch auto-scheduler (docket.core.batch) on a synthetic court with tight capacity,
against the baseline clerks use by hand, in the same run.

    python -m bench.batch_scheduler                      # 10,000 hearings, 40 courtrooms
    python -m bench.batch_scheduler --needs 12000 --seed 7
    PYTHONPATH=/path/to/ortools python -m bench.batch_scheduler --cp-sat 500

The court: 40 courtrooms, each with its judge, six weeks of court days, a morning call
(arraignment, detention, status conference, change of plea: 6 half hours) and an
afternoon (motion, pretrial conference, sentencing, status conference: 3 one-hour times) in every
courtroom every day: 2,400 sessions. About a tenth of the slots are already booked. The hearings
to place have plan deadlines spread over the six weeks (a tenth have none); arraignments and
detention hearings go to any judge (the duty calendar); counsel (a prosecutor per courtroom,
400 defense attorneys), defendants with several cases and Spanish and Vietnamese interpreters
are shared, so the conflict rules bite.

Both schedulers get the same needs, sessions and busy state; every placement is then checked
again with docket.core.scheduling.conflicts() (no hard conflict may survive; the batch must not
have soft ones either) and for slots given twice.

With --cp-sat N (needs OR-Tools), a smaller court (N needs, 8 courtrooms, one call per session so
that a session-level model is exact) is also solved by CP-SAT, maximising deadlines met, for
comparison with the heuristic on the same instance. The last line is the one to grep:

    RESULT needs=10,000 sessions=2,400 docket_met=...% baseline_met=...% gain=... seconds=...
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from docket.core.batch import Assignment, assign, baseline, need_key, verify
from docket.core.scheduling import Booking, Busy, Need, Session, slot_window

ZONE = ZoneInfo("America/Chicago")
MORNING = frozenset({"arraignment", "detention", "status_conference", "change_of_plea"})
AFTERNOON = frozenset({"motion", "pretrial_conference", "sentencing", "status_conference"})
ANY_JUDGE = frozenset({"arraignment", "detention"})
# Share of needs per hearing type (morning types about 5/8 of morning+afternoon capacity).
TYPES = [
    ("arraignment", 0.22),
    ("detention", 0.06),
    ("status_conference", 0.22),
    ("change_of_plea", 0.14),
    ("motion", 0.14),
    ("pretrial_conference", 0.12),
    ("sentencing", 0.10),
]


def court_days(first: date, count: int) -> list[date]:
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, clock_time(hour, minute), ZONE).astimezone(UTC)


def synthetic_court(
    *,
    needs: int = 10_000,
    courtrooms: int = 40,
    weeks: int = 6,
    seed: int = 2026,
    booked_share: float = 0.10,
    single_call: bool = False,
) -> tuple[list[Need], list[Session], Busy, datetime]:
    """Needs, sessions, busy state and `now` for a court. `single_call`: every session calls all
    its cases at its start (one time per session), for the exact session-level CP-SAT model."""
    rng = random.Random(seed)
    first = date(2026, 3, 2)  # a Monday
    now = at(first - timedelta(days=3), 16)
    days = court_days(first, weeks * 5)
    sessions: list[Session] = []
    next_id = 1
    for day in days:
        for room in range(1, courtrooms + 1):
            blocks = (
                (at(day, 9), at(day, 12), MORNING, 6, 180 if single_call else 30),
                (at(day, 13, 30), at(day, 16, 30), AFTERNOON, 3, 180 if single_call else 60),
            )
            for starts, ends, types, capacity, minutes in blocks:
                sessions.append(
                    Session(
                        id=next_id,
                        day=day,
                        starts_at=starts,
                        ends_at=ends,
                        judge_id=room,
                        courtroom_id=room,
                        hearing_types=types,
                        capacity=capacity,
                        slot_minutes=minutes,
                        judge_name=f"Judge {room:02d}",
                        courtroom_name=f"{room:02d}",
                    )
                )
                next_id += 1
    interpreters = {"spanish": max(1, courtrooms // 7), "vietnamese": 1}
    busy = Busy(ZONE, interpreters=interpreters)
    for session in sessions:
        busy.add_session(session)

    prosecutors = max(2, courtrooms * 3 // 2)
    defense = max(4, courtrooms * 10)
    people: list[tuple] = []

    def person(index: int) -> tuple:
        while len(people) <= index:
            n = len(people)
            people.append((f"defendant {n}", date(1970, 1, 1) + timedelta(days=n % 15000)))
        return people[index]

    def language() -> str | None:
        roll = rng.random()
        return "Spanish" if roll < 0.12 else "Vietnamese" if roll < 0.14 else None

    def counsel(judge: int, duty: bool = False) -> tuple:
        lawyer = 10_000 + rng.randint(1, defense)
        if duty:
            # The duty calendar: the prosecutor in whichever courtroom hears it covers it.
            return ((lawyer, f"Atty. {lawyer}"),)
        prosecutor = (judge - 1) * 3 // 2 + 1 if rng.random() < 0.9 else rng.randint(1, prosecutors)
        return ((prosecutor, f"AUSA {prosecutor}"), (lawyer, f"Atty. {lawyer}"))

    # Hearings already on the calendar take about `booked_share` of the slots.
    hearing_id = 1
    for session in sessions:
        for slot in range(session.capacity):
            if rng.random() >= booked_share:
                continue
            start, end = slot_window(session, slot)
            lang = language()
            booking = Booking(
                hearing_id=hearing_id,
                case_id=900_000 + hearing_id,
                caption=f"State v. Booked {hearing_id}",
                courtroom_id=session.courtroom_id,
                courtroom_name=session.courtroom_name,
                session_id=session.id,
                starts_at=start,
                ends_at=end,
                language=lang,
            )
            attorneys = tuple(a for a, _ in counsel(session.judge_id))
            busy.add_booking(booking, attorneys, (person(rng.randrange(needs)),), slot)
            hearing_id += 1

    horizon = (days[-1] - first).days
    kinds = [t for t, _ in TYPES]
    weights = [w for _, w in TYPES]
    result: list[Need] = []
    for number in range(1, needs + 1):
        hearing_type = rng.choices(kinds, weights)[0]
        judge = rng.randint(1, courtrooms)
        # Deadlines spread over the window, heavier early (the backlog).
        due = None if rng.random() < 0.10 else first + timedelta(days=int(horizon * rng.random()))
        if due is not None and due.weekday() >= 5:
            due += timedelta(days=7 - due.weekday())
        defendant = number if rng.random() > 0.08 else rng.randrange(needs)
        result.append(
            Need(
                case_id=number,
                hearing_type=hearing_type,
                judge_id=judge,
                caption=f"State v. Defendant {number}",
                case_number=f"2026-CR-{rng.randrange(1, 10**6):06d}",
                due=due,
                attorneys=counsel(judge, hearing_type in ANY_JUDGE),
                persons=(person(defendant),),
                language=language(),
                any_judge=hearing_type in ANY_JUDGE,
            )
        )
    return result, sessions, busy, now


def check(assignment: Assignment, busy: Busy, now: datetime, *, soft: bool) -> int:
    """Placements that break a rule when checked again (hard, and soft if `soft`)."""
    return len(verify(assignment, busy, now, avoid_soft=soft))


def line(name: str, assignment: Assignment, seconds: float, broken: int) -> str:
    q = assignment.quality
    return (
        f"{name:<10} placed {q.placed:>6,}/{q.needs:,}  deadlines met {q.met:>6,}/"
        f"{q.with_deadline:,} ({q.met_share:6.1%})  late {q.late:>5,}  unplaced "
        f"{q.unplaced:>5,}  moved {q.moved_in_repair:>4,}  broken {broken}  {seconds:6.2f} s"
    )


def spread(assignment: Assignment) -> str:
    loads = list(assignment.quality.load.values()) or [0]
    return f"load per judge min {min(loads)} max {max(loads)}"


def run(needs_count: int, courtrooms: int, seed: int) -> tuple[Assignment, Assignment, float]:
    needs, sessions, busy, now = synthetic_court(
        needs=needs_count, courtrooms=courtrooms, seed=seed
    )
    free = sum(s.capacity - len(busy.taken.get(s.id, ())) for s in sessions)
    print(
        f"court: {courtrooms} courtrooms, {len(sessions):,} sessions, {free:,} free slots, "
        f"{len(needs):,} hearings to place (demand/supply {len(needs) / free:.2f})"
    )
    started = time.perf_counter()
    docket = assign(needs, sessions, busy, now)
    docket_seconds = time.perf_counter() - started
    started = time.perf_counter()
    clerks = baseline(needs, sessions, busy, now)
    baseline_seconds = time.perf_counter() - started
    started = time.perf_counter()
    docket_broken = check(docket, busy, now, soft=True)
    baseline_broken = check(clerks, busy, now, soft=False)
    verify_seconds = time.perf_counter() - started
    print(line("docket", docket, docket_seconds, docket_broken), "|", spread(docket))
    print(line("baseline", clerks, baseline_seconds, baseline_broken), "|", spread(clerks))
    print(f"(re-checking every placement of both with conflicts(): {verify_seconds:.2f} s)")
    if docket_broken or baseline_broken:
        print("BROKEN CONSTRAINTS", file=sys.stderr)
    return docket, clerks, docket_seconds


def cp_sat(needs_count: int, seed: int, seconds: float, hint: bool = False) -> None:
    """The same question for CP-SAT on a small court, against the heuristic."""
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        print("cp-sat: OR-Tools is not importable; skipped")
        return
    courtrooms = 8
    needs, sessions, busy, now = synthetic_court(
        needs=needs_count, courtrooms=courtrooms, weeks=2, seed=seed, single_call=True
    )
    free = {s.id: s.capacity - len(busy.taken.get(s.id, ())) for s in sessions}
    print(
        f"cp-sat court: {courtrooms} courtrooms, {len(sessions)} sessions (one call each), "
        f"{sum(free.values())} free slots, {len(needs)} hearings"
    )
    started = time.perf_counter()
    heuristic = assign(needs, sessions, busy, now)
    heuristic_seconds = time.perf_counter() - started

    need_index = {need_key(need): n for n, need in enumerate(needs)}
    started = time.perf_counter()
    model = cp_model.CpModel()
    x: dict[tuple[int, int], object] = {}
    candidates = defaultdict(list)
    for n, need in enumerate(needs):
        for session in sessions:
            if need.hearing_type not in session.hearing_types or session.starts_at <= now:
                continue
            if not need.any_judge and session.judge_id != need.judge_id:
                continue
            if not free[session.id]:
                continue
            x[n, session.id] = model.new_bool_var(f"x{n}_{session.id}")
            candidates[n].append(session)
    by_session = defaultdict(list)
    for (_, sid), var in x.items():
        by_session[sid].append(var)
    for n in range(len(needs)):
        if candidates[n]:
            model.add_at_most_one(x[n, s.id] for s in candidates[n])
    for sid, vars_ in by_session.items():
        model.add(sum(vars_) <= free[sid])
    # Sessions at the same time (morning or afternoon of a day): a person or attorney may be in
    # one courtroom only (the sessions are one call each, so this is exactly conflicts()).
    block = {s.id: (s.day, s.starts_at) for s in sessions}
    room = {s.id: s.courtroom_id for s in sessions}
    busy_rooms = defaultdict(set)  # (who, block) -> courtrooms booked before the batch
    for who, table in (("a", busy.by_attorney), ("p", busy.by_person)):
        for key, bookings in table.items():
            for b in bookings:
                busy_rooms[(who, key, (b.starts_at.astimezone(ZONE).date(), b.starts_at))].add(
                    b.courtroom_id
                )
    users = defaultdict(list)  # (who, key, block) -> [(room, var)]
    lang_users = defaultdict(list)
    for (n, sid), var in x.items():
        need = needs[n]
        keys = [("a", a) for a, _ in need.attorneys] + [("p", p) for p in need.persons]
        for who, key in keys:
            taken = busy_rooms.get((who, key, block[sid]), set())
            if taken - {room[sid]}:
                model.add(var == 0)
            users[(who, key, block[sid])].append((room[sid], var))
        if need.language:
            lang_users[(need.language.casefold(), block[sid])].append((room[sid], var))
    for entries in users.values():
        rooms = defaultdict(list)
        for r, var in entries:
            rooms[r].append(var)
        if len(rooms) < 2:
            continue
        used = []
        for vars_ in rooms.values():
            y = model.new_bool_var("")
            for var in vars_:
                model.add_implication(var, y)
            used.append(y)
        model.add(sum(used) <= 1)
    for (lang, blk), entries in lang_users.items():
        staff = busy.interpreters.get(lang, 0)
        if not staff:
            continue
        already = {
            b.courtroom_id
            for b in busy.by_language.get(lang, [])
            if (b.starts_at.astimezone(ZONE).date(), b.starts_at) == blk
        }
        rooms = defaultdict(list)
        for r, var in entries:
            rooms[r].append(var)
        used = []
        for r, vars_ in rooms.items():
            if r in already:
                continue
            y = model.new_bool_var("")
            for var in vars_:
                model.add_implication(var, y)
            used.append(y)
        model.add(sum(used) + len(already) <= max(staff, len(already)))
    day_index = {d: i for i, d in enumerate(sorted({s.day for s in sessions}))}
    session_by_id = {s.id: s for s in sessions}
    objective = []
    for (n, sid), var in x.items():
        need = needs[n]
        day = session_by_id[sid].day
        met = need.due is not None and day <= need.due
        # Deadlines met first (the other terms sum to less than one met deadline), then
        # placed, then earliness.
        objective.append((1_000_000 * met + 1_000 - day_index[day]) * var)
    model.maximize(sum(objective))
    if hint:
        # Start from the heuristic's answer: CP-SAT can then only improve on it.
        chosen = {(need_index[need_key(p.need)], p.session.id) for p in heuristic.placements}
        for key, var in x.items():
            model.add_hint(var, key in chosen)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    sat_seconds = time.perf_counter() - started
    met = placed = 0
    with_deadline = sum(1 for need in needs if need.due is not None)
    for (n, sid), var in x.items():
        if solver.value(var):
            placed += 1
            due = needs[n].due
            met += due is not None and session_by_id[sid].day <= due
    q = heuristic.quality
    print(
        f"heuristic  placed {q.placed}/{q.needs}  deadlines met {q.met}/{q.with_deadline} "
        f"({q.met_share:.1%})  {heuristic_seconds:.2f} s"
    )
    print(
        f"cp-sat     placed {placed}/{len(needs)}  deadlines met {met}/{with_deadline} "
        f"({met / with_deadline:.1%})  {sat_seconds:.2f} s  status {solver.status_name(status)} "
        f"(bound: at most {solver.best_objective_bound // 1_000_000:.0f} met)"
        + (" [started from the heuristic's answer]" if hint else "")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--courtrooms", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--cp-sat", type=int, default=0, metavar="N", help="also CP-SAT, N needs")
    parser.add_argument("--cp-sat-seconds", type=float, default=60.0)
    parser.add_argument(
        "--cp-sat-hint", action="store_true", help="start CP-SAT from the heuristic's answer"
    )
    args = parser.parse_args(argv)
    docket, clerks, seconds = run(args.needs, args.courtrooms, args.seed)
    if args.cp_sat:
        cp_sat(args.cp_sat, args.seed, args.cp_sat_seconds, args.cp_sat_hint)
    gain = (docket.quality.met_share - clerks.quality.met_share) * 100
    print(
        f"RESULT needs={args.needs:,} sessions={args.courtrooms * 60:,} "
        f"docket_met={docket.quality.met_share:.1%} baseline_met={clerks.quality.met_share:.1%} "
        f"gain={gain:.1f}pt seconds={seconds:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

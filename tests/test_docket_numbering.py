"""Docket numbers under concurrent filing (issue 6): two real connections, each in its own
thread and application context, file into the same case at the same moment, round after
round. The numbers are 1..N with no gap and no duplicate; a filing that waited for another
gets the next number; a filing rolled back gives its number to the next one; a filing that
could not wait is refused with the service's "busy" message and leaves nothing behind.

PostgreSQL serializes the filings on the `docket_counter` row lock (the second waits);
SQLite has one writer (the second waits through busy_timeout, or is refused as busy).
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from docket.extensions import db
from docket.filings import service
from docket.filings.service import FilingError, NewEntry, Upload
from docket.models import (
    AuditLogEntry,
    Case,
    CaseEvent,
    DocketCounter,
    DocketEntry,
    Document,
    User,
    utcnow,
)
from tests.pdfs import pdf

ROUNDS = 12
BUSY = "The docket was busy with another filing and nothing was saved: submit again."


def docket(case_id: int) -> list[tuple[int, str]]:
    """(number, text) of every entry of the case, in number order, as committed."""
    db.session.expire_all()
    return [
        (row.number, row.text)
        for row in db.session.execute(
            select(DocketEntry.number, DocketEntry.text)
            .where(DocketEntry.case_id == case_id)
            .order_by(DocketEntry.number)
        )
    ]


def counter(case_id: int) -> int | None:
    return db.session.scalar(
        select(DocketCounter.last_number).where(DocketCounter.case_id == case_id)
    )


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def run_threads(*targets, timeout: float = 120) -> None:
    threads = [threading.Thread(target=target, daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a filing thread never finished"


def waiting_on_a_lock(app, within: float = 20.0) -> bool:
    """PostgreSQL: whether a backend of this database is (or comes to be, within `within`
    seconds) waiting for a lock: the second filing queued behind the first."""
    with app.app_context(), db.engine.connect() as connection:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            waiting = connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
            connection.rollback()
            if waiting:
                return True
            time.sleep(0.02)
    return False


def take_number(case_id: int, clerk_id: int, entry_type: str, text: str) -> int:
    """The court's entry with the case's next number, flushed: the counter row stays locked
    until this connection commits or rolls back."""
    number = service.next_number(case_id)
    db.session.add(
        DocketEntry(
            case_id=case_id,
            number=number,
            filed_at=utcnow(),
            filer_party="court",
            entry_type=entry_type,
            text=text,
            created_by_id=clerk_id,
        )
    )
    db.session.flush()
    return number


def test_two_filings_at_the_same_moment_get_consecutive_numbers_round_after_round(app, court):
    """Defense counsel files a motion (with its PDF) while the clerk dockets a minute entry,
    both released by one barrier, ROUNDS times: every number 1..N once, none skipped."""
    case_id = court.rivera.id
    counsel_id, clerk_id = court.attorney_user.id, court.clerk.id
    postgres = db.engine.dialect.name == "postgresql"
    barrier = threading.Barrier(2)
    filed: list[tuple[str, int, str]] = []  # (who, number, text)
    refused: list[tuple[str, str]] = []  # (who, text): SQLite only, "busy"
    errors: list[BaseException] = []

    def filer(who: str, user_id: int, make, file) -> None:
        with app.app_context():
            try:
                for round_ in range(ROUNDS):
                    case = db.session.get(Case, case_id)
                    user = db.session.get(User, user_id)
                    new = make(round_)
                    barrier.wait(timeout=60)  # both ask for a number at once
                    try:
                        entry = file(case, user, new)
                        filed.append((who, entry.number, new.text))
                    except FilingError as refusal:
                        if str(refusal) != BUSY:
                            raise
                        refused.append((who, new.text))
            except BaseException as error:  # surfaced by the assertion below
                errors.append(error)
                barrier.abort()
            finally:
                db.session.remove()

    def motion(round_: int) -> NewEntry:
        return NewEntry(
            "motion",
            f"Motion to continue the status conference (round {round_})",
            subtype="continue",
            uploads=[Upload(pdf(title=f"motion {round_}"), f"motion-{round_}.pdf")],
        )

    def minute_entry(round_: int) -> NewEntry:
        return NewEntry("minute_entry", f"Minute entry: status conference held (round {round_})")

    run_threads(
        lambda: filer("counsel", counsel_id, motion, service.file_by_counsel),
        lambda: filer("clerk", clerk_id, minute_entry, service.docket_by_clerk),
    )
    assert not errors, errors

    numbers = sorted(number for _, number, _ in filed)
    assert numbers == list(range(1, len(filed) + 1)), "a number skipped or given twice"
    assert docket(case_id) == sorted((number, body) for _, number, body in filed)
    assert counter(case_id) == len(filed)
    if postgres:
        # The second filing waits for the counter's row lock: nobody is ever turned away.
        assert refused == [] and len(filed) == 2 * ROUNDS
    else:
        assert len(filed) + len(refused) == 2 * ROUNDS and len(filed) >= ROUNDS
    # A refused filing left nothing: no entry, no document, no plan event, no audit row.
    motions = [body for who, _, body in filed if who == "counsel"]
    assert count(Document) == len(motions)
    assert count(CaseEvent, CaseEvent.event_type == "motion_filed") == len(motions)
    assert count(AuditLogEntry, AuditLogEntry.action == "docket_entry_filed") == len(filed)
    entry_texts = {body for _, body in docket(case_id)}
    assert not entry_texts & {body for _, body in refused}


def test_a_rolled_back_filing_gives_its_number_to_the_filing_that_waited_for_it(app, court):
    """Filing A has taken #3 and not committed; filing B, at the same moment, waits for it
    (it cannot take #3 nor skip to #4); A fails and rolls back; B gets #3."""
    clerk = court.clerk
    case_id, clerk_id = court.rivera.id, clerk.id
    for body in ("Indictment returned", "Minute entry: initial appearance"):
        service.docket_by_clerk(court.rivera, clerk, NewEntry("minute_entry", body))
    postgres = db.engine.dialect.name == "postgresql"
    a_holds, b_asking, b_done, release = (threading.Event() for _ in range(4))
    outcome: dict[str, object] = {}

    def filing_a() -> None:
        with app.app_context():
            try:
                number = take_number(
                    case_id, clerk_id, "order", "ORDER that never was (rolled back)"
                )
                outcome["a"] = number
                a_holds.set()
                release.wait(60)
                db.session.rollback()
            except BaseException as error:
                outcome["a error"] = error
                a_holds.set()
            finally:
                db.session.remove()

    def filing_b() -> None:
        with app.app_context():
            try:
                a_holds.wait(60)
                case = db.session.get(Case, case_id)
                user = db.session.get(User, clerk_id)
                new = NewEntry("order", "ORDER setting trial")
                b_asking.set()
                outcome["b"] = service.docket_by_clerk(case, user, new).number
            except BaseException as error:
                outcome["b error"] = error
            finally:
                b_done.set()
                db.session.remove()

    def court_clock() -> None:
        b_asking.wait(60)
        if postgres:
            outcome["b waited on the lock"] = waiting_on_a_lock(app)
        else:
            time.sleep(0.3)  # B is in SQLite's busy handler, waiting for the write lock
        outcome["b done before A ended"] = b_done.is_set()
        release.set()

    run_threads(filing_a, filing_b, court_clock)
    assert "a error" not in outcome and "b error" not in outcome, outcome
    assert outcome["a"] == 3
    assert outcome["b done before A ended"] is False
    if postgres:
        assert outcome["b waited on the lock"] is True
    assert outcome["b"] == 3
    assert docket(case_id) == [
        (1, "Indictment returned"),
        (2, "Minute entry: initial appearance"),
        (3, "ORDER setting trial"),
    ]
    assert counter(case_id) == 3


def test_a_filing_that_cannot_wait_is_refused_as_busy_and_leaves_nothing(app, court):
    """While filing A holds the next number, filing B's connection will not wait (a short
    lock timeout): B is refused with the service's message, saves nothing and takes no
    number; A commits its number and the next filing follows it without a gap."""
    case_id, clerk_id = court.rivera.id, court.clerk.id
    counsel_id = court.attorney_user.id
    postgres = db.engine.dialect.name == "postgresql"
    a_holds, b_done = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def filing_a() -> None:
        with app.app_context():
            try:
                number = take_number(
                    case_id, clerk_id, "minute_entry", "Minute entry: arraignment held"
                )
                a_holds.set()
                b_done.wait(60)
                db.session.commit()
                outcome["a"] = number
            except BaseException as error:
                outcome["a error"] = error
                a_holds.set()
            finally:
                db.session.remove()

    def filing_b() -> None:
        with app.app_context():
            raw = None
            try:
                a_holds.wait(60)
                if postgres:  # for this transaction only
                    db.session.execute(text("SET LOCAL lock_timeout = '200ms'"))
                else:  # this connection's busy handler gives up after 200 ms
                    raw = db.session.connection().connection.dbapi_connection
                    raw.execute("PRAGMA busy_timeout = 200")
                case = db.session.get(Case, case_id)
                user = db.session.get(User, counsel_id)
                new = NewEntry(
                    "motion",
                    "Motion to suppress evidence from the stop",
                    subtype="suppress",
                    uploads=[Upload(pdf(title="suppress"), "suppress.pdf")],
                )
                try:
                    service.file_by_counsel(case, user, new)
                    outcome["b"] = "filed"
                except FilingError as refusal:
                    outcome["b"] = str(refusal)
            except BaseException as error:
                outcome["b error"] = error
            finally:
                if raw is not None:
                    raw.execute("PRAGMA busy_timeout = 10000")
                b_done.set()
                db.session.remove()

    run_threads(filing_a, filing_b)
    assert "a error" not in outcome and "b error" not in outcome, outcome
    assert outcome["b"] == BUSY
    assert outcome["a"] == 1
    # B left nothing: no entry, no document row, no motion event or response deadline.
    assert docket(case_id) == [(1, "Minute entry: arraignment held")]
    assert count(Document) == 0
    assert count(CaseEvent, CaseEvent.event_type == "motion_filed") == 0
    assert count(AuditLogEntry, AuditLogEntry.action == "docket_entry_filed") == 0
    # Submitted again, the motion takes the next number.
    again = service.file_by_counsel(
        db.session.get(Case, case_id),
        db.session.get(User, counsel_id),
        NewEntry(
            "motion",
            "Motion to suppress evidence from the stop",
            subtype="suppress",
            uploads=[Upload(pdf(title="suppress"), "suppress.pdf")],
        ),
    )
    assert again.number == 2
    assert [n for n, _ in docket(case_id)] == [1, 2] and counter(case_id) == 2


def test_a_filing_that_fails_after_taking_its_number_gives_it_back_and_leaves_nothing(
    app, court, tmp_path
):
    """The document store fails after the number was taken (here: its folder is a file, as
    a full or broken disk would fail): the whole filing rolls back, and the next filing gets
    the same number."""
    service.docket_by_clerk(court.rivera, court.clerk, NewEntry("minute_entry", "Arraignment"))
    blocked = tmp_path / "documents"
    blocked.write_text("not a folder")
    app.config["DOCUMENTS_DIR"] = str(blocked)
    motion = NewEntry(
        "motion",
        "Motion to dismiss count 2",
        subtype="dismiss",
        uploads=[Upload(pdf(title="dismiss"), "dismiss.pdf")],
    )
    with pytest.raises(OSError):
        service.file_by_counsel(court.rivera, court.attorney_user, motion)
    assert docket(court.rivera.id) == [(1, "Arraignment")]
    assert counter(court.rivera.id) == 1
    assert count(Document) == 0
    assert count(CaseEvent, CaseEvent.event_type == "motion_filed") == 0

    app.config["DOCUMENTS_DIR"] = str(tmp_path / "store")
    entry = service.file_by_counsel(court.rivera, court.attorney_user, motion)
    assert entry.number == 2
    assert docket(court.rivera.id) == [(1, "Arraignment"), (2, "Motion to dismiss count 2")]
    assert count(Document) == 1

"""The accounts and steps the sealed-material tests share (tests/test_sealed_*.py), on the
factories' small court: Rivera is Judge Okafor's case, Moreno defends, Chen prosecutes; Lind
is another judge of the court, the admin sees no sealed case."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from docket.clock import court_today
from docket.extensions import db
from docket.filings import service
from docket.filings.service import NewEntry, Upload
from docket.models import CalendarSession, Flag, Hearing
from docket.sweep.service import sweep
from tests.conftest import sign_in
from tests.isolated_client import isolated_client
from tests.pdfs import pdf

CHICAGO = ZoneInfo("America/Chicago")

CLERK = "clerk@cir1.test"
OKAFOR = "okafor@cir1.test"
LIND = "lind@cir1.test"
ADMIN = "admin@cir1.test"
MORENO = "moreno@defense.test"
CHEN = "chen@da.test"


def client_for(app, email: str):
    client = isolated_client(app)
    assert sign_in(client, email).status_code == 302
    return client


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return text(response)


def words(markup: str) -> str:
    """The page's text, tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def counsel_motion(court, user, text="MOTION to dismiss", title="m", **fields):
    return service.file_by_counsel(
        court.rivera,
        user,
        NewEntry(
            "motion", text, subtype="dismiss", uploads=[Upload(pdf(title=title), "m.pdf")], **fields
        ),
    )


def order(court, text="ORDER", **fields):
    return service.docket_by_clerk(court.rivera, court.clerk, NewEntry("order", text, **fields))


def seal_rivera(court) -> None:
    """Rivera's whole case sealed, by an order docketed for it."""
    sealing = order(court, "ORDER sealing the case")
    service.seal_case(court.rivera, "Cooperation agreement", sealing.number, court.clerk)


def one_off_session(court, day: date) -> CalendarSession:
    starts = datetime.combine(day, time(9), CHICAGO)
    session = CalendarSession(
        court_id=court.court.id,
        judge=court.judge_okafor,
        courtroom=court.courtroom,
        name="Morning call",
        session_date=day,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        hearing_types=["change_of_plea", "arraignment"],
        capacity=10,
        slot_minutes=15,
        status="open",
    )
    db.session.add(session)
    db.session.flush()
    return session


def book(session: CalendarSession, case, slot: int = 0, **fields) -> Hearing:
    starts = session.starts_at + timedelta(minutes=session.slot_minutes * slot)
    hearing = Hearing(
        case=case,
        hearing_type=fields.pop("hearing_type", "change_of_plea"),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=session.slot_minutes),
        courtroom_id=session.courtroom_id,
        judge_id=session.judge_id,
        calendar_session_id=session.id,
        slot=slot,
        status=fields.pop("status", "scheduled"),
        **fields,
    )
    db.session.add(hearing)
    db.session.commit()
    return hearing


def overdue_motion_flag(court):
    """A defense paper motion (#1, 20 days ago), the order #2 that will seal it, and the
    sweep's open flag that the prosecution's response is overdue."""
    motion = service.docket_by_clerk(
        court.rivera,
        court.clerk,
        NewEntry(
            "motion",
            "MOTION to dismiss",
            subtype="dismiss",
            filed_on=court_today() - timedelta(days=20),
        ),
        filer_party="defense",
        filer_attorney_id=court.defender.id,
    )
    sealing = order(court, "ORDER sealing entry 1")
    sweep(full=True)
    db.session.commit()
    flag = db.session.scalar(select(Flag).where(Flag.subject == "document:motion_response#1"))
    assert flag is not None and flag.resolved_at is None
    return motion, sealing, flag

"""The morning digest, received by a real SMTP server (aiosmtpd, started here on a free port),
on both engines: each opted-in user gets exactly their new flags and the next court day's
hearings, opted-out users and users with nothing new get nothing, sealed cases never reach
attorneys, MAIL_ENABLED off sends nothing, a day's digest goes once, and the whole run costs
the same number of queries for few users and flags or many."""

from __future__ import annotations

import email
import socket
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from email import policy
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from docket.clock import utc_now
from docket.extensions import db
from docket.flags import digest
from docket.models import CounselOfRecord, Courtroom, Flag, Hearing, JobRun, User
from tests.factories import case as make_case
from tests.factories import user as make_user
from tests.query_count import counted_queries

CHICAGO = ZoneInfo("America/Chicago")
FRIDAY = date(2026, 6, 12)  # the run date: the next court day is Monday, June 15
MONDAY = date(2026, 6, 15)


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def by_recipient(self) -> dict[str, email.message.EmailMessage]:
        found = {}
        for recipients, message in self.received:
            for address in recipients:
                assert address not in found, f"{address} received two digests"
                found[address] = message
        return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(**options):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def mail(app):
    """A local SMTP server, and the app's mail settings pointing at it."""
    with smtp_server() as (inbox, port):
        app.config.update(MAIL_ENABLED=True, MAIL_HOST="127.0.0.1", MAIL_PORT=port)
        yield inbox


def plain(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def html_part(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")


def everything(message) -> str:
    return message["Subject"] + "\n" + plain(message) + "\n" + html_part(message)


def add_flag(case, kind, cause, *, severity="warning", since=None, **fields) -> Flag:
    row = Flag(
        case_id=case.id,
        kind=kind,
        subject=fields.pop("subject", f"stage:{cause[:20]}"),
        severity=severity,
        since=since or utc_now() - timedelta(hours=1),
        cause=cause,
        due_on=fields.pop("due_on", date(2026, 6, 20)),
        **fields,
    )
    db.session.add(row)
    return row


def add_hearing(case, day, hour, judge, courtroom, hearing_type="arraignment", **fields):
    starts = datetime(day.year, day.month, day.day, hour, tzinfo=CHICAGO)
    row = Hearing(
        case_id=case.id,
        hearing_type=hearing_type,
        starts_at=starts.astimezone(UTC),
        ends_at=(starts + timedelta(minutes=30)).astimezone(UTC),
        courtroom_id=courtroom.id,
        judge_id=judge.id,
        status=fields.pop("status", "scheduled"),
        **fields,
    )
    db.session.add(row)
    return row


@pytest.fixture
def morning(court):
    """A court with new and old flags, a sealed case, and hearings around the weekend."""
    secret = make_case(court.court, "2026-CR-000010", "Secretname", court.judge_okafor)
    secret.sealed = True
    far = make_case(court.other_court, "2026-CR-000900", "Faraway", None)
    room_5b = Courtroom(court=court.court, name="5B")
    db.session.add(room_5b)
    db.session.flush()
    db.session.add(
        CounselOfRecord(
            case=secret,
            attorney=court.defender,
            side="defense",
            defendant=secret.defendants[0],
            appeared_on=date(2026, 3, 3),
        )
    )
    rivera, ortiz = court.rivera, court.ortiz
    add_flag(rivera, "overdue", "Arraignment was due June 1", severity="critical")
    add_flag(rivera, "unscheduled", "Trial needs a date by July 30")
    add_flag(ortiz, "approaching", "Discovery due June 20", severity="info")
    add_flag(secret, "overdue", "Secretname arraignment overdue", severity="critical")
    add_flag(rivera, "overdue", "Old news", since=utc_now() - timedelta(days=3))
    add_flag(
        rivera,
        "approaching",
        "Gone already",
        resolved_at=utc_now() - timedelta(minutes=5),
    )
    add_flag(far, "overdue", "Far court flag")
    okafor, lind = court.judge_okafor, court.judge_lind
    add_hearing(rivera, MONDAY, 9, okafor, court.courtroom)
    add_hearing(secret, MONDAY, 10, okafor, court.courtroom, "status_conference")
    add_hearing(ortiz, MONDAY, 11, lind, court.courtroom, "motion")
    add_hearing(ortiz, MONDAY, 14, lind, room_5b, "status_conference")
    add_hearing(rivera, MONDAY, 15, okafor, room_5b, "trial", status="vacated")
    add_hearing(rivera, date(2026, 6, 13), 9, okafor, court.courtroom)  # Saturday
    add_hearing(rivera, date(2026, 6, 16), 9, okafor, court.courtroom)  # Tuesday
    for account in (
        court.clerk,
        court.judge_user,
        court.attorney_user,
        court.prosecutor_user,
        court.other_attorney_user,  # opted in, nothing on their cases
    ):
        account.digest_opt_in = True
    db.session.commit()
    return court


def test_each_opted_in_user_receives_exactly_their_digest(app, morning, mail):
    report = digest.send_digest(FRIDAY)
    assert report.hearing_day == MONDAY
    inbox = mail.by_recipient()
    assert set(inbox) == {
        "clerk@cir1.test",
        "okafor@cir1.test",
        "moreno@defense.test",
        "chen@da.test",
    }  # Lind did not opt in; Vega has nothing new; the admin did not opt in
    assert sorted(report.sent) == sorted(inbox)

    clerk = plain(inbox["clerk@cir1.test"])
    for cause in (
        "Arraignment was due June 1",
        "Trial needs a date by July 30",
        "Discovery due June 20",
        "Secretname arraignment overdue",  # the clerk's office sees sealed cases
    ):
        assert cause in clerk
    for absent in ("Old news", "Gone already", "Far court flag"):
        assert absent not in clerk
    assert "Hearings on Monday, June 15, 2026, by courtroom:" in clerk
    assert "Courtroom 3A: 3 hearings" in clerk and "Courtroom 5B: 1 hearing\n" in clerk
    assert "Critical: Stage deadline missed" in clerk
    assert clerk.index("Arraignment was due June 1") < clerk.index("Discovery due June 20")

    judge = plain(inbox["okafor@cir1.test"])
    assert "Arraignment was due June 1" in judge and "Secretname arraignment overdue" in judge
    assert "Discovery due June 20" not in judge  # Lind's case
    assert "9:00 AM  Courtroom 3A  Arraignment  2026-CR-000001 State v. Rivera" in judge
    assert "10:00 AM" in judge and "Motion hearing" not in judge  # Lind's hearing

    moreno = everything(inbox["moreno@defense.test"])
    assert "Arraignment was due June 1" in moreno
    assert "Trial needs a date" not in moreno  # the court's to-do, not counsel's
    assert "Secretname" not in moreno and "2026-CR-000010" not in moreno  # sealed
    assert "Discovery due June 20" not in moreno  # not his case
    assert "9:00 AM" in plain(inbox["moreno@defense.test"]) and "10:00 AM" not in moreno

    chen = plain(inbox["chen@da.test"])
    assert "Arraignment was due June 1" in chen and "Discovery due June 20" in chen
    assert "11:00 AM  Courtroom 3A  Motion hearing  2026-CR-000002 State v. Ortiz" in chen
    assert "Secretname" not in chen

    message = inbox["moreno@defense.test"]
    assert message["To"] == "Moreno <moreno@defense.test>"
    assert message["From"] == "docket@localhost"
    assert message["Subject"] == (
        "Docket digest, Jun 12, 2026: 1 new flag, 1 hearing on Mon Jun 15"
    )
    assert "State v. Rivera" in html_part(message)


def test_nothing_is_sent_when_mail_is_disabled(app, morning, mail):
    app.config["MAIL_ENABLED"] = False
    report = digest.send_digest(FRIDAY)
    assert mail.received == []
    assert report.sent == [] and len(report.digests) == 4
    assert "mail disabled" in report.headline()


def test_nothing_is_sent_by_a_dry_run_or_to_opted_out_users(app, morning, mail):
    report = digest.send_digest(FRIDAY, dry_run=True)
    assert mail.received == [] and len(report.digests) == 4
    for account in db.session.scalars(select(User)):
        account.digest_opt_in = False
    db.session.commit()
    report = digest.send_digest(FRIDAY)
    assert mail.received == [] and report.opted_in == 0 and report.digests == []


def test_an_inactive_account_gets_no_digest(app, morning, mail):
    db.session.get(User, morning.attorney_user.id).active = False
    db.session.commit()
    digest.send_digest(FRIDAY)
    assert "moreno@defense.test" not in mail.by_recipient()
    assert "chen@da.test" in mail.by_recipient()


def test_captions_are_escaped_in_the_html_part(app, morning, mail):
    morning.rivera.caption = "State v. <b>Rivera</b>"
    db.session.commit()
    digest.send_digest(FRIDAY)
    message = mail.by_recipient()["moreno@defense.test"]
    assert "State v. &lt;b&gt;Rivera&lt;/b&gt;" in html_part(message)
    assert "State v. <b>Rivera</b>" in plain(message)


def test_the_days_digest_goes_once_and_the_next_one_starts_where_it_ended(app, morning, mail):
    first = digest.run_digest(app, FRIDAY)
    assert first.ran and first.status == "succeeded"
    assert len(mail.received) == 4
    again = digest.run_digest(app, FRIDAY, trigger="manual")
    assert not again.ran and "already ran" in again.message
    assert len(mail.received) == 4
    run = db.session.scalar(select(JobRun).where(JobRun.job == "digest"))
    assert run.status == "succeeded" and run.summary["sent"] == 4

    # Saturday: only what was raised after Friday's run (which, say, ran an hour ago).
    run.started_at -= timedelta(hours=1)
    add_flag(morning.rivera, "document_due", "Defense disclosure due June 25")
    db.session.commit()
    db.session.execute(
        Flag.__table__.update()
        .where(Flag.cause != "Defense disclosure due June 25", Flag.resolved_at.is_(None))
        .values(since=run.started_at - timedelta(seconds=1))
    )
    db.session.commit()
    mail.received.clear()
    saturday = digest.run_digest(app, date(2026, 6, 13))
    assert saturday.status == "succeeded"
    inbox = mail.by_recipient()
    moreno = plain(inbox["moreno@defense.test"])
    assert "Defense disclosure due June 25" in moreno
    assert "Arraignment was due June 1" not in moreno  # in Friday's digest already


def test_a_server_that_refuses_connections_fails_the_run_and_records_why(app, morning):
    app.config.update(MAIL_ENABLED=True, MAIL_HOST="127.0.0.1", MAIL_PORT=free_port())
    outcome = digest.run_digest(app, FRIDAY)
    assert outcome.ran and outcome.status == "failed"
    run = db.session.scalar(select(JobRun).where(JobRun.job == "digest"))
    assert run.status == "failed" and "Connection" in run.error


def test_the_digest_logs_in_when_a_username_is_configured(app, morning):
    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        seen.append((auth_data.login, auth_data.password))
        ok = auth_data.login == b"docket" and auth_data.password == b"s3cret"
        return AuthResult(success=ok)

    with smtp_server(authenticator=authenticator, auth_require_tls=False) as (inbox, port):
        app.config.update(
            MAIL_ENABLED=True,
            MAIL_HOST="127.0.0.1",
            MAIL_PORT=port,
            MAIL_USERNAME="docket",
            MAIL_PASSWORD="s3cret",
        )
        digest.send_digest(FRIDAY)
    assert seen == [(b"docket", b"s3cret")]
    assert len(inbox.received) == 4


def test_the_whole_run_costs_the_same_queries_for_few_users_or_many(app, morning, mail):
    digest.send_digest(FRIDAY)  # warm: plans parsed once
    with counted_queries() as few:
        digest.send_digest(FRIDAY)
    court = morning
    for number in range(20, 60):
        extra = make_case(court.court, f"2026-CR-{number:06d}", f"Extra{number}", court.judge_lind)
        db.session.flush()
        add_flag(extra, "overdue", f"Extra {number} overdue")
        add_hearing(extra, MONDAY, 13, court.judge_lind, court.courtroom, "motion")
        db.session.add(
            CounselOfRecord(
                case=extra, attorney=court.prosecutor, side="prosecution", appeared_on=FRIDAY
            )
        )
        if number % 4 == 0:
            extra_clerk = make_user(f"clerk{number}@cir1.test", "clerk", court=court.court)
            extra_clerk.digest_opt_in = True
    db.session.commit()
    mail.received.clear()
    with counted_queries() as many:
        report = digest.send_digest(FRIDAY)
    assert len(report.digests) == 14 and len(mail.received) == 14
    assert len(many) == len(few) <= 8, many


def test_the_command_sends_once_and_dry_runs_print_without_sending(app, morning, mail):
    from docket.flags.commands import digest as digest_command

    runner = app.test_cli_runner()
    dry = runner.invoke(digest_command, ["send", "--date", "2026-06-12", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "--- to moreno@defense.test (attorney)" in dry.output
    assert "would send" in dry.output and mail.received == []

    sent = runner.invoke(digest_command, ["send", "--date", "2026-06-12"])
    assert sent.exit_code == 0, sent.output
    assert "sent 4" in sent.output and len(mail.received) == 4
    again = runner.invoke(digest_command, ["send", "--date", "2026-06-12"])
    assert again.exit_code == 1 and "already ran" in again.output
    assert len(mail.received) == 4

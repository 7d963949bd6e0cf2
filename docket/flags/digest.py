"""The morning digest: for each user who opted in, the flags raised since the previous digest
on the cases they may see, and the next court day's hearings, in one plain-text email (with a
simple HTML alternative), sent over SMTP.

Who gets what:
- clerks: new flags on every case of their court; the next court day's hearings counted per
  courtroom;
- judges: new flags on the cases assigned to them; their own hearings;
- attorneys: new deadline and document flags on the cases where they are counsel of record
  that day, never on sealed cases; their cases' hearings;
- administrators: new flags on the unsealed cases of their court; hearings per courtroom.

Nobody gets a flag that names a docket entry they see as SEALED ("Response to motion #12",
#12 sealed since the sweep raised it), as on the pages (docket/flags/queries.py).

A user with nothing new gets no email. The whole run costs a constant number of queries:
recipients, the previous run, the plans (for the court calendar), the new flags of every
recipient's cases at once, the hearings at once, and the counsel of those cases at once; the
grouping per user is done here, with the same access rule as the pages (docket.core.access).

Settings (docket/config.py): MAIL_ENABLED (off: compose and log, send nothing), MAIL_HOST,
MAIL_PORT, MAIL_USE_STARTTLS, MAIL_USERNAME, MAIL_PASSWORD, MAIL_FROM, DIGEST_AT, and the
optional PUBLIC_URL that case links in the email start with.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from docket.clock import court_today, court_zone, to_court_time, utc_now
from docket.core.access import (
    VIEW,
    CaseFacts,
    EntryFacts,
    Viewer,
    case_access,
    is_current_counsel,
    sees_entry,
)
from docket.core.vocabulary import FLAG_KINDS, HEARING_TYPES
from docket.extensions import db
from docket.flags.queries import ATTORNEY_KINDS, PER_ENTRY, SEVERITY_LABELS, names_entry
from docket.models import (
    Case,
    CounselOfRecord,
    Courtroom,
    DocketEntry,
    Flag,
    Hearing,
    JobRun,
    Judge,
    User,
)

log = logging.getLogger(__name__)

JOB = "digest"
# How many flags one email lists; the rest are counted and the work queue has them all.
MAX_FLAGS_LISTED = 50
SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


# --- what each user receives ---------------------------------------------------------------


@dataclass
class DigestFlag:
    case_id: int
    case_number: str
    caption: str
    kind: str
    severity: str
    cause: str
    due_on: date | None

    @property
    def kind_label(self) -> str:
        return FLAG_KINDS.get(self.kind, self.kind)

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS.get(self.severity, self.severity)


@dataclass
class DigestHearing:
    case_id: int
    case_number: str
    caption: str
    hearing_type: str
    starts_at: datetime
    courtroom: str
    judge_name: str

    @property
    def type_label(self) -> str:
        return HEARING_TYPES.get(self.hearing_type, self.hearing_type)


@dataclass
class Digest:
    user_id: int
    email: str
    name: str
    role: str
    flags: list[DigestFlag] = field(default_factory=list)
    hearings: list[DigestHearing] = field(default_factory=list)
    # Clerks and administrators: (courtroom, number of hearings) on the next court day.
    courtroom_counts: list[tuple[str, int]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.flags or self.hearings or self.courtroom_counts)

    @property
    def hearing_total(self) -> int:
        return len(self.hearings) + sum(count for _, count in self.courtroom_counts)


@dataclass
class DigestReport:
    run_date: date
    since: datetime
    hearing_day: date
    digests: list[Digest]  # the non-empty ones, one per recipient
    opted_in: int
    mail_enabled: bool
    dry_run: bool
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def headline(self) -> str:
        if self.dry_run:
            verb = "would send"
        elif not self.mail_enabled:
            verb = "mail disabled (MAIL_ENABLED is off): not sent"
        else:
            verb = f"sent {len(self.sent)}"
        failed = f", {len(self.failed)} failed" if self.failed else ""
        return (
            f"digest {self.run_date}: {self.opted_in} opted in, {len(self.digests)} with "
            f"something new; {verb}{failed}"
        )


# --- composing (constant queries for the whole run) ------------------------------------------


def previous_run_started(run_date: date) -> datetime | None:
    return db.session.scalar(
        select(func.max(JobRun.started_at)).where(
            JobRun.job == JOB, JobRun.run_date < run_date, JobRun.status == "succeeded"
        )
    )


def next_court_day(run_date: date) -> date:
    """The court day after `run_date` (a Friday's digest shows Monday's hearings)."""
    from docket.core.calendar_math import OutsideCalendarError
    from docket.core.facts_json import calendar_for
    from docket.deadlines.service import plan_for

    try:
        return calendar_for(plan_for(run_date)).nth_court_day_after(run_date, 1)
    except OutsideCalendarError:
        return run_date + timedelta(days=1)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = court_zone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def compose(
    run_date: date, *, now: datetime | None = None, since: datetime | None = None
) -> DigestReport:
    """Every opted-in user's digest for the morning of `run_date` (nothing is sent)."""
    now = now or utc_now()
    users = db.session.scalars(
        select(User)
        .where(User.digest_opt_in.is_(True), User.active.is_(True), User.email != "")
        .order_by(User.id)
    ).all()
    if since is None:
        since = previous_run_started(run_date) or now - timedelta(hours=24)
    hearing_day = next_court_day(run_date)
    report = DigestReport(
        run_date=run_date,
        since=since,
        hearing_day=hearing_day,
        digests=[],
        opted_in=len(users),
        mail_enabled=bool(current_app.config.get("MAIL_ENABLED", False)),
        dry_run=False,
    )
    if not users:
        return report

    court_ids = {u.court_id for u in users if u.role != "attorney" and u.court_id is not None}
    attorney_ids = {u.attorney_id for u in users if u.role == "attorney" and u.attorney_id}
    counsel_cases = select(CounselOfRecord.case_id).where(
        CounselOfRecord.attorney_id.in_(attorney_ids)
    )
    in_scope = or_(Case.court_id.in_(court_ids), Case.id.in_(counsel_cases))

    raised_by = aliased(JobRun)
    named = aliased(DocketEntry)  # the entry a per-entry document flag names, if any
    flags = db.session.execute(
        select(
            Flag.case_id,
            Flag.kind,
            Flag.severity,
            Flag.cause,
            Flag.due_on,
            Flag.since,
            Case.case_number,
            Case.caption,
            Case.court_id,
            Case.assigned_judge_id,
            Case.sealed,
            named.sealed.label("entry_sealed"),
            named.seal_allows_filer,
            named.filer_party,
            named.defendant_id,
        )
        .join(Case, Case.id == Flag.case_id)
        .outerjoin(raised_by, raised_by.id == Flag.raised_by_run_id)
        .outerjoin(
            named, Flag.subject.like(PER_ENTRY) & names_entry(Flag.subject, Flag.case_id, named)
        )
        .where(
            Flag.resolved_at.is_(None),
            or_(
                (Flag.since > since) & (Flag.since <= now),
                (raised_by.started_at > since) & (raised_by.started_at <= now),
            ),
            in_scope,
        )
    ).all()

    start, end = _day_bounds(hearing_day)
    hearings = db.session.execute(
        select(
            Hearing.case_id,
            Hearing.hearing_type,
            Hearing.starts_at,
            Hearing.judge_id,
            Courtroom.name.label("courtroom"),
            Judge.name.label("judge_name"),
            Case.case_number,
            Case.caption,
            Case.court_id,
            Case.assigned_judge_id,
            Case.sealed,
        )
        .join(Case, Case.id == Hearing.case_id)
        .join(Courtroom, Courtroom.id == Hearing.courtroom_id)
        .join(Judge, Judge.id == Hearing.judge_id)
        .where(
            Hearing.status == "scheduled",
            Hearing.starts_at >= start,
            Hearing.starts_at < end,
            in_scope,
        )
        .order_by(Hearing.starts_at, Courtroom.name, Hearing.id)
    ).all()

    today = court_today()
    appearances: dict[tuple[int, int], list[tuple[date, date | None]]] = defaultdict(list)
    # The parties each attorney represents today (who may see their own sealed filings).
    parties: dict[tuple[int, int], set[tuple[str, int | None]]] = defaultdict(set)
    case_ids = {row.case_id for row in flags} | {row.case_id for row in hearings}
    if attorney_ids and case_ids:
        for row in db.session.execute(
            select(
                CounselOfRecord.case_id,
                CounselOfRecord.attorney_id,
                CounselOfRecord.appeared_on,
                CounselOfRecord.withdrew_on,
                CounselOfRecord.side,
                CounselOfRecord.defendant_id,
            ).where(
                CounselOfRecord.attorney_id.in_(attorney_ids),
                CounselOfRecord.case_id.in_(case_ids),
            )
        ):
            appearance = (row.appeared_on, row.withdrew_on)
            appearances[(row.case_id, row.attorney_id)].append(appearance)
            if is_current_counsel((appearance,), today):
                parties[(row.case_id, row.attorney_id)].add((row.side, row.defendant_id))

    flag_order = sorted(
        flags,
        key=lambda f: (
            SEVERITY_ORDER.get(f.severity, 9),
            f.due_on or date.max,
            f.case_number,
        ),
    )
    for user in users:
        viewer = Viewer(
            role=user.role,
            court_id=user.court_id,
            judge_id=user.judge_id,
            attorney_id=user.attorney_id,
        )

        def facts_of(row, user=user) -> CaseFacts:
            key = (row.case_id, user.attorney_id)
            attorney = user.role == "attorney"
            return CaseFacts(
                court_id=row.court_id,
                assigned_judge_id=row.assigned_judge_id,
                sealed=bool(row.sealed),
                appearances=tuple(appearances.get(key, ())) if attorney else (),
                parties=frozenset(parties.get(key, ())) if attorney else frozenset(),
            )

        def sees(row, viewer=viewer) -> bool:
            return bool(case_access(viewer, facts_of(row), VIEW, today))

        def sees_flag(row, viewer=viewer) -> bool:
            """The case, and the entry the flag names if any: "Response to motion #12" is
            not for one who sees #12 as SEALED (sealed since the sweep raised it)."""
            if not sees(row):
                return False
            if row.entry_sealed is None:
                return True
            entry = EntryFacts(
                sealed=bool(row.entry_sealed),
                seal_allows_filer=bool(row.seal_allows_filer),
                filer_party=row.filer_party,
                defendant_id=row.defendant_id,
            )
            return sees_entry(viewer, facts_of(row), entry)

        digest = Digest(user_id=user.id, email=user.email, name=user.name, role=user.role)
        for row in flag_order:
            if user.role == "judge" and row.assigned_judge_id != user.judge_id:
                continue
            if user.role == "attorney" and row.kind not in ATTORNEY_KINDS:
                continue
            if sees_flag(row):
                digest.flags.append(
                    DigestFlag(
                        case_id=row.case_id,
                        case_number=row.case_number,
                        caption=row.caption,
                        kind=row.kind,
                        severity=row.severity,
                        cause=row.cause,
                        due_on=row.due_on,
                    )
                )
        if user.role in ("clerk", "admin"):
            counts: dict[str, int] = defaultdict(int)
            for row in hearings:
                if row.court_id == user.court_id and (user.role == "clerk" or sees(row)):
                    counts[row.courtroom] += 1
            digest.courtroom_counts = sorted(counts.items())
        else:
            for row in hearings:
                if user.role == "judge" and row.judge_id != user.judge_id:
                    continue
                if sees(row):
                    digest.hearings.append(
                        DigestHearing(
                            case_id=row.case_id,
                            case_number=row.case_number,
                            caption=row.caption,
                            hearing_type=row.hearing_type,
                            starts_at=row.starts_at,
                            courtroom=row.courtroom,
                            judge_name=row.judge_name,
                        )
                    )
        if not digest.empty:
            report.digests.append(digest)
    return report


# --- the email -----------------------------------------------------------------------------


def _day(value: date) -> str:
    return f"{value:%A, %B} {value.day}, {value.year}"


def _short_day(value: date | None) -> str:
    return f"{value:%b} {value.day}, {value.year}" if value else "no date"


def _clock(instant: datetime) -> str:
    local = to_court_time(instant)
    return f"{local:%I:%M %p}".lstrip("0")


def _case_link(case_id: int) -> str | None:
    base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    return f"{base}/cases/{case_id}" if base else None


def subject_line(digest: Digest, report: DigestReport) -> str:
    parts = []
    if digest.flags:
        n = len(digest.flags)
        parts.append(f"{n} new flag{'' if n == 1 else 's'}")
    if digest.hearing_total:
        n = digest.hearing_total
        parts.append(
            f"{n} hearing{'' if n == 1 else 's'} on {report.hearing_day:%a %b} "
            f"{report.hearing_day.day}"
        )
    return f"Docket digest, {_short_day(report.run_date)}: " + ", ".join(parts)


def text_body(digest: Digest, report: DigestReport) -> str:
    since = to_court_time(report.since)
    lines = [f"Good morning, {digest.name}.", ""]
    if digest.flags:
        lines.append(
            f"New flags since {_short_day(since.date())} {_clock(report.since)} "
            f"({len(digest.flags)}):"
        )
        for flag in digest.flags[:MAX_FLAGS_LISTED]:
            lines.append("")
            lines.append(f"* {flag.case_number}  {flag.caption}")
            lines.append(f"  {flag.severity_label}: {flag.kind_label}")
            lines.append(f"  {flag.cause}")
            if flag.due_on:
                lines.append(f"  Due {_short_day(flag.due_on)}")
            link = _case_link(flag.case_id)
            if link:
                lines.append(f"  {link}")
        extra = len(digest.flags) - MAX_FLAGS_LISTED
        if extra > 0:
            lines += ["", f"... and {extra} more: see the work queue."]
        lines.append("")
    if digest.hearings:
        lines.append(f"Hearings on {_day(report.hearing_day)}:")
        for hearing in digest.hearings:
            lines.append(
                f"* {_clock(hearing.starts_at)}  Courtroom {hearing.courtroom}  "
                f"{hearing.type_label}  {hearing.case_number} {hearing.caption}  "
                f"(Judge {hearing.judge_name})"
            )
        lines.append("")
    if digest.courtroom_counts:
        lines.append(f"Hearings on {_day(report.hearing_day)}, by courtroom:")
        for courtroom, count in digest.courtroom_counts:
            lines.append(f"* Courtroom {courtroom}: {count} hearing{'' if count == 1 else 's'}")
        lines.append("")
    lines.append(
        "You receive this because you opted in to the morning digest; you can opt out on "
        "Docket's Morning digest page (/flags/digest)."
    )
    return "\n".join(lines) + "\n"


def html_body(digest: Digest, report: DigestReport) -> str:
    template = current_app.jinja_env.get_template("flags/digest_email.html")
    return template.render(
        digest=digest,
        report=report,
        flags=digest.flags[:MAX_FLAGS_LISTED],
        more=max(len(digest.flags) - MAX_FLAGS_LISTED, 0),
        since=f"{_short_day(to_court_time(report.since).date())} {_clock(report.since)}",
        hearing_day=_day(report.hearing_day),
        short_day=_short_day,
        clock=_clock,
        case_link=_case_link,
    )


def build_message(digest: Digest, report: DigestReport) -> EmailMessage:
    sender = current_app.config.get("MAIL_FROM", "docket@localhost")
    message = EmailMessage()
    message["Subject"] = subject_line(digest, report)
    message["From"] = sender
    username, _, domain = digest.email.partition("@")
    message["To"] = Address(display_name=digest.name, username=username, domain=domain)
    message["Date"] = format_datetime(utc_now())
    message["Message-ID"] = make_msgid("digest", domain=sender.partition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text_body(digest, report))
    message.add_alternative(html_body(digest, report), subtype="html")
    return message


# --- sending -------------------------------------------------------------------------------


def deliver(messages: list[tuple[str, EmailMessage]], report: DigestReport) -> None:
    """Send over one SMTP connection (STARTTLS and login when configured). A refused
    recipient is recorded and the others still get theirs; no server at all raises."""
    config = current_app.config
    host = config.get("MAIL_HOST", "localhost")
    port = int(config.get("MAIL_PORT", 25))
    with smtplib.SMTP(host, port, timeout=int(config.get("MAIL_TIMEOUT", 30))) as smtp:
        smtp.ehlo()
        if config.get("MAIL_USE_STARTTLS", False):
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        for email, message in messages:
            try:
                smtp.send_message(message)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                report.failed.append((email, str(error)))
                log.warning("digest to %s refused: %s", email, error)
            else:
                report.sent.append(email)


def send_digest(
    run_date: date | None = None, *, dry_run: bool = False, now: datetime | None = None
) -> DigestReport:
    """Compose the digest of `run_date` (the court's today by default) and send it, unless
    `dry_run` or MAIL_ENABLED is off (then it is only logged). Records no run: run_digest
    does, once per date."""
    run_date = run_date or court_today()
    report = compose(run_date, now=now)
    report.dry_run = dry_run
    messages = [(d.email, build_message(d, report)) for d in report.digests]
    if dry_run:
        pass
    elif not report.mail_enabled:
        log.info("digest %s: MAIL_ENABLED is off, %d message(s) not sent", run_date, len(messages))
    elif messages:
        deliver(messages, report)
    log.info(report.headline())
    return report


# --- exactly once per date -----------------------------------------------------------------


def _work(run_date: date, run_id: int) -> tuple[int, int, dict, str]:
    """The digest as a job of docket/sweep/runs.py (which claims the (digest, date) row)."""
    run = db.session.get(JobRun, run_id)
    report = send_digest(run_date, now=run.started_at if run else None)
    summary = {
        "opted_in": report.opted_in,
        "digests": len(report.digests),
        "sent": len(report.sent),
        "failed": [email for email, _ in report.failed],
        "mail_enabled": report.mail_enabled,
        "hearing_day": report.hearing_day.isoformat(),
        "since": report.since.isoformat(),
    }
    return 0, 0, summary, report.headline()


def run_digest(app, run_date: date | None = None, *, trigger: str = "schedule"):
    """Send the digest of `run_date` (the court's today) once, whatever the number of job
    processes or hosts: the (digest, date) run row decides, and records the run. Returns
    docket.sweep.runs.Outcome (ran or skipped, status, message)."""
    from docket.sweep.runs import run_once

    return run_once(app, JOB, run_date, trigger, work=_work)


def digest_job(app) -> None:
    """The scheduler's daily job at DIGEST_AT (docket/jobs.py)."""
    outcome = run_digest(app, trigger="schedule")
    app.logger.info("digest: %s", outcome.message)

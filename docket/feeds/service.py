"""Calendar feeds: who may subscribe to what, the secret tokens, and each feed's hearings.

A feed URL carries a short secret (secrets.token_urlsafe(16): 22 characters); only its SHA-256
is stored. Access is checked again on every fetch, from the token's user as they are now: a
deactivated account's tokens stop working, an attorney who withdrew loses the case's
hearings, and an unknown, revoked or no-longer-allowed token all get the same 404.

Every feed costs a constant number of queries. One statement opens it: the token (by id and
hash: each process remembers the never-changing ids of the tokens it has opened, `_KEYS`,
and looks them up by hash the first time), its user, the feed's subject and the validators'
aggregate over the hearings and their cases; an attorney's case feed adds their appearances
in the case. Only when the client has no fresh copy come the hearing rows (1) and their
counsel (1). A 304 is thus one statement, run without a transaction around it
(`read_without_transaction`); nothing that can change is remembered between requests. Each
statement is built once per kind of feed, with bound parameters.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    true,
    update,
)

from docket.clock import court_today, court_zone, utc_now
from docket.core import ical
from docket.core.access import VIEW, CaseFacts, Viewer, case_access, sees_sealed_entries
from docket.core.calendar_math import add_months
from docket.core.vocabulary import HEARING_TYPES, SIDES
from docket.extensions import db
from docket.models import (
    Attorney,
    Case,
    CounselOfRecord,
    Court,
    Courtroom,
    Hearing,
    Judge,
    User,
)
from docket.models.feed import FeedToken
from docket.permissions import current_on, visible_cases_clause

FEED_DAYS_BACK = 60
FEED_MONTHS_AHEAD = 18
# Raised when the feed's format changes, so that every client's ETag changes with it.
FORMAT_VERSION = "1"
LAST_USED_EVERY = timedelta(hours=1)
STAFF = ("clerk", "judge", "admin")
KIND_LABELS = {
    "attorney": "My hearings",
    "judge": "Judge's hearings",
    "courtroom": "Courtroom",
    "case": "Case",
}


# -- tokens ------------------------------------------------------------------------------


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(16)


def issue_token(user: User, kind: str, target_id: int) -> str:
    """Create the subscriber's link for a feed, revoking the one they had (regenerate).
    Returns the secret, which is shown once and never stored."""
    if not may_subscribe(user, kind, target_id):
        raise PermissionError("You may not subscribe to that feed.")
    now = utc_now()
    db.session.execute(
        update(FeedToken)
        .where(
            FeedToken.user_id == user.id,
            FeedToken.kind == kind,
            FeedToken.target_id == target_id,
            FeedToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    secret = new_secret()
    db.session.add(
        FeedToken(
            user_id=user.id,
            kind=kind,
            target_id=target_id,
            token_hash=hash_secret(secret),
            created_at=now,
        )
    )
    db.session.commit()
    return secret


def revoke_token(user: User, kind: str, target_id: int) -> bool:
    result = db.session.execute(
        update(FeedToken)
        .where(
            FeedToken.user_id == user.id,
            FeedToken.kind == kind,
            FeedToken.target_id == target_id,
            FeedToken.revoked_at.is_(None),
        )
        .values(revoked_at=utc_now())
    )
    db.session.commit()
    return bool(result.rowcount)


# -- opening a feed: the token, its user, the feed's subject, the access rule -----------------


@dataclass(frozen=True)
class Reader:
    """Who reads a feed: the token's user as they are now, the facts the access rule and the
    feed's content (sealed details) depend on."""

    id: int
    role: str
    court_id: int | None
    judge_id: int | None
    attorney_id: int | None

    @classmethod
    def of(cls, user: User) -> Reader:
        return cls(user.id, user.role, user.court_id, user.judge_id, user.attorney_id)

    @property
    def viewer(self) -> Viewer:
        return Viewer(self.role, self.court_id, self.judge_id, self.attorney_id)


@dataclass(frozen=True)
class Subject:
    """What a feed is about (an attorney, a judge, a courtroom or a case), as far as its name
    and the access rule need."""

    name: str
    court_id: int | None = None  # a judge's or a courtroom's court
    case: CaseFacts | None = None  # a case feed's case (without appearances)
    case_number: str = ""


# Each kind of feed's subject: its table and the columns the name and the access rule need.
_SUBJECTS = {
    "attorney": (Attorney, (Attorney.name.label("attorney_name"),)),
    "judge": (Judge, (Judge.name.label("judge_name"), Judge.court_id.label("judge_court_id"))),
    "courtroom": (
        Courtroom,
        (Courtroom.name.label("courtroom_name"), Courtroom.court_id.label("courtroom_court_id")),
    ),
    "case": (
        Case,
        (
            Case.case_number.label("case_number"),
            Case.caption.label("case_caption"),
            Case.court_id.label("case_court_id"),
            Case.assigned_judge_id.label("case_judge_id"),
            Case.sealed.label("case_sealed"),
        ),
    ),
}


def _subject(kind: str, row) -> Subject | None:
    """The subject from its kind's columns, or None when there is none (any more)."""
    if kind == "attorney" and row.attorney_name is not None:
        return Subject(f"Hearings: {row.attorney_name}")
    if kind == "judge" and row.judge_name is not None:
        # "Hon. …" as Judge.display_name writes it
        return Subject(f"Hearings: Hon. {row.judge_name}", court_id=row.judge_court_id)
    if kind == "courtroom" and row.courtroom_name is not None:
        return Subject(f"Courtroom {row.courtroom_name}: hearings", row.courtroom_court_id)
    if kind == "case" and row.case_number is not None:
        facts = CaseFacts(row.case_court_id, row.case_judge_id, bool(row.case_sealed))
        name = f"{row.case_number} {row.case_caption}"
        return Subject(name, facts.court_id, facts, row.case_number)
    return None


@dataclass(frozen=True)
class _Key:
    """What never changes about a token: its row is only ever revoked or dated (last used)."""

    token_id: int
    user_id: int
    kind: str
    target_id: int


# A token's hash to its key, kept by each process (at most _KEYS_KEPT, then emptied). Only
# the key is kept: whether the token is revoked, its user, the feed's subject and hearings are
# read again on every request, in the one statement that opens the feed (`Statements.opening`).
_KEYS: dict[str, _Key] = {}
_KEYS_KEPT = 10_000

_KEY = select(FeedToken.id, FeedToken.user_id, FeedToken.kind, FeedToken.target_id).where(
    FeedToken.token_hash == bindparam("token_hash")
)


@dataclass(frozen=True)
class Opened:
    """A live token, the feed it opens, and the feed's validators' aggregate (read with it)."""

    token_id: int
    last_used_at: datetime | None
    feed: Feed
    aggregate: tuple


def open_feed(secret: str, win: Window) -> Opened | None:
    """The feed a secret opens, or None: an unknown or revoked token, a deactivated user, a
    feed the user may no longer read, or one whose subject is gone all get the same None.
    One statement reads the token, its user, the feed's subject and the validators'
    aggregate, in one snapshot; the first time this process opens a token, a first statement
    looks up its key."""
    if not secret or len(secret) > 64:
        return None
    token_hash = hash_secret(secret)
    key = _KEYS.get(token_hash)
    if key is not None:
        opened = _open(key, token_hash, win)
        if opened is None:  # revoked or no longer allowed: the key (fixed ids) would not help
            _KEYS.pop(token_hash, None)
        return opened
    found = _read(_KEY, {"token_hash": token_hash}).first()
    if found is None or found.kind not in _SUBJECTS:
        return None
    key = _Key(found.id, found.user_id, found.kind, found.target_id)
    opened = _open(key, token_hash, win)
    if opened is not None:
        if len(_KEYS) >= _KEYS_KEPT:
            _KEYS.clear()
        _KEYS[token_hash] = key
    return opened


def _open(key: _Key, token_hash: str, win: Window) -> Opened | None:
    params = _params(key.target_id, win)
    params.update(token_id=key.token_id, token_hash=token_hash)
    row = _read(_statements(key.kind).opening, params).first()
    if row is None or _Key(key.token_id, row.user_id, row.kind, row.target_id) != key:
        return None
    reader = Reader(row.user_id, row.role, row.court_id, row.judge_id, row.attorney_id)
    feed = _feed(reader, key.kind, key.target_id, _subject(key.kind, row))
    if feed is None:
        return None
    aggregate = tuple(row[-len(_AGGREGATE_LABELS) :])
    return Opened(key.token_id, row.last_used_at, feed, aggregate)


def note_use(opened: Opened) -> None:
    """last_used_at, written at most once an hour: no write per poll."""
    now = utc_now()
    last = opened.last_used_at
    if last is None or now - _aware(last) >= LAST_USED_EVERY:
        db.session.execute(
            update(FeedToken).where(FeedToken.id == opened.token_id).values(last_used_at=now)
        )
        db.session.commit()


def _read(statement: Select, params: dict):
    """Run a read on the session's connection, as Core: these statements load no ORM
    entities and there is nothing to flush, so the ORM's execution layer is skipped."""
    return db.session.connection().execute(statement, params)


def read_without_transaction() -> None:
    """This request's statements run without a transaction around them: no BEGIN and no
    ROLLBACK round trips to PostgreSQL. A feed only reads, and each of its statements reads
    its own snapshot, as it would in a READ COMMITTED transaction (PostgreSQL's default;
    SQLite's driver begins no transaction for a SELECT); its one write, last_used_at at most
    once an hour, commits by itself. Call it first, before the request's session touches the
    database; when the request ends the pool sets the connection back to its default."""
    db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def may_subscribe(user: User, kind: str, target_id: int) -> bool:
    """The access rule for feeds, checked when a link is made and on every fetch."""
    if not user.active:
        return False
    return _feed(Reader.of(user), kind, target_id, _load_subject(kind, target_id)) is not None


def _load_subject(kind: str, target_id: int) -> Subject | None:
    if kind not in _SUBJECTS:
        return None
    model, columns = _SUBJECTS[kind]
    row = db.session.execute(select(*columns).where(model.id == target_id)).first()
    return _subject(kind, row) if row else None


def _feed(reader: Reader, kind: str, target_id: int, subject: Subject | None) -> Feed | None:
    """The feed, when `reader` may read it: attorneys their own hearings; judges their own;
    the court's clerks and administrators any judge's of their court; court staff the
    courtrooms of their court; a case's hearings whoever may see the case (core.access)."""
    if subject is None:
        return None
    name = subject.name
    if kind == "attorney":
        allowed = reader.role == "attorney" and reader.attorney_id == target_id
    elif kind == "judge":
        if reader.role == "judge":
            allowed = reader.judge_id == target_id
        else:
            allowed = reader.role in ("clerk", "admin") and _same_court(subject, reader)
    elif kind == "courtroom":
        allowed = reader.role in STAFF and _same_court(subject, reader)
    elif kind == "case":
        facts = subject.case
        if reader.role == "attorney":
            facts = replace(facts, appearances=_appearances(target_id, reader.attorney_id))
        allowed = bool(case_access(reader.viewer, facts, VIEW, court_today()))
        if not _sees_sealed(reader, facts.court_id, facts.assigned_judge_id, facts.sealed):
            name = f"{subject.case_number} Sealed case"
    else:
        return None
    if not allowed:
        return None
    return Feed(kind, target_id, name, reader)


def _same_court(subject: Subject, reader: Reader) -> bool:
    return subject.court_id is not None and subject.court_id == reader.court_id


def _appearances(case_id: int, attorney_id: int | None) -> tuple:
    """The attorney's appearances in the case, as core.access wants them."""
    rows = db.session.execute(
        select(CounselOfRecord.appeared_on, CounselOfRecord.withdrew_on).where(
            CounselOfRecord.case_id == case_id, CounselOfRecord.attorney_id == attorney_id
        )
    ).all()
    return tuple((row.appeared_on, row.withdrew_on) for row in rows)


# -- the feeds a user may subscribe to (their page) -------------------------------------------


@dataclass
class FeedChoice:
    kind: str
    target_id: int
    name: str
    hint: str
    token: FeedToken | None = None


def choices_for(user: User) -> list[FeedChoice]:
    """The feeds the user may subscribe to, with their live tokens (constant queries)."""
    found: list[FeedChoice] = []
    if user.role == "attorney":
        attorney = db.session.get(Attorney, user.attorney_id)
        found.append(
            FeedChoice(
                "attorney",
                attorney.id,
                f"All my hearings ({attorney.name}, {attorney.bar_number})",
                "Every hearing in every case where you are counsel of record, in every court.",
            )
        )
    if user.role == "judge":
        judge = db.session.get(Judge, user.judge_id)
        found.append(
            FeedChoice(
                "judge",
                judge.id,
                f"My hearings ({judge.display_name})",
                "Every hearing before you, in any courtroom.",
            )
        )
    if user.role in STAFF:
        rooms = db.session.scalars(
            select(Courtroom).where(Courtroom.court_id == user.court_id).order_by(Courtroom.name)
        ).all()
        for room in rooms:
            where = f" ({room.building})" if room.building else ""
            found.append(
                FeedChoice(
                    "courtroom",
                    room.id,
                    f"Courtroom {room.name}{where}",
                    "Every hearing set in this courtroom.",
                )
            )
    if user.role in ("clerk", "admin"):
        judges = db.session.scalars(
            select(Judge)
            .where(Judge.court_id == user.court_id, Judge.active.is_(True))
            .order_by(Judge.name)
        ).all()
        for judge in judges:
            found.append(
                FeedChoice(
                    "judge", judge.id, judge.display_name, "Every hearing before this judge."
                )
            )
    if user.role in ("attorney", "judge"):
        mine = visible_cases_clause(user)
        if user.role == "judge":
            mine = and_(mine, Case.assigned_judge_id == user.judge_id)
        cases = db.session.execute(
            select(Case.id, Case.case_number, Case.caption)
            .where(mine, Case.status != "disposed")
            .order_by(Case.case_number)
            .limit(500)
        ).all()
        for row in cases:
            found.append(
                FeedChoice(
                    "case",
                    row.id,
                    f"{row.case_number} {row.caption}",
                    "Every hearing in this case.",
                )
            )
    tokens = db.session.scalars(
        select(FeedToken).where(FeedToken.user_id == user.id, FeedToken.revoked_at.is_(None))
    ).all()
    by_key = {(t.kind, t.target_id): t for t in tokens}
    for choice in found:
        choice.token = by_key.get((choice.kind, choice.target_id))
    return found


def choice(user: User, kind: str, target_id: int) -> FeedChoice | None:
    for option in choices_for(user):
        if option.kind == kind and option.target_id == target_id:
            return option
    return None


def public_courtrooms(court_id: int | None) -> list[Courtroom]:
    if court_id is None:
        return []
    return list(
        db.session.scalars(
            select(Courtroom).where(Courtroom.court_id == court_id).order_by(Courtroom.name)
        )
    )


# -- the feed -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    day: date  # the court day the window is computed for
    starts: datetime  # UTC: hearings starting at or after ...
    ends: datetime  # ... and before this
    cancelled_since: datetime  # vacated/continued hearings changed at or after this stay
    day_began: datetime  # UTC instant the court day began
    years: tuple[int, ...]


def window(today: date | None = None) -> Window:
    """Day-granular, so that a feed only changes by itself at the court's midnight: hearings
    leave the back of the window, enter at the front, and cancelled ones leave after 14 days
    (counted from the midnight before their last change + 14 days)."""
    today = today or court_today()
    zone = court_zone()
    back = int(current_app.config.get("FEED_DAYS_BACK", FEED_DAYS_BACK))
    ahead = int(current_app.config.get("FEED_MONTHS_AHEAD", FEED_MONTHS_AHEAD))
    first = today - timedelta(days=back)
    last = add_months(today, ahead)

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(0), zone).astimezone(UTC)

    began = midnight(today)
    return Window(
        day=today,
        starts=midnight(first),
        ends=midnight(last + timedelta(days=1)),
        cancelled_since=began - ical.CANCELLED_STAYS,
        day_began=began,
        years=ical.feed_years(first, last),
    )


@dataclass(frozen=True)
class Feed:
    """What a feed shows and who reads it (for sealed details). `kind` chooses the hearings
    (`_scope`): an attorney's, a judge's (in the judge's court), a courtroom's, a case's, or
    "public", a courtroom's hearings of unsealed cases. `reader` None = the public."""

    kind: str
    target_id: int
    name: str
    reader: Reader | None

    @property
    def public(self) -> bool:
        return self.kind == "public"


def public_feed(courtroom_id: int) -> Feed | None:
    """A courtroom's public feed: hearings of unsealed cases only. Sealed cases' hearings are
    left out entirely (not even "Sealed matter" with a time): the public learns nothing of
    them, not even that one is set."""
    name = db.session.scalar(select(Courtroom.name).where(Courtroom.id == courtroom_id))
    if name is None:
        return None
    return Feed("public", courtroom_id, f"Courtroom {name} (public)", None)


def _sees_sealed(reader: Reader | None, court_id, judge_id, sealed: bool) -> bool:
    if not sealed:
        return True
    if reader is None:
        return False
    return sees_sealed_entries(reader.viewer, CaseFacts(court_id, judge_id, sealed))


# The statements below are built once per kind of feed, with bound parameters (`_params`):
# the target, today (an attorney's appearances), and the window's starts, ends and
# cancelled_since.


def _scope(kind: str):
    """The hearings of a kind of feed: a WHERE clause over Hearing joined to Case."""
    target = bindparam("target", type_=Integer)
    if kind == "attorney":
        today = bindparam("today", type_=CounselOfRecord.appeared_on.type)
        return Hearing.case_id.in_(
            select(CounselOfRecord.case_id).where(
                CounselOfRecord.attorney_id == target,
                current_on(today),
            )
        )
    if kind == "judge":  # in the judge's court
        court = select(Judge.court_id).where(Judge.id == target).scalar_subquery()
        return and_(Hearing.judge_id == target, Case.court_id == court)
    if kind == "courtroom":
        return Hearing.courtroom_id == target
    if kind == "case":
        return Hearing.case_id == target
    if kind == "public":
        return and_(Hearing.courtroom_id == target, Case.sealed.is_(False))
    raise ValueError(f"no feed of kind {kind!r}")


def _in_window():
    return and_(
        Hearing.starts_at >= bindparam("starts", type_=Hearing.starts_at.type),
        Hearing.starts_at < bindparam("ends", type_=Hearing.starts_at.type),
        or_(
            Hearing.status.not_in(ical.CANCELLED_STATUSES),
            Hearing.updated_at >= bindparam("cancelled_since", type_=Hearing.updated_at.type),
        ),
    )


def _params(target_id: int, win: Window) -> dict:
    return {
        "target": target_id,
        "today": win.day,
        "starts": win.starts,
        "ends": win.ends,
        "cancelled_since": win.cancelled_since,
    }


# The validators' aggregate: what the ETag is made of (see `validators`).
_AGGREGATE_LABELS = (
    "hearings",
    "hearing_ids",
    "hearing_versions",
    "hearings_changed",
    "cases_changed",
    "sealed_hearing_ids",
    "case_versions",
)


@dataclass(frozen=True)
class Statements:
    validators: Select  # the aggregate
    opening: Select | None  # a token (by id and hash), its user, the subject, the aggregate
    hearings: Select
    counsel: Select


@cache
def _statements(kind: str) -> Statements:
    scope, in_window = _scope(kind), _in_window()
    aggregate = (
        func.count(Hearing.id),
        func.coalesce(func.sum(Hearing.id), 0),
        func.coalesce(func.sum(Hearing.version), 0),
        func.max(Hearing.updated_at),
        func.max(Case.updated_at),
        func.coalesce(func.sum(case((Case.sealed.is_(True), Hearing.id), else_=0)), 0),
        # Versions only rise: any change to a case in the feed raises this sum.
        func.coalesce(func.sum(Case.version), 0),
    )
    validators = (
        select(
            *(value.label(name) for value, name in zip(aggregate, _AGGREGATE_LABELS, strict=True))
        )
        .select_from(Hearing)
        .join(Case, Case.id == Hearing.case_id)
        .where(scope, in_window)
    )
    opening = None
    if kind in _SUBJECTS:
        model, subject = _SUBJECTS[kind]
        found = validators.subquery("validators")
        opening = (
            select(
                FeedToken.user_id,
                FeedToken.kind,
                FeedToken.target_id,
                FeedToken.last_used_at,
                User.role,
                User.court_id,
                User.judge_id,
                User.attorney_id,
                *subject,
                *(found.c[name] for name in _AGGREGATE_LABELS),
            )
            .select_from(FeedToken)
            .join(User, User.id == FeedToken.user_id)
            .outerjoin(model, model.id == FeedToken.target_id)
            .join(found, true())
            .where(
                FeedToken.id == bindparam("token_id"),
                FeedToken.token_hash == bindparam("token_hash"),
                FeedToken.revoked_at.is_(None),
                User.active.is_(True),
            )
        )
    hearings = (
        select(
            Hearing.id,
            Hearing.case_id,
            Hearing.hearing_type,
            Hearing.starts_at,
            Hearing.ends_at,
            Hearing.status,
            Hearing.version,
            Hearing.updated_at,
            Case.case_number,
            Case.caption,
            Case.sealed,
            Case.court_id,
            Case.assigned_judge_id,
            Court.code,
            Court.name.label("court_name"),
            Court.address,
            Court.time_zone,
            Courtroom.name.label("courtroom"),
            Courtroom.building,
            Judge.name.label("judge"),
        )
        .select_from(Hearing)
        .join(Case, Case.id == Hearing.case_id)
        .join(Court, Court.id == Case.court_id)
        .join(Courtroom, Courtroom.id == Hearing.courtroom_id)
        .join(Judge, Judge.id == Hearing.judge_id)
        .where(scope, in_window)
        .order_by(Hearing.starts_at, Hearing.id)
    )
    today = bindparam("today", type_=CounselOfRecord.appeared_on.type)
    cases_of_feed = (
        select(Hearing.case_id).join(Case, Case.id == Hearing.case_id).where(scope, in_window)
    )
    counsel = (
        select(CounselOfRecord.case_id, CounselOfRecord.side, Attorney.name)
        .join(Attorney, Attorney.id == CounselOfRecord.attorney_id)
        .where(
            CounselOfRecord.case_id.in_(cases_of_feed),
            current_on(today),
        )
        .order_by(CounselOfRecord.case_id, CounselOfRecord.side.desc(), Attorney.name)
    )
    return Statements(validators, opening, hearings, counsel)


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime
    count: int


def validators(feed: Feed, win: Window, base_url: str, aggregate=None) -> Validators:
    """ETag and Last-Modified from one aggregate query (`aggregate` when it was read with
    the token, by `open_feed`), before (and without) building the body: the 304 path reads
    no rows. The ETag's basis is what the body is made of: the hearings in the window
    (count, ids, versions, last change), their cases' last change and versions
    (docket.cases.service touches the case on every change to its caption, parties and
    counsel), which of them are sealed, the window's day, the feed's name, who reads it and
    where the links point. It is strong because equal bases give byte-identical bodies
    (build_calendar is deterministic). Not in the basis: renaming a courtroom, judge, court
    or attorney (shows from the next court day, when the day in the basis changes).
    Nothing of it is kept between requests: whoever changes a hearing or a case (any web
    worker, the job process) changes the rows this query reads, so the next request sees it.
    Last-Modified is the newest change, or the court's midnight today when that is later:
    a hearing leaving the window (or a cancelled one leaving after 14 days) is a change with
    no row to date it, and such changes happen only at midnight."""
    row = aggregate
    if row is None:
        statement = _statements(feed.kind).validators
        row = tuple(_read(statement, _params(feed.target_id, win)).one())
    reader = feed.reader
    who = (reader.id, reader.role, reader.court_id, reader.judge_id) if reader else "public"
    basis = repr(
        (
            FORMAT_VERSION,
            feed.kind,
            feed.target_id,
            feed.name,
            who,
            win.day.isoformat(),
            base_url,
            tuple(_plain(value) for value in row),
        )
    )
    changed = [value for value in (row[3], row[4]) if value is not None]
    newest = max([*(_aware(value) for value in changed), win.day_began])
    return Validators(
        etag=hashlib.sha256(basis.encode()).hexdigest()[:40],  # unquoted
        last_modified=newest.replace(microsecond=0),
        count=row[0],
    )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _plain(value):
    if isinstance(value, datetime):
        return _aware(value).isoformat()
    return int(value) if value is not None else None


def build(feed: Feed, win: Window, case_url: str) -> bytes:
    """The feed's bytes. `case_url` is the case page's absolute URL with "{}" for its id."""
    statements, params = _statements(feed.kind), _params(feed.target_id, win)
    rows = _read(statements.hearings, params).all()
    counsel: dict[int, list[str]] = defaultdict(list)
    if rows and not feed.public:
        for case_id, side, name in _read(statements.counsel, params):
            counsel[case_id].append(f"{name} ({SIDES.get(side, side).lower()})")
    events = []
    for row in rows:
        details = _sees_sealed(feed.reader, row.court_id, row.assigned_judge_id, row.sealed)
        if feed.public and row.sealed:  # the scope already leaves them out; never name one
            continue
        events.append(
            ical.FeedEvent(
                hearing_id=row.id,
                court_code=row.code,
                zone=row.time_zone,
                starts_at=_aware(row.starts_at),
                ends_at=_aware(row.ends_at),
                updated_at=_aware(row.updated_at),
                # version starts at 1 and rises on every UPDATE of the row (the optimistic
                # lock), so version - 1 is 0 when first set and rises on every change.
                sequence=max(row.version - 1, 0),
                status=row.status,
                hearing_type=HEARING_TYPES.get(row.hearing_type, row.hearing_type),
                title=row.caption if details else "Sealed case",
                case_number=row.case_number,
                judge=f"Hon. {row.judge}",
                counsel=tuple(counsel.get(row.case_id, ())) if details else (),
                courtroom=row.courtroom,
                building=row.building,
                court_name=row.court_name,
                court_address=row.address,
                url=case_url.format(row.case_id) if details and not feed.public else None,
            )
        )
    return ical.build_calendar(feed.name, events, win.years)

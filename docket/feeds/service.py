"""Calendar feeds: who may subscribe to what, the secret tokens, and each feed's hearings.

A feed URL carries a short secret (secrets.token_urlsafe(16): 22 characters); only its SHA-256
is stored. Access is checked again on every fetch, from the token's user as they are now: a
deactivated account's tokens stop working, an attorney who withdrew loses the case's
hearings, and an unknown, revoked or no-longer-allowed token all get the same 404.

Every feed costs a constant number of queries: the token with its user (1), the feed's
subject (1), the validators (1 aggregate over the hearings and their cases), and only when the
client has no fresh copy, the hearing rows (1) and their counsel (1).
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import and_, case, func, or_, select, update

from docket.clock import court_today, court_zone, utc_now
from docket.core import ical
from docket.core.access import CaseFacts, sees_sealed_entries
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
from docket.permissions import can, viewer_for, visible_cases_clause

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


def live_token(secret: str) -> tuple[FeedToken, User] | None:
    """The live token for `secret` and its (active) user, in one query."""
    if not secret or len(secret) > 64:
        return None
    row = db.session.execute(
        select(FeedToken, User)
        .join(User, User.id == FeedToken.user_id)
        .where(
            FeedToken.token_hash == hash_secret(secret),
            FeedToken.revoked_at.is_(None),
            User.active.is_(True),
        )
    ).first()
    return (row[0], row[1]) if row else None


def note_use(token: FeedToken) -> None:
    """last_used_at, written at most once an hour: no write per poll."""
    now = utc_now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        db.session.execute(
            update(FeedToken).where(FeedToken.id == token.id).values(last_used_at=now)
        )
        db.session.commit()


# -- who may subscribe to what --------------------------------------------------------------


def may_subscribe(user: User, kind: str, target_id: int) -> bool:
    """The access rule for feeds, checked when a link is made and on every fetch."""
    if not user.active:
        return False
    if kind == "attorney":
        return user.role == "attorney" and user.attorney_id == target_id
    if kind == "judge":
        if user.role == "judge":
            return user.judge_id == target_id
        if user.role in ("clerk", "admin"):
            court_id = db.session.scalar(select(Judge.court_id).where(Judge.id == target_id))
            return court_id is not None and court_id == user.court_id
        return False
    if kind == "courtroom":
        if user.role not in STAFF:
            return False
        court_id = db.session.scalar(select(Courtroom.court_id).where(Courtroom.id == target_id))
        return court_id is not None and court_id == user.court_id
    if kind == "case":
        row = db.session.get(Case, target_id)
        return row is not None and can(user, row)
    return False


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
    """What a feed shows: its hearings (a WHERE clause over Hearing joined to Case) and who
    reads it (for sealed details). `viewer` None = the public."""

    kind: str
    target_id: int
    name: str
    scope: object
    user: User | None
    public: bool = False


def feed_for(user: User, kind: str, target_id: int) -> Feed | None:
    """The feed a token opens, or None when the user may no longer read it."""
    if not may_subscribe(user, kind, target_id):
        return None
    if kind == "attorney":
        attorney = db.session.get(Attorney, target_id)
        today = court_today()
        scope = Hearing.case_id.in_(
            select(CounselOfRecord.case_id).where(
                CounselOfRecord.attorney_id == target_id,
                CounselOfRecord.appeared_on <= today,
                or_(CounselOfRecord.withdrew_on.is_(None), CounselOfRecord.withdrew_on > today),
            )
        )
        return Feed(kind, target_id, f"Hearings: {attorney.name}", scope, user)
    if kind == "judge":
        judge = db.session.get(Judge, target_id)
        scope = and_(Hearing.judge_id == target_id, Case.court_id == judge.court_id)
        return Feed(kind, target_id, f"Hearings: {judge.display_name}", scope, user)
    if kind == "courtroom":
        room = db.session.get(Courtroom, target_id)
        scope = Hearing.courtroom_id == target_id
        return Feed(kind, target_id, f"Courtroom {room.name}: hearings", scope, user)
    row = db.session.get(Case, target_id)
    title = (
        row.caption
        if _sees_sealed(user, row.court_id, row.assigned_judge_id, row.sealed)
        else "Sealed case"
    )
    return Feed(kind, target_id, f"{row.case_number} {title}", Hearing.case_id == target_id, user)


def public_feed(courtroom_id: int) -> Feed | None:
    """A courtroom's public feed: hearings of unsealed cases only. Sealed cases' hearings are
    left out entirely (not even "Sealed matter" with a time): the public learns nothing of
    them, not even that one is set."""
    room = db.session.get(Courtroom, courtroom_id)
    if room is None:
        return None
    scope = and_(Hearing.courtroom_id == courtroom_id, Case.sealed.is_(False))
    return Feed("public", courtroom_id, f"Courtroom {room.name} (public)", scope, None, True)


def _sees_sealed(user: User | None, court_id, judge_id, sealed: bool) -> bool:
    if not sealed:
        return True
    if user is None:
        return False
    return sees_sealed_entries(viewer_for(user), CaseFacts(court_id, judge_id, sealed))


def _in_window(win: Window):
    return and_(
        Hearing.starts_at >= win.starts,
        Hearing.starts_at < win.ends,
        or_(
            Hearing.status.not_in(ical.CANCELLED_STATUSES),
            Hearing.updated_at >= win.cancelled_since,
        ),
    )


def _counsel_of_feed(feed: Feed, win: Window):
    case_ids = select(Hearing.case_id).join(Case, Case.id == Hearing.case_id)
    return case_ids.where(feed.scope, _in_window(win))


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime
    count: int


def validators(feed: Feed, win: Window, base_url: str) -> Validators:
    """ETag and Last-Modified from one aggregate query, before (and without) building the
    body: the 304 path reads no rows. The ETag's basis is what the body is made of: the
    hearings in the window (count, ids, versions, last change), their cases' last change
    (docket.cases.service touches the case on every change to its caption, parties and
    counsel), the window's day, the feed's name, who reads it and where the links point.
    It is strong because equal bases give byte-identical bodies (build_calendar is
    deterministic). Not in the basis: renaming a courtroom, judge, court or attorney (shows
    from the next court day, when the day in the basis changes).
    Last-Modified is the newest change, or the court's midnight today when that is later:
    a hearing leaving the window (or a cancelled one leaving after 14 days) is a change with
    no row to date it, and such changes happen only at midnight."""
    row = db.session.execute(
        select(
            func.count(Hearing.id),
            func.coalesce(func.sum(Hearing.id), 0),
            func.coalesce(func.sum(Hearing.version), 0),
            func.max(Hearing.updated_at),
            func.max(Case.updated_at),
            func.coalesce(func.sum(case((Case.sealed.is_(True), Hearing.id), else_=0)), 0),
        )
        .select_from(Hearing)
        .join(Case, Case.id == Hearing.case_id)
        .where(feed.scope, _in_window(win))
    ).one()
    user = feed.user
    reader = (user.id, user.role, user.court_id, user.judge_id) if user else "public"
    basis = repr(
        (
            FORMAT_VERSION,
            feed.kind,
            feed.target_id,
            feed.name,
            reader,
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
    rows = db.session.execute(
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
        .where(feed.scope, _in_window(win))
        .order_by(Hearing.starts_at, Hearing.id)
    ).all()
    counsel: dict[int, list[str]] = defaultdict(list)
    if rows and not feed.public:
        today = win.day
        for case_id, side, name in db.session.execute(
            select(CounselOfRecord.case_id, CounselOfRecord.side, Attorney.name)
            .join(Attorney, Attorney.id == CounselOfRecord.attorney_id)
            .where(
                CounselOfRecord.case_id.in_(_counsel_of_feed(feed, win)),
                CounselOfRecord.appeared_on <= today,
                or_(CounselOfRecord.withdrew_on.is_(None), CounselOfRecord.withdrew_on > today),
            )
            .order_by(CounselOfRecord.case_id, CounselOfRecord.side.desc(), Attorney.name)
        ):
            counsel[case_id].append(f"{name} ({SIDES.get(side, side).lower()})")
    events = []
    for row in rows:
        details = _sees_sealed(feed.user, row.court_id, row.assigned_judge_id, row.sealed)
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

"""Calendar feeds over HTTP, on both engines: tokens, access, content read by three parsers
(icalendar, vobject, Mozilla's ical.js), reschedules, cancellations, sealed cases, 304s."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from sqlalchemy import create_engine, event, select
from sqlalchemy.orm import Session

from docket.extensions import db
from docket.feeds import service
from docket.models import (
    Attorney,
    Case,
    CounselOfRecord,
    Courtroom,
    Defendant,
    Hearing,
    Judge,
    User,
)
from docket.models.feed import FeedToken
from tests.conftest import sign_in

CHICAGO = ZoneInfo("America/Chicago")
PHOENIX = ZoneInfo("America/Phoenix")
TODAY = date(2026, 6, 15)  # the court day the tests run on: every window is from it


@pytest.fixture(autouse=True)
def feeds_app(app, monkeypatch):
    """The court's day is fixed so that the DST days of 2026 stay inside the window."""
    app.config["FEED_DAYS_BACK"] = 120
    monkeypatch.setattr(service, "court_today", lambda: TODAY)
    return app


def add_hearing(
    court,
    local: datetime,
    *,
    case=None,
    minutes=30,
    zone=CHICAGO,
    courtroom=None,
    judge=None,
    hearing_type="arraignment",
    status="scheduled",
    **fields,
) -> Hearing:
    starts = local.replace(tzinfo=zone)
    row = Hearing(
        case_id=(case or court.rivera).id,
        hearing_type=hearing_type,
        starts_at=starts.astimezone(UTC),
        ends_at=(starts + timedelta(minutes=minutes)).astimezone(UTC),
        courtroom_id=(courtroom or court.courtroom).id,
        judge_id=(judge or court.judge_okafor).id,
        status=status,
        **fields,
    )
    db.session.add(row)
    db.session.commit()
    return row


def feed_url(user, kind, target_id) -> str:
    return f"/feeds/{service.issue_token(user, kind, target_id)}.ics"


def vevents(body: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def by_icalendar(body: bytes) -> dict[str, tuple]:
    found = {}
    for e in icalendar.Calendar.from_ical(body).walk("VEVENT"):
        found[str(e["UID"])] = (
            e.decoded("DTSTART").astimezone(UTC),
            e.decoded("DTEND").astimezone(UTC),
            str(e["STATUS"]),
            int(e["SEQUENCE"]),
        )
    return found


def by_vobject(body: bytes) -> dict[str, tuple]:
    found = {}
    calendar = vobject.readOne(body.decode("utf-8"))
    for e in calendar.vevent_list:
        found[e.uid.value] = (
            e.dtstart.value.astimezone(UTC),
            e.dtend.value.astimezone(UTC),
            e.status.value,
            int(e.sequence.value),
        )
    return found


def by_icaljs(body: bytes) -> dict[str, tuple]:
    ical_js = pytest.importorskip(
        "tests.ical_js", reason="tests/ical_js.py (the ical.js harness) is not there yet"
    )
    ical_js.require_icaljs()
    return {
        e["uid"]: (
            ical_js.utc(e["start_utc"]),
            ical_js.utc(e["end_utc"]),
            e["status"],
            e["sequence"],
        )
        for e in ical_js.parse_with_icaljs(body)
    }


def three_parsers_agree(body: bytes) -> dict[str, tuple]:
    """All three parsers read the same UIDs, UTC start and end, status and sequence."""
    first = by_icalendar(body)
    assert by_vobject(body) == first
    assert by_icaljs(body) == first
    return first


def expected(row: Hearing) -> tuple:
    return (row.starts_at.astimezone(UTC), row.ends_at.astimezone(UTC))


def uid(row: Hearing) -> str:
    return f"hearing-{row.id}@cir1.docket"


# The hearings every kind of feed is tried with: winter, summer, both 2026 DST days (a
# Sunday 10:00 sitting) and the Mondays after, the next spring's change, and 01:30 on the
# fall-back day (a time that happens twice: written in UTC).
TIMES = [
    datetime(2026, 2, 20, 9, 0, tzinfo=CHICAGO),
    datetime(2026, 3, 8, 10, 0, tzinfo=CHICAGO),
    datetime(2026, 3, 9, 9, 0, tzinfo=CHICAGO),
    datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO),
    datetime(2026, 11, 1, 10, 0, tzinfo=CHICAGO),
    datetime(2026, 11, 2, 9, 0, tzinfo=CHICAGO),
    datetime(2027, 3, 15, 9, 0, tzinfo=CHICAGO),
    datetime(2026, 11, 1, 1, 30, tzinfo=CHICAGO),
]


@pytest.mark.parametrize("kind", ["attorney", "judge", "courtroom", "case", "public"])
def test_every_feed_kind_reads_the_same_in_three_parsers(court, client, kind):
    rows = [add_hearing(court, local) for local in TIMES]
    # A case in a court in Arizona (no DST) for the same attorney: two zones in one feed.
    phoenix = court.other_court
    phoenix.time_zone = "America/Phoenix"
    far_judge = db.session.scalar(select(Judge).where(Judge.court_id == phoenix.id))
    far_room = Courtroom(court_id=phoenix.id, name="1", building="Phoenix annex")
    far_case = Case(
        court_id=phoenix.id,
        case_number="2026-CR-000900",
        caption="State v. Lee",
        case_type="felony",
        filed_on=date(2026, 3, 2),
        track="standard",
        custody_status="released",
        assigned_judge_id=far_judge.id,
    )
    db.session.add_all([far_room, far_case])
    db.session.flush()
    defendant = Defendant(case_id=far_case.id, number=1, last_name="Lee", name_key="lee")
    db.session.add(defendant)
    db.session.flush()
    db.session.add(
        CounselOfRecord(
            case_id=far_case.id,
            attorney_id=court.defender.id,
            side="defense",
            defendant_id=defendant.id,
            appeared_on=date(2026, 3, 3),
        )
    )
    db.session.commit()
    far = add_hearing(
        court,
        datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO),
        case=far_case,
        zone=PHOENIX,
        courtroom=far_room,
        judge=far_judge,
    )
    if kind == "public":
        url = f"/feeds/public/courtroom/{court.courtroom.id}.ics"
    else:
        user, target = {
            "attorney": (court.attorney_user, court.defender.id),
            "judge": (court.judge_user, court.judge_okafor.id),
            "courtroom": (court.clerk, court.courtroom.id),
            "case": (court.attorney_user, court.rivera.id),
        }[kind]
        url = feed_url(user, kind, target)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.data
    read = three_parsers_agree(body)
    want = {uid(row): (*expected(row), "CONFIRMED", 0) for row in rows}
    if kind == "attorney":
        want[f"hearing-{far.id}@cir2.docket"] = (*expected(far), "CONFIRMED", 0)
        assert b"TZID:America/Phoenix" in body
    assert read == want
    # The July hearing is at 09:00 in Chicago = 14:00 UTC: the misreading the issue names.
    assert read[uid(rows[3])][0] == datetime(2026, 7, 13, 14, 0, tzinfo=UTC)
    assert b"RDATE" not in body  # our rule-based VTIMEZONE, not icalendar's generated one


def test_content_of_an_event(court, client):
    row = add_hearing(court, datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO))
    body = client.get(feed_url(court.attorney_user, "attorney", court.defender.id)).data
    text = body.decode().replace("\r\n ", "")
    e = vevents(body)[uid(row)]
    assert str(e["SUMMARY"]) == "Arraignment — State v. Rivera"
    assert str(e["LOCATION"]) == "Courtroom 3A, Main courthouse, First Circuit Court"
    description = str(e["DESCRIPTION"])
    assert "Case 2026-CR-000001" in description
    assert "Judge: Hon. Adaeze Okafor" in description
    assert "Dana Chen (prosecution)" in description and "Luis Moreno (defense)" in description
    assert f"http://localhost/cases/{court.rivera.id}" in description
    # DTSTAMP and LAST-MODIFIED are the hearing's own last change, not the time of the request.
    updated = row.updated_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTAMP:{updated}" in text and f"LAST-MODIFIED:{updated}" in text
    for needed in (
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Hearings: Luis Moreno",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ):
        assert needed in text
    assert b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))


def test_reschedule_keeps_the_uid_and_raises_the_sequence(court, client):
    row = add_hearing(court, datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO))
    url = feed_url(court.attorney_user, "attorney", court.defender.id)
    before = three_parsers_agree(client.get(url).data)[uid(row)]
    # Continued: the date is cancelled until the hearing is set again.
    row.status, row.continuance_requester = "continued", "defense"
    db.session.commit()
    body = client.get(url).data
    continued = three_parsers_agree(body)[uid(row)]
    assert continued[2] == "CANCELLED" and continued[3] > before[3]
    assert str(vevents(body)[uid(row)]["SUMMARY"]).startswith("CONTINUED: Arraignment")
    # Set for a new date: the same hearing (same UID), a higher SEQUENCE, the new time.
    new_start = datetime(2026, 8, 3, 10, 0, tzinfo=CHICAGO)
    row.status, row.starts_at, row.ends_at = (
        "scheduled",
        new_start,
        new_start + timedelta(minutes=30),
    )
    row.setting_count = 2
    db.session.commit()
    moved = three_parsers_agree(client.get(url).data)
    assert list(moved) == [uid(row)]
    assert moved[uid(row)][0] == new_start.astimezone(UTC)
    assert moved[uid(row)][2] == "CONFIRMED" and moved[uid(row)][3] > continued[3]


def test_vacated_hearing_is_cancelled_then_leaves_after_14_days(court, client, monkeypatch):
    row = add_hearing(court, datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO))
    row.status = "vacated"
    row.updated_at = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
    db.session.commit()
    url = feed_url(court.attorney_user, "attorney", court.defender.id)
    body = client.get(url).data
    assert three_parsers_agree(body)[uid(row)][2] == "CANCELLED"
    assert str(vevents(body)[uid(row)]["SUMMARY"]) == "VACATED: Arraignment — State v. Rivera"
    monkeypatch.setattr(service, "court_today", lambda: date(2026, 6, 24))  # 14 days later
    assert uid(row) in vevents(client.get(url).data)
    monkeypatch.setattr(service, "court_today", lambda: date(2026, 6, 25))
    response = client.get(url, headers={"If-Modified-Since": "Thu, 24 Jun 2026 12:00:00 GMT"})
    assert response.status_code == 200  # a removal is a change: Last-Modified moved on
    assert uid(row) not in vevents(response.data)


def test_window_leaves_out_old_and_far_hearings(court, client):
    old = add_hearing(
        court, datetime(2026, 2, 10, 9, 0, tzinfo=CHICAGO)
    )  # 125 days back (window: 120)
    far = add_hearing(court, datetime(2027, 12, 20, 9, 0, tzinfo=CHICAGO))  # past 18 months
    kept = add_hearing(court, datetime(2027, 12, 10, 9, 0, tzinfo=CHICAGO))
    found = vevents(client.get(feed_url(court.clerk, "courtroom", court.courtroom.id)).data)
    assert uid(kept) in found and uid(old) not in found and uid(far) not in found


def test_sealed_case(court, client):
    court.rivera.sealed = True
    db.session.commit()
    sealed = add_hearing(court, datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO))
    public = add_hearing(
        court,
        datetime(2026, 7, 13, 10, 0, tzinfo=CHICAGO),
        case=court.ortiz,
        judge=court.judge_lind,
    )
    body = client.get(f"/feeds/public/courtroom/{court.courtroom.id}.ics").data
    assert list(vevents(body)) == [uid(public)]
    assert b"Rivera" not in body and b"000001" not in body
    # Counsel of record still get the date, but not the sealed details.
    body = client.get(feed_url(court.attorney_user, "attorney", court.defender.id)).data
    e = vevents(body)[uid(sealed)]
    assert str(e["SUMMARY"]) == "Arraignment — Sealed case"
    assert b"Rivera" not in body and b"Moreno (defense)" not in body
    assert "2026-CR-000001" in str(e["DESCRIPTION"]) and "URL" not in e
    # An administrator of the court: the courtroom feed, without sealed details.
    assert b"Rivera" not in client.get(feed_url(court.admin, "courtroom", court.courtroom.id)).data
    # The clerk and the case's judge see them.
    body = client.get(feed_url(court.clerk, "courtroom", court.courtroom.id)).data
    assert str(vevents(body)[uid(sealed)]["SUMMARY"]) == "Arraignment — State v. Rivera"
    body = client.get(feed_url(court.judge_user, "judge", court.judge_okafor.id)).data
    assert b"State v. Rivera" in body


def test_tokens_are_hashed_revocable_and_unknown_ones_get_the_same_404(court, client):
    add_hearing(court, datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO))
    secret = service.issue_token(court.attorney_user, "attorney", court.defender.id)
    assert len(f"https://docket.example.org/feeds/{secret}.ics") < 100
    stored = db.session.scalar(select(FeedToken))
    assert stored.token_hash != secret and len(stored.token_hash) == 64
    assert client.get(f"/feeds/{secret}.ics").status_code == 200
    service.revoke_token(court.attorney_user, "attorney", court.defender.id)
    revoked = client.get(f"/feeds/{secret}.ics")
    unknown = client.get("/feeds/AAAAAAAAAAAAAAAAAAAAAA.ics")
    assert revoked.status_code == unknown.status_code == 404
    assert revoked.data == unknown.data
    # Regenerating revokes the old link.
    first = service.issue_token(court.attorney_user, "attorney", court.defender.id)
    second = service.issue_token(court.attorney_user, "attorney", court.defender.id)
    assert client.get(f"/feeds/{first}.ics").status_code == 404
    assert client.get(f"/feeds/{second}.ics").status_code == 200


def test_last_used_is_written_at_most_once_an_hour(court, client):
    url = feed_url(court.attorney_user, "attorney", court.defender.id)
    statements = []
    client.get(url)
    first = db.session.scalar(select(FeedToken.last_used_at))
    assert first is not None

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE")]


def test_access_is_checked_again_on_every_fetch(court, client):
    row = add_hearing(court, datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO))
    attorney_feed = feed_url(court.attorney_user, "attorney", court.defender.id)
    case_feed = feed_url(court.attorney_user, "case", court.rivera.id)
    assert uid(row) in vevents(client.get(attorney_feed).data)
    counsel = db.session.scalar(
        select(CounselOfRecord).where(CounselOfRecord.attorney_id == court.defender.id)
    )
    counsel.withdrew_on = date(2026, 6, 1)
    db.session.commit()
    response = client.get(attorney_feed)
    assert response.status_code == 200 and uid(row) not in vevents(response.data)
    assert client.get(case_feed).status_code == 404
    # A deactivated account's links stop working.
    judge_feed = feed_url(court.judge_user, "judge", court.judge_okafor.id)
    assert client.get(judge_feed).status_code == 200
    db.session.get(User, court.judge_user.id).active = False
    db.session.commit()
    assert client.get(judge_feed).status_code == 404


def test_conditional_requests_and_identical_bytes(court, client):
    row = add_hearing(court, datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO))
    url = feed_url(court.attorney_user, "attorney", court.defender.id)
    first, second = client.get(url), client.get(url)
    assert first.data == second.data
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag == second.headers["ETag"] and re.fullmatch(r'"[0-9a-f]{40}"', etag)
    for headers in (
        {"If-None-Match": etag},
        {"If-Modified-Since": modified},
        {"If-None-Match": f'W/{etag}, "other"'},
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 304 and response.data == b""
        assert response.headers["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
    older = "Mon, 01 Jun 2026 00:00:00 GMT"
    assert client.get(url, headers={"If-Modified-Since": older}).status_code == 200
    # A change gives a new ETag and a full answer.
    row.ends_at = row.ends_at + timedelta(minutes=15)
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Content-Encoding" not in changed.headers


def test_a_change_made_through_another_connection_changes_the_etag(court, client, app):
    """Nothing is kept between requests: a hearing or a case changed by another process
    (another web worker, the job process) changes the next answer, never a stale 304."""
    row = add_hearing(court, datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO))
    url = feed_url(court.attorney_user, "attorney", court.defender.id)
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with Session(other) as session:
            hearing = session.get(Hearing, row.id)
            hearing.starts_at += timedelta(hours=1)
            hearing.ends_at += timedelta(hours=1)
            session.commit()
        moved = client.get(url, headers={"If-None-Match": etag})
        assert moved.status_code == 200 and moved.headers["ETag"] != etag
        assert by_icalendar(moved.data)[uid(row)][0] == datetime(2026, 7, 13, 15, 0, tzinfo=UTC)
        etag = moved.headers["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        with Session(other) as session:
            session.get(Case, court.rivera.id).caption = "State v. Rivera-Soto"
            session.commit()
        renamed = client.get(url, headers={"If-None-Match": etag})
        assert renamed.status_code == 200 and renamed.headers["ETag"] != etag
        assert str(vevents(renamed.data)[uid(row)]["SUMMARY"]).endswith("State v. Rivera-Soto")
    finally:
        other.dispose()


@pytest.mark.parametrize(
    "who, kind, change",
    [
        ("attorney_user", "attorney", "attorney_id"),
        ("judge_user", "judge", "judge_id"),
        ("clerk", "judge", "court_id"),
        ("clerk", "courtroom", "court_id"),
        ("attorney_user", "case", "active"),
    ],
)
def test_a_fresh_copy_gets_no_304_once_its_reader_may_not_read_the_feed(
    court, client, who, kind, change
):
    """The 304 path checks the token and the access rule as the full answer does."""
    add_hearing(court, datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO))
    target = {
        "attorney": court.defender.id,
        "judge": court.judge_okafor.id,
        "courtroom": court.courtroom.id,
        "case": court.rivera.id,
    }[kind]
    user = getattr(court, who)
    url = feed_url(user, kind, target)
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    account = db.session.get(User, user.id)
    if change == "attorney_id":  # the account now belongs to another attorney
        other = Attorney(bar_number="D-900", name="Ada Quinn", office="retained")
        db.session.add(other)
        db.session.flush()
        account.attorney_id = other.id
    elif change == "judge_id":  # the judge's account is now another judge's
        other = Judge(court_id=court.court.id, name="Iris Stone")
        db.session.add(other)
        db.session.flush()
        account.judge_id = other.id
    elif change == "court_id":  # the clerk moved to another court
        account.court_id = court.other_court.id
    else:  # deactivated
        account.active = False
    db.session.commit()
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 404
    assert client.get(url).status_code == 404


def test_a_revoked_link_gets_404_even_with_a_fresh_copy(court, client):
    add_hearing(court, datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO))
    url = feed_url(court.attorney_user, "attorney", court.defender.id)
    etag = client.get(url).headers["ETag"]
    service.revoke_token(court.attorney_user, "attorney", court.defender.id)
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 404


def test_feeds_give_their_connections_back_with_transactions(court, client):
    """A feed reads without a transaction around its statements; the pool must not hand
    the next request a connection left in autocommit, where a rollback would undo nothing."""

    def autocommit(dbapi_connection) -> bool:
        if isinstance(dbapi_connection, sqlite3.Connection):
            return dbapi_connection.isolation_level is None
        return dbapi_connection.autocommit  # psycopg

    add_hearing(court, datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO))
    url = feed_url(court.attorney_user, "attorney", court.defender.id)
    returned = []

    def checkin(dbapi_connection, record):
        returned.append(autocommit(dbapi_connection))

    event.listen(db.engine.pool, "checkin", checkin)
    try:
        etag = client.get(url).headers["ETag"]  # the first fetch also writes last_used_at
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        assert client.get(f"/feeds/public/courtroom/{court.courtroom.id}.ics").status_code == 200
    finally:
        event.remove(db.engine.pool, "checkin", checkin)
    assert len(returned) >= 3 and not any(returned)


def test_download_variant(court, client):
    url = feed_url(court.attorney_user, "attorney", court.defender.id)
    response = client.get(url + "?download=1")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="hearings.ics"'


def test_a_constant_number_of_queries_whatever_the_size(court, client):
    url = feed_url(court.prosecutor_user, "attorney", court.prosecutor.id)

    def queries(headers=None, status=200) -> int:
        statements = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(url, headers=headers or {}).status_code == status
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    add_hearing(court, datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO))
    queries()  # the first fetch writes last_used_at
    small = queries()
    for day in range(30):
        case = court.ortiz if day % 2 else court.rivera
        add_hearing(
            court, datetime(2026, 8, 3, 9, 0, tzinfo=CHICAGO) + timedelta(days=day), case=case
        )
    assert queries() == small <= 6
    # A 304 reads the token, its user, the feed's subject and the validators in one
    # statement (the token's key is known since the first fetch): nothing more.
    etag = client.get(url).headers["ETag"]
    assert queries({"If-None-Match": etag}, 304) == 1


def test_feeds_page_links_and_permissions(court, client):
    add_hearing(court, datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO))
    sign_in(client, "moreno@defense.test")
    page = client.get("/feeds").get_data(as_text=True)
    assert "All my hearings (Luis Moreno, D-200)" in page
    assert "2026-CR-000001 State v. Rivera" in page
    assert "2026-CR-000002" not in page  # not his case
    made = client.post(f"/feeds/attorney/{court.defender.id}/link").get_data(as_text=True)
    https = re.search(r'value="(https://localhost/feeds/[^"]+\.ics)"', made).group(1)
    assert f'href="webcal://{https.removeprefix("https://")}"' in made
    assert "?download=1" in made
    assert client.get(https.removeprefix("https://localhost")).status_code == 200
    page = client.get("/feeds").get_data(as_text=True)
    assert "Make a new link" in page and "Revoke" in page
    client.post(f"/feeds/attorney/{court.defender.id}/revoke")
    assert client.get(https.removeprefix("https://localhost")).status_code == 404
    # Not his to subscribe to.
    assert client.post(f"/feeds/judge/{court.judge_okafor.id}/link").status_code == 403
    assert client.post(f"/feeds/case/{court.ortiz.id}/link").status_code == 403


def test_feeds_page_for_court_staff(court, client, app):
    sign_in(client, "clerk@cir1.test")
    page = client.get("/feeds").get_data(as_text=True)
    assert "Courtroom 3A (Main courthouse)" in page
    assert "Hon. Adaeze Okafor" in page and "Hon. Peter Lind" in page
    assert client.post(f"/feeds/judge/{court.judge_lind.id}/link").status_code == 200
    other = app.test_client()
    sign_in(other, "clerk@cir2.test")
    assert other.post(f"/feeds/courtroom/{court.courtroom.id}/link").status_code == 403

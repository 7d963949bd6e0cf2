"""Integrity lives in the database: on both engines, rows that break the court's rules are
refused by the schema the migrations built, whatever code wrote them. And instants are
stored as UTC and come back aware, in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from docket.extensions import db
from docket.models import (
    Case,
    Charge,
    CounselOfRecord,
    Defendant,
    DocketEntry,
    Hearing,
    User,
)

CHICAGO = ZoneInfo("America/Chicago")
FILED = date(2026, 3, 2)  # the factory's cases


def a_case(small, number: str = "2026-CR-000900", **fields) -> Case:
    values = {
        "court": small.court,
        "case_number": number,
        "caption": "State v. Test",
        "case_type": "felony",
        "filed_on": FILED,
        "track": "standard",
        "custody_status": "released",
        "status": "active",
        **fields,
    }
    return Case(**values)


def an_entry(case, number: int) -> DocketEntry:
    return DocketEntry(
        case_id=case.id,
        number=number,
        filed_at=datetime(2026, 3, 2, 15, 0, tzinfo=UTC),
        filer_party="court",
        entry_type="order",
        text="ORDER setting conditions of release.",
    )


def a_hearing(court, starts_at: datetime, ends_at: datetime) -> Hearing:
    return Hearing(
        case=court.rivera,
        hearing_type="arraignment",
        starts_at=starts_at,
        ends_at=ends_at,
        courtroom=court.courtroom,
        judge=court.judge_okafor,
        status="scheduled",
    )


def appearance(court, **fields) -> CounselOfRecord:
    values = {
        "case": court.rivera,
        "attorney": court.other_defender,
        "side": "defense",
        "defendant": court.rivera.defendants[0],
        "appeared_on": date(2026, 3, 5),
        **fields,
    }
    return CounselOfRecord(**values)


def engine_name() -> str:
    return db.engine.dialect.name


# Each rule: the rows that break it, and what each engine names in its refusal.
# SQLite names CHECK constraints and the columns of UNIQUE ones; PostgreSQL names the constraint.
def duplicate_case_number(court):
    return [a_case(court, "2026-CR-000001")]


def duplicate_docket_entry_number(court):
    return [an_entry(court.rivera, 1), an_entry(court.rivera, 1)]


def disposed_without_disposition(court):
    return [a_case(court, status="disposed")]


def disposition_without_disposed_status(court):
    return [a_case(court, disposition_type="dismissed", disposition_date=date(2026, 4, 1))]


def disposition_before_filing(court):
    return [
        a_case(
            court,
            status="disposed",
            disposition_type="dismissed",
            disposition_date=FILED - timedelta(days=1),
        )
    ]


def withdrew_before_appearing(court):
    return [appearance(court, withdrew_on=date(2026, 3, 4))]


def defense_counsel_without_defendant(court):
    return [appearance(court, defendant=None)]


def prosecutor_for_a_defendant(court):
    return [appearance(court, attorney=court.prosecutor, side="prosecution")]


def two_current_appearances(court):
    return [appearance(court), appearance(court, appeared_on=date(2026, 3, 6))]


def hearing_ending_before_it_starts(court):
    start = datetime(2026, 5, 4, 9, 0, tzinfo=CHICAGO)
    return [a_hearing(court, start, start - timedelta(minutes=30))]


def hearing_ending_as_it_starts(court):
    start = datetime(2026, 5, 4, 9, 0, tzinfo=CHICAGO)
    return [a_hearing(court, start, start)]


def charge_with_no_counts(court):
    return [
        Charge(
            defendant=court.rivera.defendants[0],
            count_number=1,
            statute="720 ILCS 5/19-1(a)",
            description="Burglary",
            severity_class="felony_2",
            counts=0,
        )
    ]


def unknown_case_status(court):
    return [a_case(court, status="closed")]


def missing_judge(court):
    return [a_case(court, assigned_judge_id=999_999)]


def email_in_capitals(court):
    account = User(email="New@Cir1.test", name="New", role="clerk", court=court.court)
    account.set_password("correct horse battery", method="pbkdf2:sha256:1000")
    return [account]


BROKEN_RULES = [
    (duplicate_case_number, "court_case.court_id, court_case.case_number", "uq_court_case"),
    (duplicate_docket_entry_number, "docket_entry.case_id, docket_entry.number", "uq_docket_entry"),
    (disposed_without_disposition, "disposed_has_disposition", "disposed_has_disposition"),
    (disposition_without_disposed_status, "disposed_has_disposition", "disposed_has_disposition"),
    (disposition_before_filing, "disposed_after_filed", "disposed_after_filed"),
    (withdrew_before_appearing, "withdrew_after", "withdrew_after"),
    (defense_counsel_without_defendant, "defense_names_defendant", "defense_names_defendant"),
    (prosecutor_for_a_defendant, "defense_names_defendant", "defense_names_defendant"),
    (
        two_current_appearances,
        "counsel_of_record.case_id, counsel_of_record.attorney_id",
        "uq_counsel_of_record_current",
    ),
    (hearing_ending_before_it_starts, "ends_after_start", "ends_after_start"),
    (hearing_ending_as_it_starts, "ends_after_start", "ends_after_start"),
    (charge_with_no_counts, "counts_positive", "counts_positive"),
    (unknown_case_status, "ck_court_case_status", "ck_court_case_status"),
    (missing_judge, "FOREIGN KEY constraint failed", "fk_court_case_assigned_judge_id_judge"),
    (email_in_capitals, "email_lowercase", "email_lowercase"),
]


@pytest.mark.parametrize(
    ("rows", "sqlite_names", "postgresql_names"),
    BROKEN_RULES,
    ids=[rule[0].__name__ for rule in BROKEN_RULES],
)
def test_the_database_refuses_rows_that_break_the_rules(
    court, rows, sqlite_names, postgresql_names
):
    db.session.add_all(rows(court))
    with pytest.raises(IntegrityError) as refused:
        db.session.flush()
    expected = sqlite_names if engine_name() == "sqlite" else postgresql_names
    assert expected in str(refused.value.orig)
    db.session.rollback()


# The same rows, made right, are accepted: the refusals above are for the broken rule alone.
ACCEPTED = {
    "the same case number in another court": lambda court: [
        a_case(court, "2026-CR-000001", court=court.other_court)
    ],
    "docket entries numbered in order": lambda court: [
        an_entry(court.rivera, 1),
        an_entry(court.rivera, 2),
        an_entry(court.ortiz, 1),
    ],
    "a disposed case with its disposition": lambda court: [
        a_case(court, status="disposed", disposition_type="dismissed", disposition_date=FILED)
    ],
    "counsel who withdrew the day they appeared": lambda court: [
        appearance(court, withdrew_on=date(2026, 3, 5))
    ],
    "a prosecutor for the State": lambda court: [
        appearance(
            court,
            attorney=court.prosecutor,
            side="prosecution",
            defendant=None,
            case=court.ortiz,
            withdrew_on=date(2026, 3, 5),
        )
    ],
    "counsel back on a case after withdrawing": lambda court: [
        appearance(court, withdrew_on=date(2026, 3, 6)),
        appearance(court, appeared_on=date(2026, 4, 1)),
    ],
    "a thirty-minute hearing": lambda court: [
        a_hearing(
            court,
            datetime(2026, 5, 4, 9, 0, tzinfo=CHICAGO),
            datetime(2026, 5, 4, 9, 30, tzinfo=CHICAGO),
        )
    ],
    "a charge of one count": lambda court: [
        Charge(
            defendant=court.rivera.defendants[0],
            count_number=1,
            statute="5/19-1",
            description="Burglary",
            severity_class="felony_2",
            counts=1,
        )
    ],
}


@pytest.mark.parametrize("rows", ACCEPTED.values(), ids=list(ACCEPTED))
def test_rows_that_keep_the_rules_are_accepted(court, rows):
    db.session.add_all(rows(court))
    db.session.commit()


def test_a_refused_row_leaves_nothing_behind(court):
    db.session.add(a_case(court, "2026-CR-000555"))
    db.session.add(a_case(court, "2026-CR-000001"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(Case).where(Case.case_number == "2026-CR-000555")) is None


def test_defendant_names_are_keyed_in_lower_case(court):
    db.session.add(
        Defendant(case=court.rivera, number=2, last_name="Baptiste", name_key="Baptiste jean")
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- instants -------------------------------------------------------------------------------


def test_a_naive_datetime_is_refused(court):
    db.session.add(an_entry(court.rivera, 1))
    db.session.flush()
    naive = an_entry(court.rivera, 2)
    naive.filed_at = datetime(2026, 3, 2, 9, 0)  # noqa: DTZ001 - the point of the test
    db.session.add(naive)
    with pytest.raises(StatementError) as refused:
        db.session.flush()
    assert isinstance(refused.value.orig, ValueError)
    assert "naive datetime" in str(refused.value.orig)
    db.session.rollback()
    assert db.session.scalar(select(DocketEntry.id)) is None


@pytest.mark.parametrize(
    ("court_time", "utc_time"),
    [
        # Central Daylight Time, UTC-5
        (datetime(2026, 5, 4, 9, 0, tzinfo=CHICAGO), datetime(2026, 5, 4, 14, 0, tzinfo=UTC)),
        # Central Standard Time, UTC-6, late in the evening: the next day in UTC
        (datetime(2026, 1, 12, 19, 30, tzinfo=CHICAGO), datetime(2026, 1, 13, 1, 30, tzinfo=UTC)),
    ],
)
def test_aware_datetimes_are_stored_in_utc_and_come_back_in_utc(court, court_time, utc_time):
    hearing = a_hearing(court, court_time, court_time + timedelta(minutes=30))
    db.session.add(hearing)
    db.session.commit()
    hearing_id = hearing.id
    db.session.expire_all()

    if engine_name() == "postgresql":
        # Whatever the connection's time zone, values come back in UTC.
        db.session.execute(text("SET LOCAL TIME ZONE 'Asia/Tokyo'"))
        stored = db.session.scalar(
            text("SELECT starts_at AT TIME ZONE 'UTC' FROM hearing WHERE id = :id"),
            {"id": hearing_id},
        )
    else:
        stored = datetime.fromisoformat(
            db.session.scalar(
                text("SELECT starts_at FROM hearing WHERE id = :id"), {"id": hearing_id}
            )
        )
    assert stored == utc_time.replace(tzinfo=None)

    loaded = db.session.scalar(select(Hearing).where(Hearing.id == hearing_id))
    assert loaded.starts_at == utc_time
    assert loaded.starts_at.tzinfo is UTC
    assert loaded.ends_at == utc_time + timedelta(minutes=30)
    assert loaded.ends_at.tzinfo is UTC
    assert loaded.created_at.tzinfo is UTC
    db.session.rollback()


def test_instants_compare_in_sql_as_instants(court):
    """A hearing at 9:00 in Chicago is after one at 13:00 UTC the same day, on both engines."""
    early = a_hearing(
        court,
        datetime(2026, 5, 4, 13, 0, tzinfo=UTC),
        datetime(2026, 5, 4, 13, 30, tzinfo=UTC),
    )
    late = a_hearing(
        court,
        datetime(2026, 5, 4, 9, 0, tzinfo=CHICAGO),
        datetime(2026, 5, 4, 9, 30, tzinfo=CHICAGO),
    )
    db.session.add_all([late, early])
    db.session.commit()
    ordered = db.session.scalars(select(Hearing.id).order_by(Hearing.starts_at)).all()
    assert ordered == [early.id, late.id]
    after_one_pm = db.session.scalars(
        select(Hearing.id).where(Hearing.starts_at > datetime(2026, 5, 4, 8, 30, tzinfo=CHICAGO))
    ).all()
    assert after_one_pm == [late.id]

"""A small, explicit court for tests: every row is named so tests read like the court."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docket.extensions import db
from docket.models import (
    Attorney,
    Case,
    CounselOfRecord,
    Court,
    Courtroom,
    Defendant,
    Judge,
    User,
)

PASSWORD = "correct horse battery"


@dataclass
class SmallCourt:
    court: Court
    other_court: Court
    judge_okafor: Judge
    judge_lind: Judge
    courtroom: Courtroom
    prosecutor: Attorney
    defender: Attorney
    other_defender: Attorney
    clerk: User
    judge_user: User
    other_judge_user: User
    admin: User
    attorney_user: User  # the defender: counsel in `rivera` only
    other_attorney_user: User  # counsel in no case
    prosecutor_user: User
    other_court_clerk: User
    rivera: Case  # Okafor's case; defender is counsel
    ortiz: Case  # Lind's case; nobody but the prosecutor appears


def user(email: str, role: str, **links) -> User:
    account = User(email=email, name=email.split("@")[0].title(), role=role, **links)
    account.set_password(PASSWORD, method="pbkdf2:sha256:1000")
    db.session.add(account)
    return account


def case(court: Court, number: str, last_name: str, judge: Judge, **fields) -> Case:
    values = {
        "case_type": "felony",
        "filed_on": date(2026, 3, 2),
        "track": "standard",
        "custody_status": "released",
        "status": "active",
        **fields,
    }
    row = Case(court=court, case_number=number, caption=f"State v. {last_name}",
               assigned_judge=judge, **values)
    db.session.add(row)
    db.session.add(
        Defendant(case=row, number=1, last_name=last_name, first_name="Ana",
                  name_key=Defendant.make_name_key(last_name, "Ana"))
    )
    return row


def build_court() -> SmallCourt:
    court = Court(code="CIR1", name="First Circuit Court", time_zone="America/Chicago")
    other = Court(code="CIR2", name="Second Circuit Court", time_zone="America/Chicago")
    okafor = Judge(court=court, name="Adaeze Okafor")
    lind = Judge(court=court, name="Peter Lind")
    far_judge = Judge(court=other, name="Far Away")
    courtroom = Courtroom(court=court, name="3A", building="Main courthouse")
    prosecutor = Attorney(bar_number="P-100", name="Dana Chen", office="prosecutor")
    defender = Attorney(bar_number="D-200", name="Luis Moreno", office="public_defender")
    other_defender = Attorney(bar_number="D-300", name="Rosa Vega", office="retained")
    db.session.add_all([court, other, okafor, lind, far_judge, courtroom, prosecutor, defender,
                        other_defender])
    db.session.flush()
    rivera = case(court, "2026-CR-000001", "Rivera", okafor)
    ortiz = case(court, "2026-CR-000002", "Ortiz", lind)
    db.session.flush()
    db.session.add_all([
        CounselOfRecord(case=rivera, attorney=prosecutor, side="prosecution",
                        appeared_on=date(2026, 3, 2)),
        CounselOfRecord(case=rivera, attorney=defender, side="defense",
                        defendant=rivera.defendants[0], appeared_on=date(2026, 3, 3)),
        CounselOfRecord(case=ortiz, attorney=prosecutor, side="prosecution",
                        appeared_on=date(2026, 3, 2)),
    ])
    small = SmallCourt(
        court=court, other_court=other, judge_okafor=okafor, judge_lind=lind,
        courtroom=courtroom, prosecutor=prosecutor, defender=defender,
        other_defender=other_defender,
        clerk=user("clerk@cir1.test", "clerk", court=court),
        judge_user=user("okafor@cir1.test", "judge", court=court, judge=okafor),
        other_judge_user=user("lind@cir1.test", "judge", court=court, judge=lind),
        admin=user("admin@cir1.test", "admin", court=court),
        attorney_user=user("moreno@defense.test", "attorney", attorney=defender),
        other_attorney_user=user("vega@defense.test", "attorney", attorney=other_defender),
        prosecutor_user=user("chen@da.test", "attorney", attorney=prosecutor),
        other_court_clerk=user("clerk@cir2.test", "clerk", court=other),
        rivera=rivera, ortiz=ortiz,
    )
    db.session.commit()
    return small

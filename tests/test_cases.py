"""The clerk's forms: what a good submission saves (with its audit rows) and shows on the case
page, what a bad one says beside the field and that it saves nothing; and that the case page
and the case list cost a fixed number of queries whatever the size of the case or the court."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from docket.clock import court_today
from docket.extensions import db
from docket.models import (
    AuditLogEntry,
    Case,
    CaseEvent,
    Charge,
    CounselOfRecord,
    Defendant,
    Judge,
)
from tests.conftest import sign_in
from tests.factories import case as make_case
from tests.isolated_client import isolated_client
from tests.query_count import counted_queries

FILED = date(2026, 3, 2)  # when the factory's cases were filed
TABLES = (Case, Defendant, Charge, CounselOfRecord, CaseEvent, AuditLogEntry)


@pytest.fixture
def clerk(app, court):
    client = isolated_client(app)
    assert sign_in(client, "clerk@cir1.test").status_code == 302
    return client


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_error(response, field: str) -> str:
    """The error shown beside a field (the macro renders it as <p id="<field>-error">)."""
    found = re.search(
        rf'<p class="error" id="{field}-error">(.*?)</p>', response.get_data(as_text=True), re.S
    )
    return html.unescape(found.group(1)) if found else ""


def form_errors(response) -> str:
    found = re.search(
        r'<div class="form-errors" role="alert">(.*?)</div>', response.get_data(as_text=True), re.S
    )
    return html.unescape(found.group(1)) if found else ""


def counts() -> dict[str, int]:
    db.session.rollback()  # see what the requests committed
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in TABLES
    }


def withdrawals() -> list:
    return db.session.scalars(
        select(CounselOfRecord.withdrew_on).order_by(CounselOfRecord.id)
    ).all()


def audit_rows(action: str) -> list[AuditLogEntry]:
    db.session.rollback()
    return db.session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.action == action).order_by(AuditLogEntry.id)
    ).all()


def new_case_form(court, **fields) -> dict:
    return {
        "case_number": "",
        "caption": "",
        "case_type": "felony",
        "filed_on": (court_today() - timedelta(days=3)).isoformat(),
        "track": "standard",
        "custody_status": "in_custody",
        "assigned_judge_id": str(court.judge_okafor.id),
        "last_name": "Delgado",
        "first_name": "Marco",
        "middle_name": "",
        "date_of_birth": "1990-04-01",
        "interpreter_language": "Spanish",
        **fields,
    }


def moreno_appearance(court) -> CounselOfRecord:
    return db.session.scalar(
        select(CounselOfRecord).where(CounselOfRecord.attorney_id == court.defender.id)
    )


# --- opening a case ------------------------------------------------------------------------


def test_opening_a_case_saves_the_case_its_defendant_and_audit_rows(app, court, clerk):
    before = counts()
    filed = court_today() - timedelta(days=3)
    response = clerk.post(
        "/cases/new", data=new_case_form(court, case_number=" 2026-cr-000777 ", filed_on=filed)
    )
    assert response.status_code == 302

    db.session.rollback()
    case = db.session.scalar(select(Case).where(Case.case_number == "2026-CR-000777"))
    assert response.headers["Location"] == f"/cases/{case.id}"
    assert case.court_id == court.court.id
    assert case.caption == "State v. Delgado"
    assert case.filed_on == filed
    assert case.assigned_judge_id == court.judge_okafor.id
    assert (case.status, case.track, case.custody_status) == ("active", "standard", "in_custody")
    assert case.sealed is False
    [defendant] = case.defendants
    assert (defendant.number, defendant.full_name) == (1, "Marco Delgado")
    assert defendant.name_key == "delgado marco"
    assert defendant.date_of_birth == date(1990, 4, 1)
    assert defendant.interpreter_language == "Spanish"

    after = counts()
    assert after["Case"] == before["Case"] + 1
    assert after["Defendant"] == before["Defendant"] + 1
    assert after["AuditLogEntry"] == before["AuditLogEntry"] + 2
    [opened] = audit_rows("case_opened")
    assert (opened.user_id, opened.case_id) == (court.clerk.id, case.id)
    assert (opened.entity_type, opened.entity_id) == ("court_case", case.id)
    assert opened.before is None
    assert opened.after["case_number"] == "2026-CR-000777"
    assert opened.after["filed_on"] == filed.isoformat()
    [added] = audit_rows("defendant_added")
    assert (added.user_id, added.case_id) == (court.clerk.id, case.id)
    assert (added.entity_type, added.entity_id) == ("defendant", defendant.id)
    assert added.after["last_name"] == "Delgado"

    page = text(clerk.get(response.headers["Location"]))
    assert "2026-CR-000777" in page
    assert "State v. Delgado" in page
    assert "1. Marco Delgado" in page
    assert "Interpreter: Spanish" in page
    assert "Hon. Adaeze Okafor" in page


def test_a_sealed_case_is_opened_sealed(app, court, clerk):
    response = clerk.post("/cases/new", data=new_case_form(court, sealed="y"))
    assert response.status_code == 302
    db.session.rollback()
    case = db.session.scalar(select(Case).where(Case.caption == "State v. Delgado"))
    assert case.sealed is True
    assert '<span class="badge sealed">Sealed</span>' in text(clerk.get(f"/cases/{case.id}"))


def test_an_empty_case_number_takes_the_next_number_for_the_year(app, court, clerk):
    filed = court_today() - timedelta(days=3)
    make_case(court.court, f"{filed.year}-CR-000041", "Earlier", court.judge_lind)
    make_case(court.court, f"{filed.year - 1}-CR-000500", "LastYear", court.judge_lind)
    make_case(court.other_court, f"{filed.year}-CR-000099", "Elsewhere", court.judge_lind)
    db.session.commit()

    first = clerk.post("/cases/new", data=new_case_form(court, filed_on=filed))
    second = clerk.post("/cases/new", data=new_case_form(court, filed_on=filed, last_name="Ng"))
    assert (first.status_code, second.status_code) == (302, 302)
    db.session.rollback()
    numbers = db.session.scalars(
        select(Case.case_number)
        .where(Case.caption.in_(["State v. Delgado", "State v. Ng"]))
        .order_by(Case.id)
    ).all()
    assert numbers == [f"{filed.year}-CR-000042", f"{filed.year}-CR-000043"]


def test_a_taken_case_number_is_refused_beside_the_field_and_nothing_is_saved(app, court, clerk):
    before = counts()
    response = clerk.post("/cases/new", data=new_case_form(court, case_number="2026-CR-000001"))
    assert response.status_code == 200
    assert field_error(response, "case_number") == "Case number 2026-CR-000001 is already taken."
    assert 'value="Delgado"' in response.get_data(as_text=True)  # the clerk's typing is kept
    assert counts() == before


def test_the_same_case_number_may_be_used_in_another_court(app, court):
    far_away = db.session.scalar(select(Judge.id).where(Judge.court_id == court.other_court.id))
    client = isolated_client(app)
    assert sign_in(client, "clerk@cir2.test").status_code == 302
    response = client.post(
        "/cases/new",
        data=new_case_form(court, case_number="2026-CR-000001", assigned_judge_id=str(far_away)),
    )
    assert response.status_code == 302
    db.session.rollback()
    courts = db.session.scalars(
        select(Case.court_id).where(Case.case_number == "2026-CR-000001").order_by(Case.court_id)
    ).all()
    assert courts == [court.court.id, court.other_court.id]


def test_a_judge_of_another_court_cannot_be_assigned(app, court, clerk):
    far_away = db.session.scalar(select(Judge.id).where(Judge.court_id == court.other_court.id))
    before = counts()
    response = clerk.post("/cases/new", data=new_case_form(court, assigned_judge_id=str(far_away)))
    assert response.status_code == 200
    assert "Not a valid choice" in field_error(response, "assigned_judge_id")
    assert counts() == before


# --- bad input -----------------------------------------------------------------------------

TOMORROW = "tomorrow"  # replaced by the court's tomorrow when the test runs


def _bad(path, data, field, message):
    return pytest.param(path, data, field, message, id=f"{path}:{field}:{message[:30]}")


BAD_INPUT = [
    # Opening a case (the rest of the form is valid).
    _bad("new", {"last_name": ""}, "last_name", "Enter the defendant's last name."),
    _bad("new", {"case_type": ""}, "case_type", "Choose the case type."),
    _bad("new", {"track": "rocket"}, "track", "Not a valid choice."),
    _bad("new", {"assigned_judge_id": ""}, "assigned_judge_id", "Choose the judge."),
    _bad("new", {"filed_on": ""}, "filed_on", "Enter the date the case was filed."),
    _bad("new", {"filed_on": TOMORROW}, "filed_on", "This date is in the future"),
    _bad("new", {"date_of_birth": TOMORROW}, "date_of_birth", "This date is in the future"),
    _bad("new", {"case_number": "2026/CR/1"}, "case_number", "Use capital letters, digits"),
    # Adding a defendant.
    _bad("defendant", {"last_name": ""}, "last_name", "Enter the defendant's last name."),
    _bad(
        "defendant",
        {"last_name": "Baptiste", "date_of_birth": TOMORROW},
        "date_of_birth",
        "This date is in the future",
    ),
    # Adding a charge.
    _bad("charge", {"counts": "0"}, "counts", "Counts must be between 1 and 999."),
    _bad("charge", {"counts": ""}, "counts", "Enter how many counts."),
    _bad("charge", {"statute": ""}, "statute", "Enter the statute."),
    _bad("charge", {"description": ""}, "description", "Enter the charge description."),
    _bad("charge", {"defendant_id": ""}, "defendant_id", "Choose the defendant."),
    _bad("charge", {"defendant_id": "ORTIZ"}, "defendant_id", "Not a valid choice"),
    _bad("charge", {"severity_class": ""}, "severity_class", "Choose the severity class."),
    # Adding counsel of record.
    _bad("counsel", {"bar_number": ""}, "bar_number", "Enter the bar number."),
    _bad("counsel", {"bar_number": "Z-999"}, "bar_number", "No attorney has bar number Z-999."),
    _bad(
        "counsel",
        {"bar_number": "P-100"},
        "bar_number",
        "Dana Chen is a prosecutor and cannot appear for the defense.",
    ),
    _bad(
        "counsel",
        {"bar_number": "D-300", "side": "prosecution", "defendant_id": ""},
        "bar_number",
        "Rosa Vega is defense counsel (retained counsel), not a prosecutor.",
    ),
    _bad(
        "counsel",
        {"defendant_id": ""},
        "defendant_id",
        "Choose the defendant this attorney represents.",
    ),
    _bad(
        "counsel",
        {"bar_number": "P-100", "side": "prosecution"},
        "defendant_id",
        "Prosecutors represent the State, not a defendant: leave empty.",
    ),
    _bad("counsel", {"side": ""}, "side", "Choose the side."),
    _bad("counsel", {"appeared_on": TOMORROW}, "appeared_on", "This date is in the future"),
    _bad(
        "counsel",
        {"appeared_on": "2026-03-01"},
        "appeared_on",
        "Counsel cannot appear before the case was filed (Mar 2, 2026).",
    ),
    _bad(
        "counsel",
        {"bar_number": "d-200"},
        "bar_number",
        "Luis Moreno is already counsel of record in this case.",
    ),
    # Recording an event.
    _bad("event", {"event_type": ""}, "event_type", "Choose the event."),
    _bad("event", {"occurred_on": ""}, "occurred_on", "Enter the date it happened."),
    _bad("event", {"occurred_on": TOMORROW}, "occurred_on", "This date is in the future"),
    _bad(
        "event",
        {"occurred_on": "2026-02-27"},
        "occurred_on",
        "This event cannot come before the case was filed (Mar 2, 2026).",
    ),
    _bad("event", {"defendant_id": "ORTIZ"}, "defendant_id", "Not a valid choice"),
    # Recording counsel's withdrawal.
    _bad("withdraw", {"withdrew_on": ""}, "withdrew_on", "Enter the date of withdrawal."),
    _bad(
        "withdraw",
        {"withdrew_on": "2026-03-02"},
        "withdrew_on",
        "Withdrawal cannot come before the appearance (Mar 3, 2026).",
    ),
    _bad("withdraw", {"withdrew_on": TOMORROW}, "withdrew_on", "This date is in the future"),
]


def good_form(kind: str, court) -> tuple[str, dict]:
    """The path and a valid submission of each form, in `rivera` (filed Mar 2, 2026)."""
    rivera = court.rivera
    defendant_id = str(rivera.defendants[0].id)
    if kind == "new":
        return "/cases/new", new_case_form(court)
    if kind == "defendant":
        return f"/cases/{rivera.id}/defendants/new", {"last_name": "Baptiste", "first_name": "Jean"}
    if kind == "charge":
        return f"/cases/{rivera.id}/charges/new", {
            "defendant_id": defendant_id,
            "statute": "720 ILCS 5/19-1(a)",
            "description": "Burglary",
            "severity_class": "felony_2",
            "counts": "2",
        }
    if kind == "counsel":
        return f"/cases/{rivera.id}/counsel/new", {
            "bar_number": "D-300",
            "side": "defense",
            "defendant_id": defendant_id,
            "appeared_on": "2026-03-10",
        }
    if kind == "event":
        return f"/cases/{rivera.id}/events/new", {
            "event_type": "arraignment_held",
            "occurred_on": "2026-03-20",
            "defendant_id": defendant_id,
            "note": "Pleaded not guilty.",
        }
    if kind == "withdraw":
        appearance = moreno_appearance(court)
        return f"/cases/{rivera.id}/counsel/{appearance.id}/withdraw", {
            "withdrew_on": court_today().isoformat()
        }
    raise AssertionError(kind)


@pytest.mark.parametrize(("kind", "changes", "field", "message"), BAD_INPUT)
def test_bad_input_names_the_field_and_saves_nothing(
    app, court, clerk, kind, changes, field, message
):
    path, data = good_form(kind, court)
    tomorrow = (court_today() + timedelta(days=1)).isoformat()
    ortiz_defendant = str(court.ortiz.defendants[0].id)
    replacements = {TOMORROW: tomorrow, "ORTIZ": ortiz_defendant}
    data = {**data, **{k: replacements.get(v, v) for k, v in changes.items()}}
    before, withdrawn_before = counts(), withdrawals()

    response = clerk.post(path, data=data)

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert "Nothing was saved" in form_errors(response)
    assert counts() == before
    assert withdrawals() == withdrawn_before


def test_a_second_withdrawal_is_refused_at_the_top_of_the_form(app, court, clerk):
    path, data = good_form("withdraw", court)
    assert clerk.post(path, data=data).status_code == 302
    before = counts()
    response = clerk.post(path, data={"withdrew_on": court_today().isoformat()})
    assert response.status_code == 200
    assert "Luis Moreno already withdrew on" in form_errors(response)
    assert counts() == before


def test_withdrawing_an_appearance_of_another_case_is_refused(app, court, clerk):
    ortiz_prosecutor = db.session.scalar(
        select(CounselOfRecord.id).where(CounselOfRecord.case_id == court.ortiz.id)
    )
    before, withdrawn_before = counts(), withdrawals()
    response = clerk.post(
        f"/cases/{court.rivera.id}/counsel/{ortiz_prosecutor}/withdraw",
        data={"withdrew_on": court_today().isoformat()},
    )
    assert response.status_code == 200
    assert "That appearance is not in this case." in form_errors(response)
    assert counts() == before
    assert withdrawals() == withdrawn_before


# --- good submissions ----------------------------------------------------------------------


def test_adding_a_defendant(app, court, clerk):
    path, data = good_form("defendant", court)
    response = clerk.post(path, data={**data, "date_of_birth": "1985-07-09"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{court.rivera.id}"
    db.session.rollback()
    defendant = db.session.scalar(select(Defendant).where(Defendant.last_name == "Baptiste"))
    assert (defendant.case_id, defendant.number) == (court.rivera.id, 2)
    assert defendant.date_of_birth == date(1985, 7, 9)
    [row] = audit_rows("defendant_added")
    assert (row.user_id, row.case_id, row.entity_id) == (
        court.clerk.id,
        court.rivera.id,
        defendant.id,
    )
    assert row.after["last_name"] == "Baptiste"
    assert "2. Jean Baptiste" in text(clerk.get(response.headers["Location"]))


def test_adding_a_charge(app, court, clerk):
    path, data = good_form("charge", court)
    response = clerk.post(path, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{court.rivera.id}"
    db.session.rollback()
    charge = db.session.scalar(select(Charge))
    assert charge.defendant_id == court.rivera.defendants[0].id
    assert (charge.count_number, charge.counts, charge.severity_class) == (1, 2, "felony_2")
    [row] = audit_rows("charge_added")
    assert (row.user_id, row.case_id, row.entity_type) == (
        court.clerk.id,
        court.rivera.id,
        "charge",
    )
    assert row.after["statute"] == "720 ILCS 5/19-1(a)"
    page = text(clerk.get(response.headers["Location"]))
    assert "720 ILCS 5/19-1(a)" in page
    assert "Burglary" in page
    assert "Felony, second degree" in page

    # The next charge against the same defendant is count 2.
    assert clerk.post(path, data={**data, "description": "Theft"}).status_code == 302
    db.session.rollback()
    assert db.session.scalars(select(Charge.count_number).order_by(Charge.id)).all() == [1, 2]


def test_adding_counsel_of_record_gives_the_attorney_the_case(app, court, clerk):
    path, data = good_form("counsel", court)
    vega = isolated_client(app)
    assert sign_in(vega, "vega@defense.test").status_code == 302
    assert vega.get(f"/cases/{court.rivera.id}").status_code == 403

    response = clerk.post(path, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{court.rivera.id}"
    db.session.rollback()
    appearance = db.session.scalar(
        select(CounselOfRecord).where(CounselOfRecord.attorney_id == court.other_defender.id)
    )
    assert (appearance.side, appearance.appeared_on) == ("defense", date(2026, 3, 10))
    assert appearance.defendant_id == court.rivera.defendants[0].id
    assert appearance.withdrew_on is None
    [row] = audit_rows("counsel_appeared")
    assert (row.user_id, row.case_id, row.entity_id) == (
        court.clerk.id,
        court.rivera.id,
        appearance.id,
    )
    page = text(clerk.get(response.headers["Location"]))
    assert "Rosa Vega" in page
    assert "D-300" in page
    assert vega.get(f"/cases/{court.rivera.id}").status_code == 200


def test_a_prosecutor_appears_for_the_state(app, court, clerk):
    from docket.models import Attorney

    db.session.add(Attorney(bar_number="P-101", name="Sam Okoye", office="prosecutor"))
    db.session.commit()
    response = clerk.post(
        f"/cases/{court.rivera.id}/counsel/new",
        data={"bar_number": "p-101", "side": "prosecution", "appeared_on": "2026-03-05"},
    )
    assert response.status_code == 302
    page = text(clerk.get(f"/cases/{court.rivera.id}"))
    assert "Sam Okoye" in page
    assert "The State" in page


def test_recording_an_event(app, court, clerk):
    path, data = good_form("event", court)
    response = clerk.post(path, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{court.rivera.id}"
    db.session.rollback()
    recorded = db.session.scalar(select(CaseEvent))
    assert (recorded.event_type, recorded.occurred_on) == ("arraignment_held", date(2026, 3, 20))
    assert recorded.recorded_by_id == court.clerk.id
    assert recorded.note == "Pleaded not guilty."
    [row] = audit_rows("event_recorded")
    assert (row.user_id, row.case_id, row.entity_id) == (
        court.clerk.id,
        court.rivera.id,
        recorded.id,
    )
    page = text(clerk.get(response.headers["Location"]))
    assert "Arraignment held" in page
    assert "Pleaded not guilty." in page


def test_an_arrest_may_precede_the_filing(app, court, clerk):
    response = clerk.post(
        f"/cases/{court.rivera.id}/events/new",
        data={"event_type": "arrest", "occurred_on": "2026-02-27"},
    )
    assert response.status_code == 302
    assert "Arrest" in text(clerk.get(f"/cases/{court.rivera.id}"))


def test_recording_a_withdrawal(app, court, clerk):
    path, data = good_form("withdraw", court)
    today = court_today()
    response = clerk.post(path, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{court.rivera.id}"
    db.session.rollback()
    appearance = moreno_appearance(court)
    assert appearance.withdrew_on == today
    [row] = audit_rows("counsel_withdrew")
    assert (row.user_id, row.case_id, row.entity_type, row.entity_id) == (
        court.clerk.id,
        court.rivera.id,
        "counsel_of_record",
        appearance.id,
    )
    assert row.before == {"withdrew_on": None}
    assert row.after == {"withdrew_on": today.isoformat()}

    page = text(clerk.get(response.headers["Location"]))
    counsel_section = page[page.index('id="counsel"') : page.index('id="hearings"')]
    assert f"{today:%b} {today.day}, {today.year}" in counsel_section
    assert "Record withdrawal" not in counsel_section.split("Luis Moreno")[1].split("</tr>")[0]
    moreno = isolated_client(app)
    assert sign_in(moreno, "moreno@defense.test").status_code == 302
    assert moreno.get(f"/cases/{court.rivera.id}").status_code == 403


def test_the_history_page_lists_every_change_with_who_made_it(app, court, clerk):
    for kind in ("defendant", "charge", "counsel", "event", "withdraw"):
        path, data = good_form(kind, court)
        assert clerk.post(path, data=data).status_code == 302
    page = text(clerk.get(f"/cases/{court.rivera.id}/history"))
    for action in (
        "Defendant #2 added",
        "Charge added: count 1",
        "Counsel appeared: Rosa Vega",
        "Event recorded: Arraignment held",
        "Counsel withdrew: Luis Moreno",
    ):
        assert action in page
    assert page.count(f"<td>{court.clerk.name}</td>") == 5
    rows = audit_rows("counsel_withdrew") + audit_rows("charge_added")
    assert {row.user_id for row in rows} == {court.clerk.id}


# --- a fixed number of queries -------------------------------------------------------------


def _queries_for(client, path: str) -> list[str]:
    assert client.get(path).status_code == 200  # warm: the first request may load more
    with counted_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return statements


def test_the_case_page_costs_the_same_queries_whatever_the_size_of_the_case(app, court, clerk):
    from docket.models import Attorney

    small = make_case(court.court, "2026-CR-000101", "Small", court.judge_okafor)
    big = make_case(court.court, "2026-CR-000102", "Big", court.judge_okafor)
    db.session.flush()
    for number in range(2, 6):
        db.session.add(
            Defendant(case=big, number=number, last_name=f"Big{number}", name_key=f"big{number}")
        )
    db.session.flush()
    for row, defendants in ((small, small.defendants), (big, big.defendants)):
        for index, defendant in enumerate(defendants):
            charges = 1 if row is small else 3
            for count_number in range(1, charges + 1):
                db.session.add(
                    Charge(
                        defendant=defendant,
                        count_number=count_number,
                        statute="5/19-1",
                        description="Burglary",
                        severity_class="felony_2",
                        counts=1,
                    )
                )
            lawyer = Attorney(
                bar_number=f"Q-{row.id}-{index}", name=f"Lawyer {index}", office="appointed"
            )
            db.session.add(
                CounselOfRecord(
                    case=row,
                    attorney=lawyer,
                    side="defense",
                    defendant=defendant,
                    appeared_on=FILED,
                )
            )
            db.session.add(
                CaseEvent(case=row, defendant=defendant, event_type="arrest", occurred_on=FILED)
            )
        db.session.add(
            CounselOfRecord(
                case=row, attorney=court.prosecutor, side="prosecution", appeared_on=FILED
            )
        )
    db.session.commit()
    small_id, big_id = small.id, big.id

    small_queries = _queries_for(clerk, f"/cases/{small_id}")
    big_queries = _queries_for(clerk, f"/cases/{big_id}")
    big_page = text(clerk.get(f"/cases/{big_id}"))
    assert "5. Big5" in big_page
    assert "Lawyer 4" in big_page
    assert len(big_queries) == len(small_queries), "\n".join(big_queries)


def test_the_case_list_costs_the_same_queries_for_5_or_40_cases(app, court, clerk):
    def add_cases(first: int, last: int) -> None:
        for n in range(first, last + 1):
            row = make_case(court.court, f"2026-CR-{n:06d}", f"Party{n}", court.judge_lind)
            db.session.add(
                Defendant(case=row, number=2, last_name=f"Second{n}", name_key=f"second{n}")
            )
        db.session.commit()

    add_cases(3, 5)
    five = _queries_for(clerk, "/cases/")
    five_search = _queries_for(clerk, "/cases/?q=2026-CR")
    add_cases(6, 40)
    forty = _queries_for(clerk, "/cases/")
    forty_search = _queries_for(clerk, "/cases/?q=2026-CR")

    listing = clerk.get("/cases/").get_data(as_text=True)
    assert len(set(re.findall(r'href="/cases/(\d+)"', listing))) == 40
    assert len(forty) == len(five), "\n".join(forty)
    assert len(forty_search) == len(five_search), "\n".join(forty_search)


def test_a_change_to_a_case_someone_else_just_changed_is_refused_not_overwritten(app, court):
    """Two clerks load the same case; the second one's save must not silently overwrite the
    first's. Simulated by changing the case's version under the open request."""
    from sqlalchemy import text, update

    from docket.cases import service
    from docket.extensions import db
    from docket.models import Case

    case_id = court.rivera.id

    @app.route("/_test/stale/<int:case_id>")
    def stale(case_id):
        case = db.session.get(Case, case_id)
        # Another clerk's transaction commits a change (and a new version) meanwhile.
        with db.engine.begin() as other:
            other.execute(
                update(Case.__table__)
                .where(Case.__table__.c.id == case_id)
                .values(version=Case.__table__.c.version + 1, caption="State v. Rivera-Lopez")
            )
        service.add_defendant(case, {"last_name": "Lopez"})
        return "saved"

    client = app.test_client()
    response = client.get(f"/_test/stale/{case_id}")
    assert response.status_code == 409
    assert b"Someone else changed this record" in response.data
    with app.app_context():
        assert db.session.get(Case, case_id).caption == "State v. Rivera-Lopez"
        defendants = db.session.execute(
            text("SELECT count(*) FROM defendant WHERE case_id = :c"), {"c": case_id}
        ).scalar()
        assert defendants == 1


@pytest.mark.parametrize(
    ("case_type", "custody", "track"),
    [("misdemeanor", "in_custody", "expedited"), ("felony", "released", "standard")],
)
def test_leaving_the_track_to_the_plan_places_the_case_by_its_rules(
    client, court, case_type, custody, track
):
    """rules/state-dcm-2026.toml: a misdemeanor in custody goes on the expedited track; other
    cases without a complexity designation on the standard track."""
    from docket.models import Case

    sign_in(client, "clerk@cir1.test")
    response = client.post(
        "/cases/new",
        data={
            "case_type": case_type,
            "filed_on": "2026-03-02",
            "track": "",
            "custody_status": custody,
            "assigned_judge_id": str(court.judge_okafor.id),
            "last_name": "Baptiste",
        },
    )
    assert response.status_code == 302
    opened = db.session.scalar(select(Case).where(Case.caption == "State v. Baptiste"))
    assert opened.track == track


def test_case_search_takes_any_text_without_error_or_wildcards(client, court):
    """A NUL or other control character (PostgreSQL refuses them in text) and LIKE's "%" and
    "_" are not part of a case number, a name or a bar number: the search ignores them."""
    sign_in(client, "clerk@cir1.test")
    for q in ("Riv\x00era", "Riv\u0007era", "%", "_", "R%a", "2026-CR-00000_"):
        response = client.get("/cases/", query_string={"q": q})
        assert response.status_code == 200, q
    assert "2026-CR-000001" in client.get("/cases/?q=Riv%00era").get_data(as_text=True)
    assert "2026-CR-000002" not in client.get("/cases/?q=R%25a").get_data(as_text=True)


def test_a_defendant_is_found_by_name_as_people_say_it_or_by_the_caption(client, court):
    """Rivera, Ana (the factories' defendant of 2026-CR-000001) by her last name, "Rivera,
    Ana", "Ana Rivera" and the caption "State v. Rivera"; never Ortiz's case."""
    sign_in(client, "clerk@cir1.test")
    for q in (
        "Rivera",
        "rivera ana",
        "Rivera, Ana",
        "Ana Rivera",
        "State v. Rivera",
        "state vs rivera",
    ):
        page = client.get("/cases/", query_string={"q": q}).get_data(as_text=True)
        assert "2026-CR-000001" in page and "2026-CR-000002" not in page, q
    assert "2026-CR-000001" not in client.get("/cases/?q=Ana+Ortiz").get_data(as_text=True)


def test_the_unverified_citation_marker_is_explained_to_signed_in_users(client, court):
    """The shipped plans mark citations not yet checked against the rule's text [U]; every
    page a signed-in user sees says what the marker means."""
    sign_in(client, "clerk@cir1.test")
    page = client.get(f"/cases/{court.rivera.id}").get_data(as_text=True)
    assert "A citation marked [U] is not yet verified against the rule's text" in page

"""The access rule through HTTP, on both engines: the case page, the case list and the search
must agree with each other for every user of the small court (tests/factories.py)."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from docket.clock import court_today
from docket.extensions import db
from docket.models import CounselOfRecord, Defendant
from tests.conftest import sign_in
from tests.isolated_client import isolated_client

USERS = {
    "clerk": "clerk@cir1.test",
    "okafor (judge of rivera)": "okafor@cir1.test",
    "lind (judge of ortiz)": "lind@cir1.test",
    "admin": "admin@cir1.test",
    "moreno (defense counsel in rivera)": "moreno@defense.test",
    "vega (counsel in no case)": "vega@defense.test",
    "chen (prosecutor in both)": "chen@da.test",
    "clerk of another court": "clerk@cir2.test",
}

ANOTHER_COURT = "belongs to another court"
SEALED = "This case is sealed"
NOT_COUNSEL = "not counsel of record"

# (user, case, sealed): None when the page is allowed, else what the 403 page must say.
MATRIX = {
    ("clerk", "rivera", False): None,
    ("clerk", "rivera", True): None,
    ("clerk", "ortiz", False): None,
    ("clerk", "ortiz", True): None,
    ("okafor (judge of rivera)", "rivera", False): None,
    ("okafor (judge of rivera)", "rivera", True): None,
    ("okafor (judge of rivera)", "ortiz", False): None,
    ("okafor (judge of rivera)", "ortiz", True): SEALED,
    ("lind (judge of ortiz)", "rivera", False): None,
    ("lind (judge of ortiz)", "rivera", True): SEALED,
    ("lind (judge of ortiz)", "ortiz", False): None,
    ("lind (judge of ortiz)", "ortiz", True): None,
    ("admin", "rivera", False): None,
    ("admin", "rivera", True): SEALED,
    ("admin", "ortiz", False): None,
    ("admin", "ortiz", True): SEALED,
    ("moreno (defense counsel in rivera)", "rivera", False): None,
    ("moreno (defense counsel in rivera)", "rivera", True): SEALED,
    ("moreno (defense counsel in rivera)", "ortiz", False): NOT_COUNSEL,
    ("moreno (defense counsel in rivera)", "ortiz", True): NOT_COUNSEL,
    ("vega (counsel in no case)", "rivera", False): NOT_COUNSEL,
    ("vega (counsel in no case)", "rivera", True): NOT_COUNSEL,
    ("vega (counsel in no case)", "ortiz", False): NOT_COUNSEL,
    ("vega (counsel in no case)", "ortiz", True): NOT_COUNSEL,
    ("chen (prosecutor in both)", "rivera", False): None,
    ("chen (prosecutor in both)", "rivera", True): SEALED,
    ("chen (prosecutor in both)", "ortiz", False): None,
    ("chen (prosecutor in both)", "ortiz", True): SEALED,
    ("clerk of another court", "rivera", False): ANOTHER_COURT,
    ("clerk of another court", "rivera", True): ANOTHER_COURT,
    ("clerk of another court", "ortiz", False): ANOTHER_COURT,
    ("clerk of another court", "ortiz", True): ANOTHER_COURT,
}

# The searches a user might run for a case, and which of the two cases each one matches.
SEARCHES = {
    "": {"rivera", "ortiz"},
    "Rivera": {"rivera"},
    "rivera": {"rivera"},
    "Ortiz": {"ortiz"},
    "2026-CR": {"rivera", "ortiz"},
    "2026-CR-000001": {"rivera"},
    "D-200": {"rivera"},  # Moreno's bar number: counsel in rivera only
    "P-100": {"rivera", "ortiz"},  # the prosecutor's
    "Moreno": {"rivera"},
}


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def listed_case_ids(response) -> set[int]:
    """The cases a list page links to (the table rows; navigation links have no id)."""
    return {int(n) for n in re.findall(r'href="/cases/(\d+)"', response.get_data(as_text=True))}


def signed_in(app, email: str):
    client = isolated_client(app)
    response = sign_in(client, email)
    assert response.status_code == 302, f"{email} could not sign in"
    return client


def test_the_matrix_covers_every_user_case_and_seal():
    assert len(MATRIX) == len(USERS) * 2 * 2


@pytest.mark.parametrize(("key", "refusal"), MATRIX.items(), ids=str)
def test_case_page_list_and_search_agree(app, court, key, refusal):
    who, case_name, sealed = key
    case = getattr(court, case_name)
    case.sealed = sealed
    db.session.commit()
    case_id = case.id
    client = signed_in(app, USERS[who])

    page = client.get(f"/cases/{case_id}")
    if refusal is None:
        assert page.status_code == 200
        assert f"State v. {case_name.title()}" in text(page)
    else:
        assert page.status_code == 403
        assert refusal in text(page)
        assert f"State v. {case_name.title()}" not in text(page)

    allowed = refusal is None
    for q, matches in SEARCHES.items():
        listing = client.get("/cases/", query_string={"q": q} if q else None)
        assert listing.status_code == 200
        expected = allowed and case_name in matches
        assert (case_id in listed_case_ids(listing)) is expected, f"search {q!r}"


def test_an_attorney_who_is_not_counsel_gets_403_on_the_case_page(app, court):
    """Acceptance criterion: attorneys see only the cases where they are counsel of record."""
    client = signed_in(app, "vega@defense.test")
    response = client.get(f"/cases/{court.rivera.id}")
    assert response.status_code == 403
    body = text(response)
    assert "You are not counsel of record in this case." in body
    assert "Rivera" not in body
    assert "D-200" not in body


def test_a_withdrawn_counsel_loses_access_on_the_day_of_withdrawal(app, court):
    client = signed_in(app, "moreno@defense.test")
    rivera_id = court.rivera.id
    assert client.get(f"/cases/{rivera_id}").status_code == 200

    appearance = db.session.scalar(
        db.select(CounselOfRecord).where(CounselOfRecord.attorney_id == court.defender.id)
    )
    appearance.withdrew_on = court_today()
    db.session.commit()

    response = client.get(f"/cases/{rivera_id}")
    assert response.status_code == 403
    assert "no longer counsel of record" in text(response)
    assert rivera_id not in listed_case_ids(client.get("/cases/"))
    assert rivera_id not in listed_case_ids(client.get("/cases/", query_string={"q": "D-200"}))
    # The prosecutor still appears, and still sees the case.
    assert signed_in(app, "chen@da.test").get(f"/cases/{rivera_id}").status_code == 200


def test_counsel_withdrawing_tomorrow_still_has_the_case_today(app, court):
    appearance = db.session.scalar(
        db.select(CounselOfRecord).where(CounselOfRecord.attorney_id == court.defender.id)
    )
    appearance.withdrew_on = court_today() + timedelta(days=1)
    db.session.commit()
    client = signed_in(app, "moreno@defense.test")
    assert client.get(f"/cases/{court.rivera.id}").status_code == 200
    assert court.rivera.id in listed_case_ids(client.get("/cases/"))


CLERK_ONLY_PAGES = [
    "/cases/new",
    "/cases/{rivera}/charges/new",
    "/cases/{rivera}/defendants/new",
    "/cases/{rivera}/counsel/new",
    "/cases/{rivera}/events/new",
    "/cases/{rivera}/history",
]


NOT_CLERKS_OF_THE_COURT = [
    "okafor (judge of rivera)",
    "lind (judge of ortiz)",
    "admin",
    "moreno (defense counsel in rivera)",
    "vega (counsel in no case)",
    "chen (prosecutor in both)",
    "clerk of another court",
]


@pytest.mark.parametrize(
    ("who", "page"),
    [
        (who, page)
        for who in NOT_CLERKS_OF_THE_COURT
        for page in CLERK_ONLY_PAGES
        # A clerk opens cases in their own court (tested below).
        if not (who == "clerk of another court" and page == "/cases/new")
    ],
)
def test_clerk_only_pages_refuse_everyone_else(app, court, who, page):
    client = signed_in(app, USERS[who])
    path = page.format(rivera=court.rivera.id)
    response = client.get(path)
    assert response.status_code == 403
    body = text(response)
    if who == "clerk of another court":
        assert ANOTHER_COURT in body
    else:
        assert "clerk's office" in body
    if not path.endswith("/history"):
        # A POST is refused too, and saves nothing.
        posted = client.post(path, data={"last_name": "Intruder", "statute": "1-1"})
        assert posted.status_code == 403
        db.session.expire_all()
        assert (
            db.session.scalar(
                db.select(db.func.count())
                .select_from(Defendant)
                .where(Defendant.last_name == "Intruder")
            )
            == 0
        )


def test_a_clerk_of_another_court_may_open_cases_in_their_own_court(app, court):
    client = signed_in(app, "clerk@cir2.test")
    assert client.get("/cases/new").status_code == 200


@pytest.mark.parametrize("page", CLERK_ONLY_PAGES)
def test_the_clerk_has_the_clerk_pages(app, court, page):
    client = signed_in(app, "clerk@cir1.test")
    assert client.get(page.format(rivera=court.rivera.id)).status_code == 200


@pytest.mark.parametrize("who", [name for name in USERS if name != "admin"])
def test_only_administrators_see_the_accounts(app, court, who):
    response = signed_in(app, USERS[who]).get("/admin/users")
    assert response.status_code == 403
    assert "This page is for court administrators." in text(response)


def test_the_administrator_sees_the_accounts(app, court):
    response = signed_in(app, "admin@cir1.test").get("/admin/users")
    assert response.status_code == 200
    body = text(response)
    assert "clerk@cir1.test" in body
    assert "moreno@defense.test" in body
    assert "clerk@cir2.test" not in body  # another court's staff


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/cases/",
        "/cases/?q=Rivera",
        "/cases/new",
        "/cases/{rivera}",
        "/cases/{rivera}/history",
        "/cases/{rivera}/charges/new",
        "/admin/users",
    ],
)
def test_signed_out_users_are_sent_to_sign_in(app, court, path):
    client = isolated_client(app)
    response = client.get(path.format(rivera=court.rivera.id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
    assert "State v. Rivera" not in response.get_data(as_text=True)


def test_after_sign_out_the_case_is_closed_again(app, court):
    client = signed_in(app, "clerk@cir1.test")
    assert client.get(f"/cases/{court.rivera.id}").status_code == 200
    assert client.post("/sign-out").status_code == 302
    response = client.get(f"/cases/{court.rivera.id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_a_case_that_does_not_exist_is_404_not_403(app, court):
    response = signed_in(app, "clerk@cir1.test").get("/cases/999999")
    assert response.status_code == 404


def test_list_rule_gives_a_judge_without_a_judge_record_no_sealed_unassigned_case(court):
    """The page rule never treats an unassigned case as the case of an account linked to no
    judge; the list rule must agree (SQLAlchemy would render `== None` as IS NULL). The schema
    forbids such an account, so this builds one in memory only."""
    from sqlalchemy import select

    from docket.extensions import db
    from docket.models import Case, User
    from docket.permissions import visible_cases_clause

    court.ortiz.sealed = True
    court.ortiz.assigned_judge = None
    db.session.commit()
    unlinked = User(role="judge", court_id=court.court.id, judge_id=None)
    visible = db.session.scalars(select(Case.case_number).where(visible_cases_clause(unlinked)))
    assert sorted(visible) == ["2026-CR-000001"]

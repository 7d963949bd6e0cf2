"""Plan versions in the browser: an administrator uploads a plan, sees its problems by line or
what it would change, then activates it; every step is audit-logged."""

import io
from datetime import date
from pathlib import Path

from sqlalchemy import select

from docket.deadlines import service as deadlines
from docket.extensions import db
from docket.models import AuditLogEntry, Deadline, PlanVersion
from tests.conftest import sign_in

STATE_PLAN = (Path(__file__).parent.parent / "rules" / "state-dcm-2026.toml").read_text()
# A 2027 version: in force for pending cases too, and 200 days (not 180) for released
# defendants.
NEW_PLAN = (
    STATE_PLAN.replace('id = "state-dcm-2026"', 'id = "state-dcm-2027"')
    .replace("applies_to_pending = false", "applies_to_pending = true")
    .replace("limit_days_released = 180", "limit_days_released = 200")
)


def upload(client, text: str, name: str = "plan.toml"):
    return client.post(
        "/admin/plans",
        data={"plan_file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )


def test_only_administrators_manage_plan_versions(client, court):
    sign_in(client, "clerk@cir1.test")
    assert client.get("/admin/plans").status_code == 403
    assert upload(client, NEW_PLAN).status_code == 403
    assert db.session.scalar(select(PlanVersion)) is None


def test_a_bad_plan_lists_its_problems_by_line_and_saves_nothing(client, court):
    sign_in(client, "admin@cir1.test")
    bad = NEW_PLAN.replace("limit_days_released = 200", "limit_days_released = -5")
    response = upload(client, bad)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    line = next(i for i, text in enumerate(bad.splitlines(), 1) if "= -5" in text)
    assert f"line {line}: clocks[0].limit_days_released" in page
    assert "The plan was not saved" in page
    assert db.session.scalar(select(PlanVersion)) is None


def test_a_non_toml_file_is_refused_beside_the_field(client, court):
    sign_in(client, "admin@cir1.test")
    response = upload(client, NEW_PLAN, name="plan.pdf")
    assert "Upload a .toml plan file" in response.get_data(as_text=True)
    assert db.session.scalar(select(PlanVersion)) is None


def test_upload_preview_and_activate_move_the_clock_by_twenty_days(app, client, court):
    """Rivera and Ortiz are released standard-track cases filed 2026-03-02 with no arraignment:
    their Rule 8.2 clocks wait for arraignment, so the new version changes no due date yet;
    after arraignment on 2026-03-10 the released limit moves from 180 to 200 days."""
    from docket.models import CaseEvent

    for case in (court.rivera, court.ortiz):
        db.session.add(
            CaseEvent(
                case_id=case.id,
                event_type="arraignment_held",
                occurred_on=date(2026, 3, 10),
            )
        )
    db.session.commit()
    deadlines.recompute([court.rivera.id, court.ortiz.id])
    db.session.commit()
    old_due = db.session.scalar(
        select(Deadline.due_on).where(Deadline.case_id == court.rivera.id, Deadline.kind == "clock")
    )

    sign_in(client, "admin@cir1.test")
    response = upload(client, NEW_PLAN, name="state-dcm-2027.toml")
    assert response.status_code == 302
    version = db.session.scalar(select(PlanVersion))
    assert (version.plan_id, version.status) == ("state-dcm-2027", "uploaded")

    preview = client.get(f"/admin/plans/{version.id}").get_data(as_text=True)
    assert "this version would govern 2 of them" in preview
    assert "2026-CR-000001" in preview  # an example of a moved deadline

    assert upload(client, NEW_PLAN).status_code == 400  # the same file twice

    refused = client.post(f"/admin/plans/{version.id}/activate", data={})
    assert refused.status_code == 302
    db.session.expire_all()
    assert db.session.get(PlanVersion, version.id).status == "uploaded"

    done = client.post(f"/admin/plans/{version.id}/activate", data={"confirm": "y"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(PlanVersion, version.id).status == "active"
    new_due = db.session.scalar(
        select(Deadline.due_on).where(Deadline.case_id == court.rivera.id, Deadline.kind == "clock")
    )
    assert (new_due - old_due).days == 20
    plan_ids = set(db.session.scalars(select(Deadline.plan_version)))
    assert plan_ids == {"state-dcm-2027"}
    actions = list(
        db.session.scalars(
            select(AuditLogEntry.action)
            .where(AuditLogEntry.entity_type == "plan_version")
            .order_by(AuditLogEntry.id)
        )
    )
    assert actions == ["plan_uploaded", "plan_activated"]

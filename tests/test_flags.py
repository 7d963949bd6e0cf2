"""Who sees which flags, on both engines: the clerk's work queue (filters, urgency order,
pages, explanations, actions), the judge's cases behind schedule, an attorney's deadlines
(their cases only, never sealed ones), the dashboards, the digest preference, and a constant
number of queries per page whatever the number of flags."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

from flask import render_template_string
from sqlalchemy import select, update

from docket.extensions import db
from docket.flags import queries
from docket.models import AuditLogEntry, CounselOfRecord, Deadline, Flag, Hearing, User
from tests.conftest import sign_in
from tests.factories import case as make_case
from tests.isolated_client import isolated_client
from tests.query_count import counted_queries

SINCE = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)


def signed_in(app, email: str):
    client = isolated_client(app)
    assert sign_in(client, email).status_code == 302
    return client


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def add_flag(case, kind, subject, severity="warning", *, due_on=None, since=SINCE, **fields):
    row = Flag(
        case_id=case.id,
        kind=kind,
        subject=subject,
        severity=severity,
        since=since,
        cause=fields.pop("cause", f"{kind} on {case.case_number} ({subject})"),
        due_on=due_on,
        **fields,
    )
    db.session.add(row)
    db.session.commit()
    return row


def add_deadline(case, kind, item_id, lines, *, defendant_id=None, due_on=date(2026, 5, 1)):
    row = Deadline(
        case_id=case.id,
        defendant_id=defendant_id,
        kind=kind,
        item_id=item_id,
        name=f"{item_id.replace('_', ' ').title()} deadline",
        plan_version="test",
        due_on=due_on,
        status="pending",
        explanation=lines,
        citation="Test R. Crim. P. 1.1",
        computed_for=date(2026, 6, 1),
    )
    db.session.add(row)
    db.session.commit()
    return row


def rows_in_order(page: str) -> list[str]:
    """The causes in the order the table lists them."""
    found = re.findall(
        r'<tr class="flag-row[^"]*">.*?<td>.*?</td>\s*<td>.*?</td>\s*<td>(.*?)<', page, re.S
    )
    return [cause.strip() for cause in found]


def queries_for(client, path: str) -> int:
    assert client.get(path).status_code == 200  # warm
    with counted_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


# --- the clerk's work queue ----------------------------------------------------------------


def test_the_work_queue_lists_the_courts_open_flags_most_urgent_first(app, court):
    rivera, ortiz = court.rivera, court.ortiz
    far = make_case(court.other_court, "2026-CR-000900", "Faraway", None)
    db.session.commit()
    add_flag(
        rivera,
        "approaching",
        "stage:discovery",
        "info",
        due_on=date(2026, 6, 20),
        cause="Discovery due Jun 20",
    )
    add_flag(
        ortiz,
        "overdue",
        "stage:arraignment",
        "critical",
        due_on=date(2026, 5, 10),
        cause="Arraignment was due May 10",
    )
    add_flag(
        rivera,
        "speedy_trial",
        "clock:trial:1",
        "critical",
        due_on=date(2026, 5, 1),
        cause="Trial clock expires May 1",
    )
    add_flag(
        ortiz,
        "document_due",
        "document:defense_disclosure",
        "warning",
        due_on=date(2026, 6, 1),
        since=SINCE + timedelta(days=2),
        cause="Later warning",
    )
    add_flag(
        rivera,
        "unscheduled",
        "stage:arraignment",
        "warning",
        due_on=date(2026, 6, 1),
        cause="Earlier warning",
    )
    add_flag(
        rivera,
        "overdue",
        "stage:motions",
        "critical",
        due_on=date(2026, 4, 1),
        cause="Resolved long ago",
        resolved_at=SINCE + timedelta(days=1),
    )
    add_flag(
        far,
        "overdue",
        "stage:arraignment",
        "critical",
        due_on=date(2026, 4, 1),
        cause="Another court's flag",
    )

    page = text(signed_in(app, "clerk@cir1.test").get("/flags/"))
    assert rows_in_order(page) == [
        "Trial clock expires May 1",  # critical, earliest due
        "Arraignment was due May 10",  # critical
        "Earlier warning",  # warning, due Jun 1, raised first
        "Later warning",  # warning, due Jun 1, raised two days later
        "Discovery due Jun 20",  # info
    ]
    assert "Resolved long ago" not in page and "Another court's flag" not in page
    assert "5 open flags" in page
    assert f'href="/cases/{rivera.id}"' in page and f'href="/cases/{ortiz.id}"' in page
    assert "State v. Rivera" in page and "Adaeze Okafor" in page and "Peter Lind" in page
    assert "Speedy-trial clock running out" in page  # the kind's label


def test_each_flag_shows_its_deadlines_explanation(app, court):
    rivera = court.rivera
    defendant_id = rivera.defendants[0].id
    add_deadline(
        rivera,
        "stage",
        "arraignment",
        ["Trigger: complaint filed Mar 2, 2026.", "Period: 30 days after the trigger."],
    )
    add_deadline(
        rivera,
        "clock",
        "trial",
        ["Clock started at arraignment.", "12 days excluded (continuance)."],
        defendant_id=defendant_id,
    )
    add_deadline(
        rivera,
        "clock",
        "trial",
        ["Someone else's clock."],
        defendant_id=None,
        due_on=date(2027, 1, 1),
    )
    add_flag(rivera, "overdue", "stage:arraignment", "critical", due_on=date(2026, 5, 1))
    add_flag(
        rivera,
        "speedy_trial",
        f"clock:trial:{defendant_id}",
        "critical",
        due_on=date(2026, 5, 1),
        defendant_id=defendant_id,
    )

    page = text(signed_in(app, "clerk@cir1.test").get("/flags/"))
    explanations = re.findall(r'<details class="explain">(.*?)</details>', page, re.S)
    assert len(explanations) == 2
    stage = next(e for e in explanations if "Arraignment deadline" in e)
    assert "Trigger: complaint filed Mar 2, 2026." in stage and "30 days after" in stage
    assert "Test R. Crim. P. 1.1" in stage
    clock = next(e for e in explanations if "Trial deadline" in e)
    assert "12 days excluded (continuance)." in clock  # the defendant's own clock
    assert "Someone else's clock." not in clock


def test_a_flag_overtaken_since_the_sweep_says_so_until_the_next(app, court):
    """The sweep alone writes flags, nightly. A deadline met, or moved by an order excluding
    time, during the day leaves its flag open until then: the row says what changed rather
    than contradict the case page; an unchanged one says nothing."""
    rivera, ortiz = court.rivera, court.ortiz
    met = add_deadline(rivera, "stage", "arraignment", ["Arraignment held."])
    add_deadline(ortiz, "clock", "trial", ["12 days excluded."], due_on=date(2027, 1, 8))
    add_deadline(rivera, "stage", "trial_set", ["Unchanged."], due_on=date(2026, 5, 4))
    db.session.execute(update(Deadline).where(Deadline.id == met.id).values(status="met"))
    db.session.commit()
    add_flag(rivera, "overdue", "stage:arraignment", "critical", due_on=date(2026, 5, 1))
    add_flag(ortiz, "speedy_trial", "clock:trial", "critical", due_on=date(2026, 3, 14))
    # The stage's date rolled past a weekend: the flag carries the rolled date, still current.
    db.session.execute(
        update(Deadline)
        .where(Deadline.item_id == "trial_set")
        .values(rolled_to=date(2026, 5, 4), due_on=date(2026, 5, 2))
    )
    add_flag(rivera, "overdue", "stage:trial_set", "critical", due_on=date(2026, 5, 4))

    page = text(signed_in(app, "clerk@cir1.test").get("/flags/"))
    notes = re.findall(r'<p class="flag-overtaken">(.*?)</p>', page)
    assert sorted(notes) == [
        "Since the nightly check the date moved to Jan 8, 2027: this flag is updated at the "
        "next nightly check.",
        "Since the nightly check this deadline is met: this flag is updated at the next "
        "nightly check.",
    ]


def test_unscheduled_and_missing_outcome_flags_offer_the_clerks_action(app, court):
    rivera = court.rivera
    hearing = Hearing(
        case_id=rivera.id,
        hearing_type="arraignment",
        starts_at=datetime(2026, 6, 1, 14, 0, tzinfo=UTC),
        ends_at=datetime(2026, 6, 1, 14, 30, tzinfo=UTC),
        courtroom_id=court.courtroom.id,
        judge_id=court.judge_okafor.id,
        status="scheduled",
    )
    db.session.add(hearing)
    db.session.commit()
    add_flag(rivera, "unscheduled", "stage:pretrial_conference", "warning", due_on=date(2026, 7, 1))
    add_flag(rivera, "outcome_missing", f"hearing:{hearing.id}", "warning")

    page = signed_in(app, "clerk@cir1.test").get("/flags/").get_data(as_text=True)
    assert f'href="/cases/{rivera.id}/hearings/new?hearing_type=pretrial_conference"' in page
    assert f'href="/hearings/{hearing.id}/outcome"' in page

    judge_page = signed_in(app, "okafor@cir1.test").get("/flags/").get_data(as_text=True)
    assert "hearings/new" not in judge_page and "/outcome" not in judge_page  # clerks act


def test_the_queue_filters_by_judge_kind_and_severity(app, court):
    add_flag(court.rivera, "overdue", "stage:arraignment", "critical", cause="Okafor overdue")
    add_flag(court.rivera, "approaching", "stage:discovery", "info", cause="Okafor approaching")
    add_flag(court.ortiz, "overdue", "stage:arraignment", "warning", cause="Lind overdue")
    clerk = signed_in(app, "clerk@cir1.test")

    okafor = text(clerk.get(f"/flags/?judge={court.judge_okafor.id}"))
    assert set(rows_in_order(okafor)) == {"Okafor overdue", "Okafor approaching"}
    overdue = text(clerk.get("/flags/?kind=overdue"))
    assert set(rows_in_order(overdue)) == {"Okafor overdue", "Lind overdue"}
    critical = text(clerk.get("/flags/?severity=critical"))
    assert rows_in_order(critical) == ["Okafor overdue"]
    both = text(clerk.get(f"/flags/?judge={court.judge_lind.id}&kind=overdue&severity=warning"))
    assert rows_in_order(both) == ["Lind overdue"]
    assert "No open flag matches these filters." in text(clerk.get("/flags/?kind=document_due"))

    bad = clerk.get("/flags/?kind=bogus&judge=99999")
    assert bad.status_code == 200
    page = text(bad)
    assert 'id="kind-error"' in page and 'id="judge-error"' in page
    assert len(rows_in_order(page)) == 3  # the bad filters are named and left out


def test_the_queue_is_paginated_in_urgency_order(app, court):
    app.config["FLAGS_PER_PAGE"] = 2
    for day in range(1, 6):
        add_flag(
            court.rivera,
            "approaching",
            f"stage:s{day}",
            "warning",
            due_on=date(2026, 7, day),
            cause=f"Due July {day}",
        )
    clerk = signed_in(app, "clerk@cir1.test")
    first = text(clerk.get("/flags/"))
    assert rows_in_order(first) == ["Due July 1", "Due July 2"]
    assert "Less urgent →" in first and "← More urgent" not in first
    assert rows_in_order(text(clerk.get("/flags/?page=2"))) == ["Due July 3", "Due July 4"]
    last = text(clerk.get("/flags/?page=3"))
    assert rows_in_order(last) == ["Due July 5"] and "Less urgent →" not in last


def test_clerks_see_sealed_cases_in_the_queue_attorneys_are_refused_it(app, court):
    court.rivera.sealed = True
    db.session.commit()
    add_flag(court.rivera, "overdue", "stage:arraignment", "critical", cause="Sealed overdue")
    page = text(signed_in(app, "clerk@cir1.test").get("/flags/"))
    assert "Sealed overdue" in page and "State v. Rivera" in page and "Sealed" in page

    refused = signed_in(app, "moreno@defense.test").get("/flags/")
    assert refused.status_code == 403
    assert "for court staff" in text(refused) and "My deadlines" in text(refused)
    other_court = text(signed_in(app, "clerk@cir2.test").get("/flags/"))
    assert "Sealed overdue" not in other_court


def test_a_judge_sees_the_queue_without_other_judges_sealed_cases(app, court):
    court.ortiz.sealed = True
    db.session.commit()
    add_flag(court.ortiz, "overdue", "stage:arraignment", "critical", cause="Lind's sealed case")
    add_flag(court.rivera, "overdue", "stage:arraignment", "critical", cause="Okafor's case")
    okafor = text(signed_in(app, "okafor@cir1.test").get("/flags/"))
    assert "Okafor's case" in okafor and "Lind's sealed case" not in okafor
    lind = text(signed_in(app, "lind@cir1.test").get("/flags/"))
    assert "Lind's sealed case" in lind


# --- the judge's cases behind schedule -----------------------------------------------------


def test_judge_behind_lists_the_judges_own_cases_behind_schedule(app, court):
    add_flag(court.rivera, "overdue", "stage:arraignment", "critical", cause="R overdue")
    add_flag(court.rivera, "speedy_trial", "clock:trial:1", "critical", cause="R clock")
    add_flag(court.rivera, "unscheduled", "stage:motions", "warning", cause="R unscheduled")
    add_flag(court.rivera, "approaching", "stage:discovery", "info", cause="R approaching")
    add_flag(court.rivera, "outcome_missing", "hearing:1", "warning", cause="R outcome")
    add_flag(court.ortiz, "overdue", "stage:arraignment", "critical", cause="Lind's overdue")
    add_deadline(court.rivera, "stage", "arraignment", ["Because the complaint was filed."])

    okafor = db.session.get(User, court.judge_user.id)
    behind = queries.judge_behind(okafor)
    assert {row.cause for row in behind} == {"R overdue", "R clock", "R unscheduled"}
    assert queries.judge_behind(db.session.get(User, court.clerk.id)) == []

    with app.test_request_context():
        from flask_login import login_user

        login_user(okafor)
        rendered = html.unescape(
            render_template_string(
                '{% set behind = rows %}{% include "flags/_judge_behind.html" %}', rows=behind
            )
        )
    assert "Your cases behind schedule" in rendered
    assert f'href="/cases/{court.rivera.id}"' in rendered
    assert "Because the complaint was filed." in rendered
    assert "Lind's overdue" not in rendered and "R approaching" not in rendered
    with app.test_request_context():
        empty = render_template_string(
            '{% set behind = [] %}{% include "flags/_judge_behind.html" %}'
        )
    assert "None of your cases is behind schedule." in empty


def test_judge_behind_costs_the_same_queries_for_one_flag_or_many(app, court):
    add_flag(court.rivera, "unscheduled", "stage:arraignment", "warning")
    okafor = db.session.get(User, court.judge_user.id)
    queries.judge_behind(okafor)  # warm: plans parsed once
    with counted_queries() as few:
        queries.judge_behind(okafor)
    for number in range(3, 15):
        extra = make_case(
            court.court, f"2026-CR-{number:06d}", f"Extra{number}", court.judge_okafor
        )
        db.session.commit()
        add_flag(extra, "unscheduled", "stage:arraignment", "warning")
        add_flag(extra, "overdue", "stage:arraignment", "critical")
        add_deadline(extra, "stage", "arraignment", ["x"])
    db.session.refresh(okafor)
    with counted_queries() as many:
        rows = queries.judge_behind(okafor)
    assert len(rows) == 25
    assert len(many) == len(few) <= 4


# --- attorneys -----------------------------------------------------------------------------


def test_an_attorney_sees_deadlines_and_documents_due_on_their_cases_only(app, court):
    add_flag(court.rivera, "approaching", "stage:discovery", "info", cause="Rivera approaching")
    add_flag(
        court.rivera,
        "document_due",
        "document:defense_disclosure",
        "warning",
        cause="Rivera disclosure due",
    )
    add_flag(court.rivera, "overdue", "stage:arraignment", "critical", cause="Rivera overdue")
    add_flag(court.rivera, "unscheduled", "stage:motions", "warning", cause="Court to-do")
    add_flag(court.rivera, "outcome_missing", "hearing:1", "warning", cause="Clerk to-do")
    add_flag(court.ortiz, "approaching", "stage:discovery", "info", cause="Ortiz approaching")

    moreno = signed_in(app, "moreno@defense.test")
    mine = text(moreno.get("/flags/mine"))
    assert set(rows_in_order(mine)) == {
        "Rivera approaching",
        "Rivera disclosure due",
        "Rivera overdue",
    }
    dashboard = text(moreno.get("/"))
    assert "Deadlines and documents due" in dashboard
    assert "Rivera disclosure due" in dashboard and "Ortiz approaching" not in dashboard
    assert "Court to-do" not in dashboard

    chen = text(signed_in(app, "chen@da.test").get("/flags/mine"))  # counsel in both cases
    assert "Ortiz approaching" in chen and "Rivera overdue" in chen
    vega = text(signed_in(app, "vega@defense.test").get("/flags/mine"))
    assert "Nothing due on your cases." in vega


def test_attorneys_never_see_sealed_cases_or_cases_they_withdrew_from(app, court):
    add_flag(court.rivera, "overdue", "stage:arraignment", "critical", cause="Rivera overdue")
    add_flag(court.ortiz, "overdue", "stage:arraignment", "critical", cause="Ortiz overdue")
    court.rivera.sealed = True
    counsel = db.session.scalar(
        select(CounselOfRecord).where(
            CounselOfRecord.case_id == court.ortiz.id,
            CounselOfRecord.attorney_id == court.prosecutor.id,
        )
    )
    counsel.withdrew_on = date(2026, 4, 1)
    db.session.commit()

    for email in ("moreno@defense.test", "chen@da.test"):
        client = signed_in(app, email)
        for path in ("/flags/mine", "/"):
            page = text(client.get(path))
            assert "Rivera" not in page and "Ortiz overdue" not in page, (email, path)


def test_the_attorney_pages_cost_the_same_queries_for_one_flag_or_many(app, court):
    add_flag(court.rivera, "approaching", "stage:discovery", "info")
    moreno = signed_in(app, "moreno@defense.test")
    few = (queries_for(moreno, "/flags/mine"), queries_for(moreno, "/"))
    for number in range(3, 40):
        extra = make_case(court.court, f"2026-CR-{number:06d}", f"Extra{number}", court.judge_lind)
        db.session.flush()
        db.session.add(
            CounselOfRecord(
                case=extra,
                attorney=court.defender,
                side="defense",
                defendant=extra.defendants[0],
                appeared_on=date(2026, 3, 3),
            )
        )
        db.session.commit()
        add_flag(extra, "overdue", "stage:arraignment", "critical")
        add_flag(extra, "document_due", "document:defense_disclosure", "warning")
        add_deadline(extra, "stage", "arraignment", ["x"])
    many = (queries_for(moreno, "/flags/mine"), queries_for(moreno, "/"))
    assert many == few


# --- the clerk's dashboard and the queue's cost --------------------------------------------


def test_the_clerks_dashboard_shows_the_queue_by_severity_and_kind(app, court):
    add_flag(court.rivera, "overdue", "stage:arraignment", "critical", cause="Most urgent")
    add_flag(court.ortiz, "approaching", "stage:discovery", "info", cause="Least urgent")
    page = text(signed_in(app, "clerk@cir1.test").get("/"))
    assert "Work queue" in page and "Open a case" in page  # the panel beside what was there
    assert "Most urgent" in page and "Least urgent" in page
    assert 'href="/flags/?severity=critical"' in page
    assert "Stage deadline missed: 1" in page
    assert "The whole work queue (2 open flags)" in page
    empty = text(signed_in(app, "clerk@cir2.test").get("/"))
    assert "No open flags: every case is on schedule." in empty


def test_the_queue_and_dashboard_cost_the_same_queries_for_few_flags_or_many(app, court):
    # One flag of each shape the pages treat differently, on each judge's case: then more.
    add_flag(court.rivera, "overdue", "stage:arraignment", "critical")
    add_flag(court.ortiz, "unscheduled", "stage:trial", "warning")
    clerk = signed_in(app, "clerk@cir1.test")
    paths = ("/flags/", "/flags/?kind=unscheduled", f"/flags/?judge={court.judge_lind.id}", "/")
    few = [queries_for(clerk, path) for path in paths]
    for number in range(3, 70):
        judge = court.judge_lind if number % 2 else court.judge_okafor
        extra = make_case(
            court.court, f"2026-CR-{number:06d}", f"Extra{number}", judge, sealed=number % 5 == 0
        )
        db.session.commit()
        add_flag(extra, "unscheduled", "stage:trial", "warning", due_on=date(2026, 8, 1))
        add_flag(extra, "outcome_missing", f"hearing:{number}", "warning")
        add_flag(extra, "speedy_trial", "clock:trial:1", "critical")
        add_deadline(extra, "stage", "trial", ["y"])
    many = [queries_for(clerk, path) for path in paths]
    # Never more with 200 flags than with 2 (a page without an unscheduled flag skips the
    # plans, one without deadline flags skips the explanations).
    assert all(m <= f for m, f in zip(many, few, strict=True)), (few, many)
    assert max(many) <= 10


# --- the digest preference -----------------------------------------------------------------


def test_a_user_opts_in_and_out_of_the_digest(app, court):
    moreno = signed_in(app, "moreno@defense.test")
    page = text(moreno.get("/flags/digest"))
    assert "moreno@defense.test" in page
    assert "the cases where you are counsel of record" in page  # what the email contains
    assert "Email is not switched on" in page  # MAIL_ENABLED is off by default

    response = moreno.post("/flags/digest", data={"opt_in": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, court.attorney_user.id).digest_opt_in is True
    assert "You will receive the morning digest" in text(moreno.get("/flags/digest"))
    assert "checked" in moreno.get("/flags/digest").get_data(as_text=True)

    moreno.post("/flags/digest", data={})
    db.session.expire_all()
    assert db.session.get(User, court.attorney_user.id).digest_opt_in is False
    audits = db.session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.action == "user.digest_preference")
    ).all()
    assert [a.after for a in audits] == [{"digest_opt_in": True}, {"digest_opt_in": False}]
    assert {a.user_id for a in audits} == {court.attorney_user.id}

    clerk_page = text(signed_in(app, "clerk@cir1.test").get("/flags/digest"))
    assert "how many hearings are set in each courtroom" in clerk_page


def test_the_digest_preference_needs_the_forms_csrf_token(app, court):
    moreno = signed_in(app, "moreno@defense.test")
    app.config["WTF_CSRF_ENABLED"] = True
    refused = moreno.post("/flags/digest", data={"opt_in": "y"})
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, court.attorney_user.id).digest_opt_in is False
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"',
        moreno.get("/flags/digest").get_data(as_text=True),
    ).group(1)
    assert (
        moreno.post("/flags/digest", data={"opt_in": "y", "csrf_token": token}).status_code == 302
    )
    db.session.expire_all()
    assert db.session.get(User, court.attorney_user.id).digest_opt_in is True


def test_signed_out_visitors_are_sent_to_sign_in(app, court):
    client = isolated_client(app)
    for path in ("/flags/", "/flags/mine", "/flags/digest"):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]

"""The judges' reports (issue 8). Each measure on a small court whose right answer is worked
out by hand in the test's docstring, on SQLite and PostgreSQL; the CSV equals the table; the
filters narrow; attorneys are refused.

The court's "today" is fixed at Tue Jun 30, 2026 for every test (the report views read it
from `docket.reports.views.court_today`)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from docket.extensions import db
from docket.models import CaseEvent, Deadline, Hearing, HearingSetting, TollingPeriod
from docket.reports import service
from docket.reports.service import Filters
from tests.conftest import sign_in
from tests.factories import case as make_case

TODAY = date(2026, 6, 30)
_numbers = iter(range(100, 10_000))


@pytest.fixture(autouse=True)
def _reports(app, monkeypatch):
    """The fixed court date."""
    monkeypatch.setattr("docket.reports.views.court_today", lambda: TODAY)


def add_case(
    court,
    judge,
    filed_on,
    *,
    case_type="felony",
    track="standard",
    status="active",
    disposed_on=None,
    sealed=False,
    where=None,
):
    number = f"2026-CR-{next(_numbers):06d}"
    fields = {
        "case_type": case_type,
        "filed_on": filed_on,
        "track": track,
        "status": status,
        "sealed": sealed,
    }
    if status == "disposed":
        fields.update(disposition_type="guilty_plea", disposition_date=disposed_on)
    row = make_case(where or court.court, number, f"Case{number[-4:]}", judge, **fields)
    db.session.flush()
    return row


def event(row, event_type, on):
    db.session.add(CaseEvent(case_id=row.id, event_type=event_type, occurred_on=on))


def filters(court, **fields):
    values = {
        "court_id": court.court.id,
        "today": TODAY,
        "start": date(2026, 1, 1),
        "end": TODAY,
        **fields,
    }
    return Filters(**values)


def at(day: date, hour: int = 15) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def trial(court, row, judge, settings, *, status, hearing_type="trial"):
    """A hearing with its settings: [(day, ended, requester, reason)]; the last is current."""
    last_day = settings[-1][0]
    requester = next((s[2] for s in reversed(settings) if s[1] == "continued"), None)
    hearing = Hearing(
        case_id=row.id,
        hearing_type=hearing_type,
        starts_at=at(last_day),
        ends_at=at(last_day) + timedelta(hours=1),
        courtroom_id=court.courtroom.id,
        judge_id=judge.id,
        status=status,
        setting_count=len(settings),
        continuance_requester=requester if status == "continued" else None,
    )
    db.session.add(hearing)
    db.session.flush()
    for number, (day, ended, requester, reason) in enumerate(settings, start=1):
        db.session.add(
            HearingSetting(
                hearing_id=hearing.id,
                case_id=row.id,
                hearing_type=hearing_type,
                number=number,
                starts_at=at(day),
                ends_at=at(day) + timedelta(hours=1),
                courtroom_id=court.courtroom.id,
                judge_id=judge.id,
                ended=ended,
                continuance_requester=requester,
                continuance_reason=reason,
            )
        )
    return hearing


def page_table(html: str) -> list[list[str]]:
    """The report table's header and rows as text, read from the page."""
    table = html.split('id="report-table"', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", cell).strip().replace("&amp;", "&") for cell in cells])
    return rows


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


# --- Measure 4 -------------------------------------------------------------------------------


def age_court(court):
    """Today Jun 30, 2026. Active cases and their ages (days since filing, less excluded):
    - rivera (Okafor), ortiz (Lind): filed Mar 2, 2026: 120 days -> 91-180.
    - A (Okafor, felony): filed Jun 1, 2026: 29 -> 0-90.
    - B (Okafor, misdemeanor): filed Jun 30, 2025: 365 -> 181-365 (365 is inclusive).
    - C (Okafor, felony): filed Jun 29, 2025: 366, less a warrant outstanding Sep 1 to Oct 1,
      2025 (30 days): 336 -> 181-365 (366 -> over 365 when warrant periods are not excluded).
    - D (Lind, complex): filed Jan 1, 2025: 545, less competency proceedings Mar 1-31, 2025
      (31 days, the last included): 514 -> over 365.
    - G (Lind, sealed): filed May 1, 2026: 60 -> 0-90. Counted (sealed cases count).
    Not counted: E (Lind) inactive (warrant outstanding); F disposed; H in the other court.
    Okafor [0-90, 91-180, 181-365, >365] = [1, 1, 2, 0], 4 pending; Lind [1, 1, 0, 1], 3.
    Court [2, 2, 2, 1] = 7, 1 of 7 over 365 = 14.3%.
    Ages sorted 29, 60, 120, 120, 336, 365, 514: median rank 4 = 120; 90th percentile at
    h = 0.9 x 6 = 5.4: 365 + 0.4 x (514 - 365) = 424.6. Okafor 29, 120, 336, 365: median
    h = 1.5: 120 + 0.5 x 216 = 228.0; p90 h = 2.7: 336 + 0.7 x 29 = 356.3. Lind 60, 120, 514:
    median 120.0, p90 h = 1.8: 120 + 0.8 x 394 = 435.2."""
    okafor, lind = court.judge_okafor, court.judge_lind
    add_case(court, okafor, date(2026, 6, 1))
    add_case(court, okafor, date(2025, 6, 30), case_type="misdemeanor")
    c = add_case(court, okafor, date(2025, 6, 29))
    event(c, "bench_warrant_issued", date(2025, 9, 1))
    event(c, "warrant_returned", date(2025, 10, 1))
    d = add_case(court, lind, date(2025, 1, 1), track="complex")
    db.session.add(
        TollingPeriod(
            case_id=d.id,
            code="r8_4a_competency",
            reason="exam",
            starts_on=date(2025, 3, 1),
            ends_on=date(2025, 3, 31),
        )
    )
    e = add_case(court, lind, date(2025, 1, 1), status="inactive")
    event(e, "bench_warrant_issued", date(2025, 2, 1))
    add_case(court, lind, date(2025, 1, 1), status="disposed", disposed_on=date(2026, 1, 5))
    add_case(court, lind, date(2026, 5, 1), sealed=True)
    far = add_case(court, lind, date(2024, 1, 1), where=court.other_court)
    far.assigned_judge_id = None
    db.session.commit()


def test_case_age_by_judge_worked_by_hand(court):
    age_court(court)
    report = service.case_age(filters(court, group="judge"))
    assert report.table.columns[:6] == [
        "Judge",
        "0–90 days",
        "91–180 days",
        "181–365 days",
        "over 365 days",
        "Pending",
    ]
    assert report.table.rows == [
        ["Adaeze Okafor", 1, 1, 2, 0, 4, 0.0, 228.0, 356.3],
        ["Peter Lind", 1, 1, 0, 1, 3, 33.3, 120.0, 435.2],
    ]
    assert report.table.total == ["All cases", 2, 2, 2, 1, 7, 14.3, 120.0, 424.6]
    assert "<svg" in report.chart and report.chart.count('class="bar"') == 8


def test_case_age_by_track_and_type_and_without_exclusions(app, court):
    age_court(court)
    by_track = service.case_age(filters(court, group="track"))
    assert [row[:6] for row in by_track.table.rows] == [
        ["Complex", 0, 0, 0, 1, 1],
        ["Standard", 2, 2, 2, 0, 6],
    ]
    by_type = service.case_age(filters(court, group="case_type", judge_id=court.judge_okafor.id))
    assert [row[:6] for row in by_type.table.rows] == [
        ["Felony", 1, 1, 1, 0, 3],
        ["Misdemeanor", 0, 0, 1, 0, 1],
    ]
    app.config.update(REPORT_EXCLUDE_WARRANT_PERIODS=False, REPORT_EXCLUDE_COMPETENCY=False)
    plain = service.case_age(filters(court, group="judge"))
    # C is 366 days old and D 545 without their excluded periods: both over 365.
    assert [row[1:6] for row in plain.table.rows] == [[1, 1, 1, 1, 4], [1, 1, 0, 1, 3]]
    app.config["REPORT_AGE_BUCKETS"] = [30, 365]
    coarse = service.case_age(filters(court))
    assert coarse.table.columns[1:4] == ["0–30 days", "31–365 days", "over 365 days"]
    assert coarse.table.total[1:5] == [1, 4, 2, 7]  # 29 | 60 120 120 365 | 366 545


def test_case_age_page_csv_equals_table_and_filters_narrow(client, court):
    age_court(court)
    sign_in(client, "okafor@cir1.test")
    page = client.get("/reports/case-age")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html and "Age of active pending caseload" in html
    shown = page_table(html)
    exported = client.get("/reports/case-age/export.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    assert csv_rows(exported) == shown
    assert shown[-1] == ["All cases", "2", "2", "2", "1", "7", "14.3", "120.0", "424.6"]

    lind = f"/reports/case-age?judge_id={court.judge_lind.id}&group=case_type"
    narrowed = page_table(client.get(lind).get_data(as_text=True))
    assert narrowed[1:] == [
        ["Felony", "1", "1", "0", "1", "3", "33.3", "120.0", "435.2"],
        ["All cases", "1", "1", "0", "1", "3", "33.3", "120.0", "435.2"],
    ]
    assert csv_rows(client.get(lind.replace("case-age?", "case-age/export.csv?"))) == narrowed
    printed = client.get(lind.replace("case-age?", "case-age/print?")).get_data(as_text=True)
    assert page_table(printed) == narrowed and 'aria-label="Main"' not in printed
    assert "Judge: Hon. Peter Lind" in printed


# --- Measure 3 -------------------------------------------------------------------------------


def disposition_court(court):
    """Disposed Jan 1 - Jun 30, 2026 (days from filing to disposition, less excluded):
    felonies (standards 90/180/365 days, goals 75/90/98%):
    - T1 (Okafor) filed Jan 1, disposed Feb 15, 2026: 45 days.
    - T2 (Okafor) filed Nov 1, 2025, disposed Mar 1, 2026: 120.
    - T3 (Lind) filed Jul 1, 2025, disposed Apr 1, 2026: 274, less a warrant outstanding
      Aug 1 - Dec 1, 2025 (122 days): 152.
    - T4 (Lind) filed Jun 1, 2024, disposed May 1, 2026: 699.
    - T5 disposed Dec 31, 2025: outside the period.
    Within 90: 1 of 4 = 25.0%; 180: 3 = 75.0%; 365: 3 = 75.0%. Sorted 45, 120, 152, 699:
    median h = 1.5: 120 + 0.5 x 32 = 136.0; p90 h = 2.7: 152 + 0.7 x 547 = 534.9.
    misdemeanors (60/90/180 days, goals 75/90/98%):
    - M1 (Okafor) filed Mar 1, disposed Apr 10: 40. M2 (Lind) Jan 10 - May 10: 120.
    Within 60: 1 of 2 = 50.0%; 90: 50.0%; 180: 100.0%. Median 40 + 0.5 x 80 = 80.0;
    p90 40 + 0.9 x 80 = 112.0."""
    okafor, lind = court.judge_okafor, court.judge_lind
    add_case(court, okafor, date(2026, 1, 1), status="disposed", disposed_on=date(2026, 2, 15))
    add_case(court, okafor, date(2025, 11, 1), status="disposed", disposed_on=date(2026, 3, 1))
    t3 = add_case(court, lind, date(2025, 7, 1), status="disposed", disposed_on=date(2026, 4, 1))
    event(t3, "bench_warrant_issued", date(2025, 8, 1))
    event(t3, "warrant_returned", date(2025, 12, 1))
    add_case(court, lind, date(2024, 6, 1), status="disposed", disposed_on=date(2026, 5, 1))
    add_case(court, lind, date(2025, 6, 1), status="disposed", disposed_on=date(2025, 12, 31))
    add_case(
        court,
        okafor,
        date(2026, 3, 1),
        case_type="misdemeanor",
        status="disposed",
        disposed_on=date(2026, 4, 10),
    )
    add_case(
        court,
        lind,
        date(2026, 1, 10),
        case_type="misdemeanor",
        status="disposed",
        disposed_on=date(2026, 5, 10),
    )
    db.session.commit()


def test_time_to_disposition_worked_by_hand(court):
    disposition_court(court)
    report = service.time_to_disposition(filters(court))
    assert report.table.rows == [
        ["Felony", 90, 75, 4, 1, 25.0, 136.0, 534.9],
        ["Felony", 180, 90, 4, 3, 75.0, 136.0, 534.9],
        ["Felony", 365, 98, 4, 3, 75.0, 136.0, 534.9],
        ["Misdemeanor", 60, 75, 2, 1, 50.0, 80.0, 112.0],
        ["Misdemeanor", 90, 90, 2, 1, 50.0, 80.0, 112.0],
        ["Misdemeanor", 180, 98, 2, 2, 100.0, 80.0, 112.0],
    ]


def test_time_to_disposition_by_judge_and_narrowed(court):
    """Okafor: felonies 45, 120 (within 90: 1, 180: 2, 365: 2; median 82.5, p90 112.5);
    misdemeanor 40 alone (median and p90 40.0). Lind: felonies 152, 699 (within 180: 1;
    median 425.5, p90 644.3); misdemeanor 120. From Mar 1: T2, T3, T4 and M1, M2."""
    disposition_court(court)
    report = service.time_to_disposition(filters(court, group="judge"))
    assert report.table.rows[:4] == [
        ["Adaeze Okafor", "Felony", 90, 75, 2, 1, 50.0, 82.5, 112.5],
        ["Adaeze Okafor", "Felony", 180, 90, 2, 2, 100.0, 82.5, 112.5],
        ["Adaeze Okafor", "Felony", 365, 98, 2, 2, 100.0, 82.5, 112.5],
        ["Adaeze Okafor", "Misdemeanor", 60, 75, 1, 1, 100.0, 40.0, 40.0],
    ]
    assert report.table.rows[6:9] == [
        ["Peter Lind", "Felony", 90, 75, 2, 0, 0.0, 425.5, 644.3],
        ["Peter Lind", "Felony", 180, 90, 2, 1, 50.0, 425.5, 644.3],
        ["Peter Lind", "Felony", 365, 98, 2, 1, 50.0, 425.5, 644.3],
    ]
    later = service.time_to_disposition(filters(court, start=date(2026, 3, 1)))
    assert [row[3] for row in later.table.rows] == [3, 3, 3, 2, 2, 2]
    misdemeanors = service.time_to_disposition(filters(court, case_type="misdemeanor"))
    assert [row[0] for row in misdemeanors.table.rows] == ["Misdemeanor"] * 3


def test_time_standards_are_configurable(app, court):
    disposition_court(court)
    app.config["REPORT_TIME_STANDARDS"] = {"felony": [[100, 50]], "misdemeanor": [[30, 50]]}
    report = service.time_to_disposition(filters(court))
    assert report.table.rows == [
        ["Felony", 100, 50, 4, 1, 25.0, 136.0, 534.9],
        ["Misdemeanor", 30, 50, 2, 0, 0.0, 80.0, 112.0],
    ]


# --- Measure 2 -------------------------------------------------------------------------------


def clearance_court(court):
    """Period Apr 1 - May 31, 2026 (rivera and ortiz were filed in March: outside).
    April: filed K1, K2 (Okafor), K3 (Lind); warrant returned in W (Lind, filed 2025) -> incoming
    3 + 1 = 4; disposed K1 (Okafor); warrant issued in K2 (Okafor) -> outgoing 1 + 1 = 2:
    2 / 4 = 50.0%. May: filed K4 (Lind) -> incoming 1; disposed W and K3 (Lind) -> outgoing
    2: 200.0%. Period: 4 out of 5 in = 80.0%.
    Okafor: in 2 (K1, K2), out 2 (K1, warrant K2) = 100.0%. Lind: in 3 (K3, W's return, K4),
    out 2 (K3, W) = 66.7%."""
    okafor, lind = court.judge_okafor, court.judge_lind
    add_case(court, okafor, date(2026, 4, 2), status="disposed", disposed_on=date(2026, 4, 20))
    k2 = add_case(court, okafor, date(2026, 4, 3), status="inactive")
    event(k2, "bench_warrant_issued", date(2026, 4, 25))
    add_case(court, lind, date(2026, 4, 30), status="disposed", disposed_on=date(2026, 5, 5))
    w = add_case(court, lind, date(2025, 9, 1), status="disposed", disposed_on=date(2026, 5, 30))
    event(w, "bench_warrant_issued", date(2025, 10, 1))
    event(w, "warrant_returned", date(2026, 4, 14))
    add_case(court, lind, date(2026, 5, 1))
    db.session.commit()


def test_clearance_rate_by_month_and_judge_worked_by_hand(court):
    clearance_court(court)
    period = {"start": date(2026, 4, 1), "end": date(2026, 5, 31)}
    by_month = service.clearance(filters(court, group="month", **period))
    assert by_month.table.rows == [
        ["Apr 2026", 3, 1, 4, 1, 1, 2, 50.0],
        ["May 2026", 1, 0, 1, 2, 0, 2, 200.0],
    ]
    assert by_month.table.total == ["Period", 4, 1, 5, 3, 1, 4, 80.0]
    by_judge = service.clearance(filters(court, group="judge", **period))
    assert sorted(by_judge.table.rows) == [
        ["Adaeze Okafor", 2, 0, 2, 1, 1, 2, 100.0],
        ["Peter Lind", 2, 1, 3, 2, 0, 2, 66.7],
    ]
    okafor = service.clearance(filters(court, judge_id=court.judge_okafor.id, **period))
    assert okafor.table.total == ["Period", 2, 0, 2, 1, 1, 2, 100.0]


def test_clearance_page_csv_equals_table(client, court):
    clearance_court(court)
    sign_in(client, "clerk@cir1.test")
    url = "/reports/clearance?start=2026-04-01&end=2026-05-31&group=month"
    shown = page_table(client.get(url).get_data(as_text=True))
    assert shown[0][0] == "Month" and shown[-1][-1] == "80.0"
    assert csv_rows(client.get(url.replace("clearance?", "clearance/export.csv?"))) == shown


# --- Measure 5 -------------------------------------------------------------------------------


def trial_court(court):
    """Trials held Apr 1 - Jun 30, 2026:
    - P1 (Okafor): trial set Apr 6 (continued), May 4 (continued), Jun 1 (held): 3rd setting.
    - P2 (Okafor): set May 11, held: 1st.
    - P3 (Lind): a trial set Feb 2 and vacated; a new trial hearing set Apr 20, held: 2nd.
    - P4 (Lind): trial_commenced event May 20, no hearing marked held; its trial settings:
      May 18 (continued) and May 20 (not ended): 2.
    - P5 (Lind): held Mar 2: outside the period.
    Court: 4 trials; 1st 1, 2nd 2, 3rd 1; 3 of 4 on the 1st or 2nd = 75.0%; average
    (3 + 1 + 2 + 2) / 4 = 2.0. Okafor: 2 trials, 1st 1, 3rd 1: 50.0%, average 2.0.
    Lind: 2 trials on the 2nd: 100.0%, average 2.0."""
    okafor, lind = court.judge_okafor, court.judge_lind
    p1, p2 = add_case(court, okafor, date(2025, 9, 1)), add_case(court, okafor, date(2025, 9, 2))
    p3, p4 = add_case(court, lind, date(2025, 9, 3)), add_case(court, lind, date(2025, 9, 4))
    p5 = add_case(court, lind, date(2025, 9, 5))
    trial(
        court,
        p1,
        okafor,
        [
            (date(2026, 4, 6), "continued", "defense", "counsel_unavailable"),
            (date(2026, 5, 4), "continued", "prosecution", "witness_unavailable"),
            (date(2026, 6, 1), "held", None, None),
        ],
        status="held",
    )
    trial(court, p2, okafor, [(date(2026, 5, 11), "held", None, None)], status="held")
    trial(court, p3, lind, [(date(2026, 2, 2), "vacated", None, None)], status="vacated")
    trial(court, p3, lind, [(date(2026, 4, 20), "held", None, None)], status="held")
    trial(
        court,
        p4,
        lind,
        [
            (date(2026, 5, 18), "continued", "court", "court_congestion"),
            (date(2026, 5, 20), None, None, None),
        ],
        status="scheduled",
    )
    event(p4, "trial_commenced", date(2026, 5, 20))
    trial(court, p5, lind, [(date(2026, 3, 2), "held", None, None)], status="held")
    db.session.commit()


def test_trial_date_certainty_worked_by_hand(court):
    trial_court(court)
    period = {"start": date(2026, 4, 1), "end": TODAY}
    report = service.trial_certainty(filters(court, **period))
    assert report.table.rows == []
    assert report.table.total == ["All trials", 4, 1, 2, 1, 0, 0, 75.0, 2.0]
    by_judge = service.trial_certainty(filters(court, group="judge", **period))
    assert by_judge.table.rows == [
        ["Adaeze Okafor", 2, 1, 0, 1, 0, 0, 50.0, 2.0],
        ["Peter Lind", 2, 0, 2, 0, 0, 0, 100.0, 2.0],
    ]
    march = service.trial_certainty(filters(court, start=date(2026, 3, 1), end=date(2026, 3, 31)))
    assert march.table.total == ["All trials", 1, 1, 0, 0, 0, 0, 100.0, 1.0]


# --- plan compliance and continuances ---------------------------------------------------------


def deadline(row, item_id, name, status, due_on, satisfied_on=None):
    db.session.add(
        Deadline(
            case_id=row.id,
            kind="stage",
            item_id=item_id,
            name=name,
            plan_version="test",
            status=status,
            due_on=due_on,
            satisfied_on=satisfied_on,
            computed_for=TODAY,
        )
    )


def compliance_court(court):
    """Stage deadlines due Apr 1 - Jun 30, 2026 (today Jun 30):
    Arraignment: met, met (ortiz), met late 5 days (due Apr 10, met Apr 15), missed ->
    2 / 4 = 50.0% met; median days late 5.0.
    Pretrial: met late 3 (due May 1, met May 4; ortiz) and 10 days (May 1 -> May 11), pending
    due Jun 1 (overdue now), pending due Jun 30 (not overdue: due today), not applicable ->
    5 due, 0 / 2 = 0.0% met, 2 pending, 1 overdue, median late (3, 10) = 6.5.
    Outside: a missed arraignment due Mar 1. All: 9 due, met 2, late 3, missed 1 -> 2 / 6 =
    33.3%; median late of 3, 5, 10 = 5.0. Okafor (rivera) alone: arraignment met, late,
    missed (1 / 3 = 33.3%); pretrial late 10, pending Jun 1 and Jun 30, not applicable."""
    rivera, ortiz = court.rivera, court.ortiz
    deadline(rivera, "arraignment", "Arraignment", "met", date(2026, 4, 10), date(2026, 4, 8))
    deadline(ortiz, "arraignment", "Arraignment", "met", date(2026, 4, 12), date(2026, 4, 12))
    deadline(rivera, "arraignment", "Arraignment", "met_late", date(2026, 4, 10), date(2026, 4, 15))
    deadline(rivera, "arraignment", "Arraignment", "missed", date(2026, 4, 20))
    deadline(
        ortiz, "pretrial", "Pretrial conference", "met_late", date(2026, 5, 1), date(2026, 5, 4)
    )
    deadline(
        rivera, "pretrial", "Pretrial conference", "met_late", date(2026, 5, 1), date(2026, 5, 11)
    )
    deadline(rivera, "pretrial", "Pretrial conference", "pending", date(2026, 6, 1))
    deadline(rivera, "pretrial", "Pretrial conference", "pending", date(2026, 6, 30))
    deadline(rivera, "pretrial", "Pretrial conference", "not_applicable", date(2026, 6, 5))
    deadline(ortiz, "arraignment", "Arraignment", "missed", date(2026, 3, 1))
    db.session.commit()


def test_plan_compliance_worked_by_hand(court):
    compliance_court(court)
    period = {"start": date(2026, 4, 1), "end": TODAY}
    report = service.plan_compliance(filters(court, **period))
    assert report.table.rows == [
        ["Arraignment", 4, 2, 1, 1, 50.0, 0, 0, 5.0],
        ["Pretrial conference", 5, 0, 2, 0, 0.0, 2, 1, 6.5],
    ]
    assert report.table.total == ["All stages", 9, 2, 3, 1, 33.3, 2, 1, 5.0]
    okafor = service.plan_compliance(filters(court, judge_id=court.judge_okafor.id, **period))
    assert okafor.table.rows == [
        ["Arraignment", 3, 1, 1, 1, 33.3, 0, 0, 5.0],
        ["Pretrial conference", 4, 0, 1, 0, 0.0, 2, 1, 10.0],
    ]


def test_continuance_rates_worked_by_hand(court):
    """Settings Apr 1 - Jun 30, 2026 that ended (trial_court's, plus two arraignments):
    trial: P1 Apr 6 continued (defense, counsel unavailable), May 4 continued (prosecution,
    witness unavailable), Jun 1 held; P2 May 11 held; P3 Apr 20 held; P4 May 18 continued
    (court, congestion), May 20 not ended (left out); P3's Feb 2 and P5's Mar 2 are outside.
    -> trial 6 settings, 3 continued = 50.0%.
    arraignment (rivera): Apr 7 continued (defense, discovery incomplete), Apr 14 held ->
    2 settings, 1 continued = 50.0%. All: 8 settings, 4 continued = 50.0%.
    By requester (of all 8): defense 2 = 25.0%, prosecution 1 = 12.5%, court 1 = 12.5%.
    By reason, trials only (of 6): three reasons, 1 each = 16.7%. Lind's settings: P3 Apr 20
    held, P4 May 18 continued -> 1 of 2 = 50.0%."""
    trial_court(court)
    trial(
        court,
        court.rivera,
        court.judge_okafor,
        [
            (date(2026, 4, 7), "continued", "defense", "discovery_incomplete"),
            (date(2026, 4, 14), "held", None, None),
        ],
        status="held",
        hearing_type="arraignment",
    )
    db.session.commit()
    period = {"start": date(2026, 4, 1), "end": TODAY}
    by_type = service.continuances(filters(court, group="hearing_type", **period))
    assert by_type.table.rows == [["Arraignment", 1, 2, 50.0], ["Trial", 3, 6, 50.0]]
    assert by_type.table.total == ["All", 4, 8, 50.0]
    by_requester = service.continuances(filters(court, group="requester", **period))
    assert by_requester.table.rows == [
        ["Prosecution", 1, 8, 12.5],
        ["Defense", 2, 8, 25.0],
        ["Court", 1, 8, 12.5],
    ]
    by_reason = service.continuances(filters(court, group="reason", hearing_type="trial", **period))
    assert by_reason.table.rows == [
        ["Counsel unavailable", 1, 6, 16.7],
        ["Witness unavailable", 1, 6, 16.7],
        ["Court congestion", 1, 6, 16.7],
    ]
    lind = service.continuances(filters(court, judge_id=court.judge_lind.id, **period))
    assert lind.table.rows == [["Trial", 1, 2, 50.0]]


# --- access, every page, the dashboard --------------------------------------------------------


@pytest.mark.parametrize("email", ["okafor@cir1.test", "clerk@cir1.test", "admin@cir1.test"])
def test_staff_of_the_court_see_every_report(client, court, email):
    sign_in(client, email)
    assert client.get("/reports/").status_code == 200
    for slug in service.REPORTS:
        page = client.get(f"/reports/{slug}")
        assert page.status_code == 200, slug
        html = page.get_data(as_text=True)
        assert "<svg" in html and 'id="report-table"' in html, slug
        exported = client.get(f"/reports/{slug}/export.csv")
        assert csv_rows(exported) == page_table(html), slug
        assert client.get(f"/reports/{slug}/print").status_code == 200


def test_attorneys_are_refused(client, court):
    sign_in(client, "moreno@defense.test")
    for url in (
        "/reports/",
        "/reports/case-age",
        "/reports/clearance/export.csv",
        "/reports/case-age/print",
    ):
        assert client.get(url).status_code == 403, url


def test_signed_out_is_sent_to_sign_in(client, court):
    assert client.get("/reports/case-age").status_code == 302


def test_each_court_sees_its_own_cases(client, court):
    """The other court's clerk sees none of CIR1's cases; CIR1's judges are not choices."""
    age_court(court)
    sign_in(client, "clerk@cir2.test")
    shown = page_table(client.get("/reports/case-age?group=").get_data(as_text=True))
    assert shown[-1][:6] == ["All cases", "0", "0", "0", "1", "1"]
    refused = client.get(f"/reports/case-age?judge_id={court.judge_okafor.id}")
    assert "Not a valid choice" in refused.get_data(as_text=True)


def test_bad_filters_are_named_and_the_csv_refused(client, court):
    sign_in(client, "clerk@cir1.test")
    page = client.get("/reports/clearance?start=2026-05-01&end=2026-04-01")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "The last day is before the first day of the period." in html
    bad = client.get("/reports/clearance/export.csv?start=2026-05-01&end=2026-04-01")
    assert bad.status_code == 400
    assert "The last day is before the first day" in bad.get_data(as_text=True)
    assert client.get("/reports/no-such-report").status_code == 404


def test_judge_landing_page_shows_own_figures(client, court, monkeypatch):
    """Okafor's own (age_court): pending [1, 1, 2, 0]; rivera has a pending stage overdue
    (due Jun 1); this month (Jun 2026): filed A (Jun 1) -> incoming 1, outgoing 0."""
    age_court(court)
    deadline(court.rivera, "pretrial", "Pretrial conference", "pending", date(2026, 6, 1))
    deadline(court.ortiz, "pretrial", "Pretrial conference", "pending", date(2026, 6, 1))
    db.session.commit()
    monkeypatch.setattr("docket.dashboard.service.court_today", lambda: TODAY)
    figures = service.judge_figures(court.court.id, court.judge_okafor.id, TODAY)
    assert figures["buckets"] == [("0–90", 1), ("91–180", 1), ("181–365", 2), ("over 365", 0)]
    assert (figures["pending"], figures["incoming"], figures["outgoing"]) == (4, 1, 0)
    assert figures["clearance"] == 0.0 and figures["overdue_stages"] == 1
    sign_in(client, "okafor@cir1.test")
    html = client.get("/").get_data(as_text=True)
    assert "Your pending cases by age" in html and "/reports/case-age" in html

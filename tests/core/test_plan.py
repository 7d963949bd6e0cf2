"""The plan file format (docket/core/plan.py): the shipped plans, track assignment, and that
every malformed plan gives a PlanError whose issues name the line and field, never a
traceback. Pure: no app, no database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docket.core.calendar_math import CALENDAR_DAYS, COURT_DAYS, MONTHS
from docket.core.plan import BEFORE, LATEST, Period, Plan, PlanError, load_plan, parse_plan

RULES = Path(__file__).resolve().parents[2] / "rules"
FEDERAL = RULES / "us-district-sta-2026.toml"
STATE = RULES / "state-dcm-2026.toml"

MINIMAL = """\
[plan]
id = "mini"
name = "Minimal plan"
citation = "Test"
court = "Test court"
effective = 2026-01-01
time_zone = "America/New_York"

[plan.holidays]
country = "US"

[[tracks]]
id = "standard"
name = "Standard"

[[excludable]]
code = "h1D"
name = "Motion"
citation = "18 U.S.C. 3161(h)(1)(D)"

[[stages]]
id = "arraignment"
name = "Arraignment"
trigger = { events = ["indictment_filed"] }
period = { days = 14 }
satisfied_by = ["arraignment_held"]

[[clocks]]
id = "trial"
name = "Trial"
citation = "18 U.S.C. 3161(c)(1)"
start = { events = ["indictment_filed"] }
limit_days = 70
stop = ["trial_commenced"]
"""


def issues_of(text: str):
    with pytest.raises(PlanError) as caught:
        parse_plan(text)
    return caught.value.issues


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = [n for n, line in enumerate(text.split("\n"), 1) if needle in line]
    return lines[occurrence - 1]


# --- the shipped plans ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def federal() -> Plan:
    return load_plan(FEDERAL)


@pytest.fixture(scope="module")
def state() -> Plan:
    return load_plan(STATE)


def test_every_shipped_plan_loads():
    shipped = sorted(RULES.glob("*.toml"))
    assert {p.name for p in shipped} >= {FEDERAL.name, STATE.name}
    for path in shipped:
        assert isinstance(load_plan(path), Plan)


def test_minimal_plan_loads():
    plan = parse_plan(MINIMAL)
    assert plan.id == "mini" and plan.stages[0].period == Period(14, CALENDAR_DAYS)
    assert plan.holidays.categories == ("public",)


def test_federal_metadata_and_holidays(federal):
    assert "3161" in federal.citation
    assert federal.holidays.country == "US" and federal.holidays.subdivision is None
    assert federal.holidays.categories == ("public", "government")


def test_federal_indictment_clock(federal):
    clock = next(c for c in federal.clocks if c.id == "indictment")
    assert clock.start.sources == ("arrest", "summons_served")
    assert clock.start.pick == "earliest"
    assert clock.limit_days == 30
    assert {"indictment_filed", "information_filed"} <= set(clock.stop_events)
    assert "b_grand_jury" in clock.excludable


def test_federal_trial_clock_is_70_days_from_the_latest(federal):
    clock = next(c for c in federal.clocks if c.id == "trial")
    assert clock.limit_days == 70
    assert set(clock.start.sources) == {
        "indictment_filed",
        "information_filed",
        "initial_appearance",
    }
    assert clock.start.pick == LATEST
    assert clock.start.requires == (
        ("indictment_filed", "information_filed"),
        ("initial_appearance",),
    )
    assert set(clock.stop_events) == {"trial_commenced", "dismissed", "plea_entered"}
    assert clock.roll is True
    assert clock.codefendants == "latest"
    assert {r.event for r in clock.restarts} == {
        "mistrial_declared",
        "new_trial_granted",
        "plea_withdrawn",
    }
    assert "superseding_indictment_filed" not in {r.event for r in clock.restarts}
    assert all(r.limit_days is None for r in clock.restarts)  # the clock's own 70 days
    assert clock.minimum.days == 30
    assert clock.minimum.source == "initial_appearance"
    assert clock.minimum.waived_by == ("speedy_trial_waiver_filed",)
    assert "b_grand_jury" not in clock.excludable  # 3161(b) extends only the indictment clock


def test_federal_excludable_categories(federal):
    codes = {c.code for c in federal.excludable}
    assert {"h1A", "h1B", "h1C", "h1D", "h1E", "h1F", "h1G", "h1H"} <= codes
    assert {"h2", "h3A", "h4", "h5", "h6", "h7A", "h8"} <= codes
    assert federal.excludable_category("h1H").max_days == 30
    assert federal.excludable_category("h6").shared_by_codefendants
    # the CM/ECF letter is an alias of the statutory code
    assert federal.excludable_category("XE").code == "h1D"
    assert federal.excludable_category("XT").code == "h7A"
    assert federal.excludable_category("XA").code == "h1A"
    assert federal.excludable_category("nope") is None


def test_federal_stages_and_documents(federal):
    stages = {s.id: s for s in federal.stages}
    assert list(stages) == [
        "arraignment",
        "discovery",
        "pretrial_motions",
        "trial",
        "pretrial_conference",
        "sentencing",
    ]
    assert stages["arraignment"].hearing_type == "arraignment"
    assert stages["trial"].period_for("standard") == Period(70, CALENDAR_DAYS)
    assert stages["trial"].period_for("complex") == Period(180, CALENDAR_DAYS)
    assert stages["pretrial_conference"].trigger.sources == ("stage:trial",)
    assert stages["pretrial_conference"].direction == BEFORE
    assert stages["sentencing"].period == Period(90, CALENDAR_DAYS)
    assert stages["sentencing"].hearing_type == "sentencing"
    docs = {d.id: d for d in federal.documents}
    assert docs["government_rule16_disclosure"].trigger.sources == ("arraignment_held",)
    assert docs["motion_response"].period == Period(14, CALENDAR_DAYS)
    assert docs["motion_response"].trigger.sources == ("motion_filed",)
    assert docs["exhibit_lists"].trigger.sources == ("hearing:trial",)
    assert docs["exhibit_lists"].direction == BEFORE
    assert docs["exhibit_lists"].period == Period(7, CALENDAR_DAYS)


def test_state_plan_clock_depends_on_custody_and_track(state):
    assert state.holidays.country == "US" and state.holidays.subdivision == "AZ"
    (clock,) = state.clocks
    assert clock.start.sources == ("arraignment_held",)
    assert clock.limit_in_custody == 150
    assert clock.limit_released == 180
    assert dict(clock.limits_by_track) == {"complex": 270}
    assert clock.limit_for("standard", "in_custody") == 150
    assert clock.limit_for("standard", "released") == 180
    assert clock.limit_for("expedited", "in_custody") == 150
    assert clock.limit_for("complex", "in_custody") == 270
    assert clock.limit_for("complex", "released") == 270
    assert clock.limit_for("standard", None) == 150
    restarts = {r.event: r.limit_days for r in clock.restarts}
    assert restarts["mistrial_declared"] == 60
    assert restarts["new_trial_granted"] == 60
    assert clock.floor_days_after_exclusion == 30
    assert set(clock.floor_codes) <= {c.code for c in state.excludable}


def test_state_plan_stages_by_track_and_custody(state):
    stages = {s.id: s for s in state.stages}
    arraignment = stages["arraignment"]
    assert arraignment.period_for("standard", "in_custody") == Period(10, CALENDAR_DAYS)
    assert arraignment.period_for("standard", "released") == Period(30, CALENDAR_DAYS)
    assert arraignment.period_for("standard") == Period(10, CALENDAR_DAYS)
    trial = stages["trial"]
    assert trial.period_for("expedited", "in_custody") == Period(60, CALENDAR_DAYS)
    assert trial.period_for("standard", "in_custody") == Period(150, CALENDAR_DAYS)
    assert trial.period_for("standard", "released") == Period(180, CALENDAR_DAYS)
    assert trial.period_for("complex", "released") == Period(270, CALENDAR_DAYS)
    assert [
        stages["discovery"].period_for(t).amount for t in ("expedited", "standard", "complex")
    ] == [30, 45, 90]
    assert [
        stages["motions"].period_for(t).amount for t in ("expedited", "standard", "complex")
    ] == [35, 60, 120]
    assert [
        stages["pretrial_conference"].period_for(t).amount
        for t in ("expedited", "standard", "complex")
    ] == [45, 90, 180]
    assert [
        stages["sentencing"].period_for(t).amount for t in ("expedited", "standard", "complex")
    ] == [45, 45, 60]


@pytest.mark.parametrize(
    ("case_type", "custody", "designation", "track"),
    [
        ("felony", "in_custody", None, "standard"),
        ("felony", "released", None, "standard"),
        ("misdemeanor", "in_custody", None, "expedited"),
        ("misdemeanor", "released", None, "standard"),
        ("misdemeanor", "at_large", None, "standard"),
        ("felony", "in_custody", "complex", "complex"),
        ("misdemeanor", "in_custody", "complex", "complex"),
        ("felony", "released", "other", "standard"),
    ],
)
def test_state_assign_track(state, case_type, custody, designation, track):
    assert state.assign_track(case_type, custody, designation) == track


def test_federal_assign_track(federal):
    assert federal.assign_track("felony", "in_custody") == "standard"
    assert federal.assign_track("felony", "released", "complex") == "complex"


def test_period_units():
    text = MINIMAL.replace("period = { days = 14 }", "period = { court_days = 10 }")
    assert parse_plan(text).stages[0].period == Period(10, COURT_DAYS)
    text = MINIMAL.replace("period = { days = 14 }", "period = { months = 6 }")
    assert parse_plan(text).stages[0].period == Period(6, MONTHS)


# --- errors name their line and field -------------------------------------------------------


def assert_issue(text: str, needle: str, field: str, words: str, occurrence: int = 1):
    issues = issues_of(text)
    expected_line = line_of(text, needle, occurrence)
    matching = [i for i in issues if i.field == field and words in i.message]
    assert matching, issues
    assert matching[0].line == expected_line, (matching[0], expected_line)
    assert f"line {expected_line}: {field}:" in str(matching[0])


def test_unknown_event_in_trigger():
    text = MINIMAL.replace(
        'trigger = { events = ["indictment_filed"] }', 'trigger = { events = ["indicted"] }'
    )
    assert_issue(text, "indicted", "stages[0].trigger.events", "unknown event 'indicted'")


def test_unknown_event_in_satisfied_by():
    text = MINIMAL.replace('satisfied_by = ["arraignment_held"]', 'satisfied_by = ["arraigned"]')
    assert_issue(text, "arraigned", "stages[0].satisfied_by", "unknown event 'arraigned'")


def test_unknown_event_in_clock_stop():
    text = MINIMAL.replace('stop = ["trial_commenced"]', 'stop = ["trial_started"]')
    assert_issue(text, "trial_started", "clocks[0].stop", "unknown event")


def test_unknown_event_in_restart():
    text = MINIMAL + 'restarts = [{ event = "retrial" }]\n'
    assert_issue(text, "retrial", "clocks[0].restarts[0].event", "unknown event 'retrial'")


def test_restart_event_of_the_wrong_type_is_an_error_not_a_crash():
    text = MINIMAL + "restarts = [{ event = [1, 2] }, 3]\n"
    issues = issues_of(text)
    assert {i.field for i in issues} == {"clocks[0].restarts[0].event", "clocks[0].restarts[1]"}
    assert all(i.line == line_of(text, "restarts") for i in issues)


def test_unknown_hearing_type():
    text = MINIMAL.replace(
        'satisfied_by = ["arraignment_held"]',
        'satisfied_by = ["arraignment_held"]\nhearing_type = "arraignment_hearing"',
    )
    assert_issue(text, "arraignment_hearing", "stages[0].hearing_type", "unknown hearing type")


def test_unknown_hearing_type_in_a_trigger():
    text = MINIMAL.replace(
        'events = ["indictment_filed"] }\nperiod', 'events = ["hearing:jury"] }\nperiod'
    )
    assert_issue(text, "hearing:jury", "stages[0].trigger.events", "unknown hearing type")


def test_unknown_track():
    text = MINIMAL.replace(
        'satisfied_by = ["arraignment_held"]',
        'satisfied_by = ["arraignment_held"]\ntracks = ["fast"]',
    )
    assert_issue(text, 'tracks = ["fast"]', "stages[0].tracks", "unknown track 'fast'")


def test_unknown_track_in_period_by_track():
    text = MINIMAL.replace(
        "period = { days = 14 }",
        "period = { days = 14 }\nperiod_by_track = { fast = { days = 3 } }",
    )
    assert_issue(text, "period_by_track", "stages[0].period_by_track.fast", "unknown track")


def test_unknown_track_in_clock_limits():
    text = MINIMAL + "limit_days_by_track = { fast = 30 }\n"
    assert_issue(text, "limit_days_by_track", "clocks[0].limit_days_by_track.fast", "unknown track")


def test_unknown_excludable_code():
    text = MINIMAL + 'excludable = ["h1D", "XZ"]\n'
    assert_issue(text, '"XZ"', "clocks[0].excludable", "unknown excludable code 'XZ'")


def test_negative_period():
    text = MINIMAL.replace("period = { days = 14 }", "period = { days = -7 }")
    assert_issue(text, "days = -7", "stages[0].period.days", "0 or more")


def test_missing_period():
    text = MINIMAL.replace("period = { days = 14 }\n", "")
    assert_issue(text, "[[stages]]", "stages[0].period", "is missing")


def test_unknown_period_unit():
    text = MINIMAL.replace("period = { days = 14 }", "period = { weeks = 2 }")
    assert_issue(text, "weeks", "stages[0].period.weeks", "unknown unit")


def test_absurd_period_is_an_error():
    text = MINIMAL.replace("period = { days = 14 }", "period = { days = 99999999 }")
    assert_issue(text, "99999999", "stages[0].period.days", "at most")


def test_zero_clock_limit():
    text = MINIMAL.replace("limit_days = 70", "limit_days = 0")
    assert_issue(text, "limit_days = 0", "clocks[0].limit_days", "at least 1")


def test_missing_required_field():
    text = MINIMAL.replace("limit_days = 70\n", "")
    assert_issue(text, "[[clocks]]", "clocks[0].limit_days", "is missing")


STAGE_CYCLE = """
[[stages]]
id = "a"
name = "A"
trigger = { events = ["stage:b"] }
period = { days = 1 }
satisfied_by = ["motion_filed"]

[[stages]]
id = "b"
name = "B"
trigger = { events = ["stage:a"] }
period = { days = 1 }
satisfied_by = ["motion_filed"]
"""


def test_cycle_between_stages():
    text = MINIMAL + STAGE_CYCLE
    issues = [i for i in issues_of(text) if "cycle" in i.message]
    assert len(issues) == 1
    assert "a -> b -> a" in issues[0].message or "b -> a -> b" in issues[0].message
    assert issues[0].field in ("stages[1].trigger", "stages[2].trigger")
    assert issues[0].line in (line_of(text, '"stage:b"'), line_of(text, '"stage:a"'))


def test_stage_depending_on_itself():
    text = MINIMAL.replace(
        'events = ["indictment_filed"] }\nperiod', 'events = ["stage:arraignment"] }\nperiod'
    )
    assert_issue(text, "stage:arraignment", "stages[0].trigger", "cycle")


def test_unknown_stage_in_a_trigger():
    text = MINIMAL.replace(
        'events = ["indictment_filed"] }\nperiod', 'events = ["stage:nowhere"] }\nperiod'
    )
    assert_issue(text, "stage:nowhere", "stages[0].trigger.events", "unknown stage")


def test_duplicate_ids():
    text = MINIMAL + MINIMAL[MINIMAL.index("[[stages]]") : MINIMAL.index("[[clocks]]")]
    assert_issue(text, 'id = "arraignment"', "stages[1].id", "defined twice", occurrence=2)


def test_duplicate_track_and_code():
    text = MINIMAL + '\n[[tracks]]\nid = "standard"\n\n[[excludable]]\ncode = "x"\nalias = "h1D"\n'
    assert_issue(text, 'id = "standard"', "tracks[1].id", "defined twice", occurrence=2)
    assert_issue(text, 'alias = "h1D"', "excludable[1].alias", "defined twice")


def test_same_id_for_a_stage_and_a_clock_is_allowed():
    text = MINIMAL.replace('id = "trial"', 'id = "arraignment"')
    assert parse_plan(text).clocks[0].id == "arraignment"


def test_bad_toml_syntax_names_its_line():
    text = MINIMAL.replace("limit_days = 70", "limit_days = = 70")
    issues = issues_of(text)
    assert len(issues) == 1
    assert issues[0].field == "syntax"
    assert issues[0].line == line_of(text, "limit_days = = 70")


@pytest.mark.parametrize(
    ("old", "new", "field", "needle"),
    [
        ("limit_days = 70", 'limit_days = "70"', "clocks[0].limit_days", "limit_days"),
        ("limit_days = 70", "limit_days = 70.5", "clocks[0].limit_days", "limit_days"),
        ("limit_days = 70", "limit_days = true", "clocks[0].limit_days", "limit_days"),
        ('name = "Minimal plan"', "name = 3", "plan.name", "name = 3"),
        ("effective = 2026-01-01", 'effective = "2026-01-01"', "plan.effective", "effective"),
        (
            "effective = 2026-01-01",
            "effective = 2026-01-01T09:00:00",
            "plan.effective",
            "effective",
        ),
        ('stop = ["trial_commenced"]', "stop = [1]", "clocks[0].stop", "stop"),
        (
            'satisfied_by = ["arraignment_held"]',
            'satisfied_by = ["arraignment_held"]\nroll = "yes"',
            "stages[0].roll",
            "roll",
        ),
        ('country = "US"', "country = 1", "plan.holidays.country", "country"),
    ],
)
def test_wrong_types(old, new, field, needle):
    text = MINIMAL.replace(old, new)
    issues = issues_of(text)
    matching = [i for i in issues if i.field == field]
    assert matching, issues
    assert matching[0].line == line_of(text, needle)


def test_unknown_time_zone():
    for zone in ("Mars/Olympus_Mons", "America", ""):
        text = MINIMAL.replace('"America/New_York"', f'"{zone}"')
        assert_issue(text, "time_zone", "plan.time_zone", "not an IANA time zone")


def test_unknown_holiday_calendar():
    text = MINIMAL.replace('country = "US"', 'country = "US"\nsubdivision = "ZZ"')
    assert_issue(text, "[plan.holidays]", "plan.holidays", "holiday")
    text = MINIMAL.replace('country = "US"', 'country = "US"\ncategories = ["bogus"]')
    assert_issue(text, "[plan.holidays]", "plan.holidays", "holiday")


def test_closures():
    good = MINIMAL.replace(
        'country = "US"', 'country = "US"\nclosures = [{ date = 2026-02-02, reason = "Snow" }]'
    )
    assert parse_plan(good).holidays.closures[0].reason == "Snow"
    bad = MINIMAL.replace('country = "US"', 'country = "US"\nclosures = [{ date = "soon" }]')
    assert_issue(bad, "closures", "plan.holidays.closures[0]", "needs a date")


def test_unknown_field_is_a_typo():
    text = MINIMAL.replace("satisfied_by", "satisifed_by")
    issues = issues_of(text)
    typo = next(i for i in issues if i.field == "stages[0].satisifed_by")
    assert "unknown field" in typo.message and typo.line == line_of(text, "satisifed_by")
    assert any(i.field == "stages[0].satisfied_by" and "missing" in i.message for i in issues)


def test_unknown_case_type_and_custody_in_tracks():
    text = MINIMAL.replace(
        'name = "Standard"', 'name = "Standard"\ncase_types = ["felon"]\ncustody = ["jail"]'
    )
    assert_issue(text, "felon", "tracks[0].case_types", "unknown case type")
    assert_issue(text, "jail", "tracks[0].custody", "unknown custody status")


def test_requires_must_name_trigger_events():
    text = MINIMAL.replace(
        'start = { events = ["indictment_filed"] }',
        'start = { events = ["indictment_filed"], pick = "latest", requires = [["arrest"]] }',
    )
    assert_issue(text, "requires", "clocks[0].start.requires", "groups")


def test_no_tracks_and_every_problem_is_reported():
    text = MINIMAL.replace('[[tracks]]\nid = "standard"\nname = "Standard"\n', "").replace(
        "limit_days = 70", "limit_days = -1"
    )
    issues = issues_of(text)
    fields = {i.field for i in issues}
    assert {"tracks", "clocks[0].limit_days"} <= fields


def test_load_plan_of_a_missing_file(tmp_path):
    with pytest.raises(PlanError) as caught:
        load_plan(tmp_path / "nope.toml")
    assert caught.value.issues[0].field == "file"
    (tmp_path / "binary.toml").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(PlanError):
        load_plan(tmp_path / "binary.toml")


def test_the_shipped_plans_mark_unverified_values():
    for path in (FEDERAL, STATE):
        text = path.read_text()
        assert "[U" in text and "[V]" in text


# --- fuzz: any mutation of a shipped plan gives a Plan or a PlanError -------------------------

SHIPPED_TEXTS = [FEDERAL.read_text(encoding="utf-8"), STATE.read_text(encoding="utf-8")]
TOKEN = re.compile(r'"[^"\n]*"|[A-Za-z_][A-Za-z0-9_:.-]*|-?\d+(?:-\d\d-\d\d)?|[\[\]{}=,]')
REPLACEMENTS = st.sampled_from(
    [
        '""',
        "0",
        "-1",
        "99999999999999999999",
        "true",
        "[]",
        "{}",
        "[[",
        "]]",
        "{",
        "}",
        '"stage:trial"',
        '"hearing:nope"',
        '"entry:nope"',
        "2026-02-30",
        "1979-05-27T07:32:00",
        '"America"',
        '"arrest"',
        "1.5",
        "nan",
        "inf",
        "=",
        ",",
        '"\\u0000"',
        "[1, [2]]",
        "{ days = 1, months = 2 }",
        "{ event = [] }",
        '"latest"',
        '"before"',
        "id",
        "period",
    ]
)


@st.composite
def mutated_plan(draw) -> str:
    lines = draw(st.sampled_from(SHIPPED_TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "token", "bytes"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(draw(st.integers(0, len(lines))), lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "token":
            tokens = list(TOKEN.finditer(lines[i]))
            if tokens:
                token = draw(st.sampled_from(tokens))
                replacement = draw(REPLACEMENTS)
                lines[i] = lines[i][: token.start()] + replacement + lines[i][token.end() :]
        else:
            noise = draw(st.binary(min_size=1, max_size=8)).decode("latin-1")
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + noise + lines[i][at:]
        if not lines:
            lines = [""]
    return "\n".join(lines)


def _parse_never_crashes(text: str) -> None:
    try:
        plan = parse_plan(text, source="fuzz.toml")
    except PlanError as error:
        assert error.issues
        for issue in error.issues:
            assert issue.field and issue.message
            assert issue.line is None or 1 <= issue.line <= text.count("\n") + 1
            str(issue)
    else:
        assert isinstance(plan, Plan)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_plan())
def test_fuzzed_plans_give_a_plan_or_plan_errors(text):
    _parse_never_crashes(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_random_text_gives_a_plan_or_plan_errors(text):
    _parse_never_crashes(text)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300))
def test_random_files_give_plan_errors(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "plan.toml"
    path.write_bytes(data)
    try:
        load_plan(path)
    except PlanError as error:
        assert error.issues


def test_the_readme_example_is_a_valid_plan():
    readme = (RULES / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", readme, re.S).group(1)
    plan = parse_plan(example)
    assert plan.clocks[0].start.requires == (("indictment_filed",), ("initial_appearance",))
    assert plan.stages[1].period == Period(10, COURT_DAYS)


def test_the_readme_lists_every_event():
    from docket.core.vocabulary import EVENT_TYPES, HEARING_TYPES

    readme = (RULES / "README.md").read_text(encoding="utf-8")
    for event in EVENT_TYPES:
        assert f"| `{event}` |" in readme
    for hearing in HEARING_TYPES:
        assert f"`{hearing}`" in readme

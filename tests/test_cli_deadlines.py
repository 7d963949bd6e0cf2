"""`docket deadlines --plan FILE --facts FACTS.json`: deadlines as JSON for another system."""

import json

import pytest
from click.testing import CliRunner

from docket.cli import main
from docket.core.facts_json import FactsError, facts_from_json

FEDERAL = "rules/us-district-sta-2026.toml"

FACTS = {
    "filed": "2026-03-02",
    "track": None,
    "custody": "in_custody",
    "today": "2026-05-01",
    "events": [
        {"type": "initial_appearance", "date": "2026-02-27"},
        {"type": "indictment_filed", "date": "2026-03-02"},
        {"type": "motion_filed", "date": "2026-03-20"},
    ],
    "excludable": [{"code": "h1D", "start": "2026-03-20", "end": "2026-04-03"}],
}


def run(facts, tmp_path, plan=FEDERAL):
    path = tmp_path / "facts.json"
    path.write_text(facts if isinstance(facts, str) else json.dumps(facts))
    return CliRunner().invoke(main, ["deadlines", "--plan", plan, "--facts", str(path)])


def test_the_speedy_trial_clock_comes_out_as_json_with_its_explanation(tmp_path):
    """Indictment Mon 2026-03-02 is later than the appearance (02-27): day 1 is 03-03.
    70 countable days plus the 15 excluded motion days (03-20..04-03 inclusive) end
    85 days after 03-02: 29 to 03-31, 30 more to 04-30, 26 more = Tue 2026-05-26.
    On 05-01: 60 days since the start, 15 excluded = 45 used, 25 remaining."""
    result = run(FACTS, tmp_path)
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    trial = next(i for i in items if i["kind"] == "clock" and i["id"] == "trial")
    assert trial["due"] == "2026-05-26"
    assert trial["status"] == "pending"
    assert (trial["days_used"], trial["days_remaining"], trial["days_excluded"]) == (45, 25, 15)
    assert any("15 days" in line and "h1D" in line for line in trial["explanation"])
    for item in items:
        assert {"id", "kind", "due", "status", "explanation"} <= set(item)
        assert item["kind"] in ("stage", "clock", "document")


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"track": None}, "filed: missing"),
        ({**FACTS, "filed": "2026-02-30"}, "filed: '2026-02-30' is not a date"),
        ({**FACTS, "events": [{"type": "arrest"}]}, "events[0].date: expected a date"),
        ({**FACTS, "custody": "jail"}, "custody: expected in_custody, released or at_large"),
        ({**FACTS, "colour": "red"}, "unknown field(s): colour"),
        ({**FACTS, "excludable": [{"code": "h1D", "start": 5}]}, "excludable[0].start"),
    ],
)
def test_bad_facts_name_the_field_and_exit_1(tmp_path, facts, message):
    result = run(facts, tmp_path)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_not_json_is_an_error_not_a_traceback(tmp_path):
    result = run("{not json", tmp_path)
    assert result.exit_code == 1
    assert "not valid JSON" in result.output


def test_a_bad_plan_is_reported_with_its_problems(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text("[plan]\nid = 'x'\n")
    result = run(FACTS, tmp_path, plan=str(plan))
    assert result.exit_code == 1
    assert "problem(s) in the plan" in result.output


def test_facts_reader_keeps_defendants_and_today():
    facts, today = facts_from_json({**FACTS, "defendants": [1, 2]})
    assert facts.defendants == (1, 2)
    assert str(today) == "2026-05-01"
    with pytest.raises(FactsError, match="defendants"):
        facts_from_json({**FACTS, "defendants": [0]})

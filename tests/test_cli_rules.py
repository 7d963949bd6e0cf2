"""`docket rules check`: what a court's staff runs on a plan file before uploading it."""

from click.testing import CliRunner

from docket.cli import main

VALID = """
[plan]
id = "test-plan"
name = "Test plan"
citation = "Administrative Order 2026-1"
court = "Demo County Circuit Court"
effective = 2026-01-01
time_zone = "America/Chicago"
[plan.holidays]
country = "US"

[[tracks]]
id = "standard"
name = "Standard"

[[stages]]
id = "arraignment"
name = "Arraignment"
trigger = { events = ["indictment_filed"] }
period = { days = 14 }
satisfied_by = ["arraignment_held"]
"""


def run(*args):
    return CliRunner().invoke(main, ["rules", "check", *args])


def test_a_valid_plan_prints_ok(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text(VALID)
    result = run(str(plan))
    assert result.exit_code == 0, result.output
    assert f"{plan}: ok (Test plan, effective 2026-01-01)" in result.output


def test_every_problem_is_printed_with_its_line_and_the_exit_status_is_1(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text(
        VALID.replace('["arraignment_held"]', '["arraigned"]').replace("days = 14", "days = -1")
    )
    result = run(str(plan))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert any(line.startswith(f"{plan}: line 20: stages[0].period.days: ") for line in lines)
    assert any(
        "line 21: stages[0].satisfied_by: unknown event 'arraigned'" in line for line in lines
    )


def test_broken_toml_names_its_line(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text(VALID.replace('name = "Standard"', 'name = "Standard'))
    result = run(str(plan))
    assert result.exit_code == 1
    assert "line 14: syntax: not valid TOML" in result.output


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path):
    result = run(str(tmp_path / "nope.toml"))
    assert result.exit_code == 1
    assert "cannot be read" in result.output
    assert "Traceback" not in result.output

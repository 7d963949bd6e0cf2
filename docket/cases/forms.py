"""Clerk forms for cases and parties. Each field names its own error; nothing saves on error."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from docket.clock import court_today
from docket.core.vocabulary import (
    CASE_STATUSES,
    CASE_TYPES,
    CUSTODY_STATUSES,
    EVENT_TYPES,
    SEVERITY_CLASSES,
    SIDES,
)

CASE_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,38}$")


def choices(labels: dict[str, str], blank: str | None = None) -> list[SelectChoice]:
    """Select options from a vocabulary, with an optional empty first option."""
    options = [SelectChoice(value, label) for value, label in labels.items()]
    return [SelectChoice("", blank), *options] if blank is not None else options


def required(field: str):
    return DataRequired(f"Enter the {field}.")


def chosen(field: str):
    return InputRequired(f"Choose the {field}.")


class NotInFuture:
    """Dates of things that already happened cannot be later than the court's today."""

    def __init__(self, today):
        self.today = today

    def __call__(self, form, field):
        if field.data and field.data > self.today():
            raise ValidationError(
                f"This date is in the future (today is {self.today():%b %-d, %Y})."
            )


class DefendantFields:
    last_name = StringField(
        "Last name", validators=[required("defendant's last name"), Length(max=100)]
    )
    first_name = StringField("First name", validators=[Optional(), Length(max=100)])
    middle_name = StringField("Middle name", validators=[Optional(), Length(max=100)])
    date_of_birth = DateField("Date of birth", validators=[Optional(), NotInFuture(court_today)])
    interpreter_language = StringField(
        "Interpreter language",
        validators=[Optional(), Length(max=60)],
        description="Leave empty when no interpreter is needed.",
    )


class CaseForm(FlaskForm, DefendantFields):
    case_number = StringField(
        "Case number",
        validators=[
            Optional(),
            Regexp(
                CASE_NUMBER, message="Use capital letters, digits and hyphens, e.g. 2026-CR-000123."
            ),
        ],
        description="Leave empty to take the next number for the year filed.",
        filters=[lambda value: value.strip().upper() if value else value],
    )
    caption = StringField(
        "Caption",
        validators=[Optional(), Length(max=300)],
        description='Leave empty for "State v. <defendant\'s last name>".',
    )
    case_type = SelectField(
        "Case type", choices=choices(CASE_TYPES, "Choose…"), validators=[chosen("case type")]
    )
    filed_on = DateField(
        "Filed on",
        validators=[InputRequired("Enter the date the case was filed."), NotInFuture(court_today)],
    )
    track = SelectField(
        "Track",
        coerce=str,
        default="",
        description="Leave on “Assign by the plan” to let the case-management plan place the "
        "case by its type and custody.",
    )
    custody_status = SelectField(
        "Custody",
        choices=choices(CUSTODY_STATUSES, "Choose…"),
        validators=[chosen("custody status")],
    )
    assigned_judge_id = SelectField("Assigned judge", coerce=str, validators=[chosen("judge")])
    sealed = BooleanField(
        "Seal the case",
        description="Only the clerk's office and the assigned judge will see a sealed case.",
    )


class DefendantForm(FlaskForm, DefendantFields):
    pass


class ChargeForm(FlaskForm):
    defendant_id = SelectField("Defendant", coerce=str, validators=[chosen("defendant")])
    statute = StringField(
        "Statute",
        validators=[required("statute"), Length(max=80)],
        description="For example 720 ILCS 5/19-1(a).",
    )
    description = StringField(
        "Description", validators=[required("charge description"), Length(max=300)]
    )
    severity_class = SelectField(
        "Severity class",
        choices=choices(SEVERITY_CLASSES, "Choose…"),
        validators=[chosen("severity class")],
    )
    counts = IntegerField(
        "Counts",
        default=1,
        validators=[
            InputRequired("Enter how many counts."),
            NumberRange(min=1, max=999, message="Counts must be between 1 and 999."),
        ],
    )


class CounselForm(FlaskForm):
    bar_number = StringField(
        "Attorney's bar number", validators=[required("bar number"), Length(max=32)]
    )
    side = SelectField("Side", choices=choices(SIDES, "Choose…"), validators=[chosen("side")])
    # Not Optional(): it would stop validation of an empty choice before
    # validate_defendant_id could ask defense counsel for their client.
    defendant_id = SelectField(
        "Represents",
        coerce=str,
        default="",
        description="Defense counsel only: the defendant represented.",
    )
    appeared_on = DateField(
        "Appeared on",
        validators=[InputRequired("Enter the date of appearance."), NotInFuture(court_today)],
    )

    def validate_defendant_id(self, field):
        if self.side.data == "defense" and not field.data:
            raise ValidationError("Choose the defendant this attorney represents.")
        if self.side.data == "prosecution" and field.data:
            raise ValidationError("Prosecutors represent the State, not a defendant: leave empty.")


class WithdrawCounselForm(FlaskForm):
    # A withdrawal is recorded once it has happened: a future date would leave the
    # attorney with the case (and its documents) until then.
    withdrew_on = DateField(
        "Withdrew on",
        validators=[InputRequired("Enter the date of withdrawal."), NotInFuture(court_today)],
    )


class EventForm(FlaskForm):
    event_type = SelectField(
        "Event", choices=choices(EVENT_TYPES, "Choose…"), validators=[chosen("event")]
    )
    occurred_on = DateField(
        "Date", validators=[InputRequired("Enter the date it happened."), NotInFuture(court_today)]
    )
    defendant_id = SelectField(
        "Defendant",
        coerce=str,
        validators=[Optional()],
        description="Leave empty when the event concerns the whole case.",
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=2000)])


class CaseSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(
        "Search",
        validators=[Optional(), Length(max=100)],
        description="Case number, defendant's last name, or attorney's name or bar number.",
    )
    status = SelectField(
        "Status", choices=choices(CASE_STATUSES, "Any status"), validators=[Optional()]
    )


class ExcludableForm(FlaskForm):
    code = SelectField("Category", coerce=str, validators=[chosen("excludable category")])
    starts_on = DateField("From", validators=[InputRequired("Enter the first excluded day.")])
    ends_on = DateField(
        "Through",
        validators=[Optional()],
        description="Leave empty while the period is still running (it then stops the clock "
        "through today).",
    )
    defendant_id = SelectField(
        "Defendant",
        coerce=str,
        default="",
        description="Leave empty when the period applies to every defendant.",
    )
    entry_number = IntegerField(
        "Docket entry of the order",
        validators=[Optional(), NumberRange(min=1)],
        description="The number of the order that excludes the time, if entered.",
    )
    reason = TextAreaField("Reason", validators=[required("reason"), Length(max=2000)])

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The last excluded day cannot come before the first.")


class TrackForm(FlaskForm):
    track = SelectField("Track", coerce=str, validators=[chosen("track")])
    designation = StringField(
        "Complexity designation",
        validators=[Optional(), Length(max=40)],
        description='The judge\'s designation, e.g. "complex", where the plan uses one.',
    )
    reason = TextAreaField("Reason", validators=[required("reason"), Length(max=2000)])

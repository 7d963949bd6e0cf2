"""Forms for session templates, exceptions and one session. Times are the court's wall clock
(HH:MM); each field names its own error and nothing saves on error."""

from __future__ import annotations

from datetime import datetime, time

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget, TimeInput

from docket.calendar.sessions import WEEKDAYS
from docket.core.vocabulary import HEARING_TYPES, SESSION_EXCEPTION_KINDS


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (the template renders them in a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ClockField(StringField):
    """A wall-clock time as HH:MM (a browser time input); its data is minutes after midnight."""

    widget = TimeInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data // 60:02d}:{self.data % 60:02d}"

    def process_formdata(self, valuelist) -> None:
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        try:
            parsed = datetime.strptime(text, "%H:%M").time()  # noqa: DTZ007 (a wall time)
        except ValueError:
            self.data = None
            raise ValueError(f"“{text}” is not a time: enter it as HH:MM, e.g. 09:00.") from None
        self.data = parsed.hour * 60 + parsed.minute

    def process_data(self, value) -> None:
        if isinstance(value, time):
            value = value.hour * 60 + value.minute
        self.data = value


def _pick(what: str):
    return InputRequired(f"Choose the {what}.")


class SessionShapeFields:
    """What a template and a session share: judge, courtroom, times, slots, hearing types."""

    courtroom_id = SelectField("Courtroom", coerce=str, validators=[_pick("courtroom")])
    judge_id = SelectField("Judge", coerce=str, validators=[_pick("judge")])
    start_time = ClockField(
        "Starts at", validators=[InputRequired("Enter the start time as HH:MM, e.g. 09:00.")]
    )
    end_time = ClockField(
        "Ends at", validators=[InputRequired("Enter the end time as HH:MM, e.g. 12:00.")]
    )
    slot_minutes = IntegerField(
        "Minutes per slot",
        default=15,
        description="Hearings are called at this interval from the start time.",
        validators=[
            InputRequired("Enter the minutes per slot."),
            NumberRange(min=1, max=1440, message="Minutes per slot must be 1 to 1440."),
        ],
    )
    capacity = IntegerField(
        "Capacity",
        description="How many hearings the session takes; several share a time when it "
        "exceeds the slots.",
        validators=[
            InputRequired("Enter how many hearings the session takes."),
            NumberRange(min=1, max=1000, message="Capacity must be 1 to 1000."),
        ],
    )
    hearing_types = CheckboxesField(
        "Hearing types",
        choices=[SelectChoice(key, label) for key, label in HEARING_TYPES.items()],
        validators=[DataRequired("Choose at least one hearing type.")],
    )

    def validate_end_time(self, field) -> None:
        start = self.start_time.data
        if field.data is not None and start is not None and field.data <= start:
            raise ValidationError("The session must end after it starts.")

    def validate_slot_minutes(self, field) -> None:
        start, end = self.start_time.data, self.end_time.data
        if (
            field.data
            and start is not None
            and end is not None
            and start < end < start + field.data
        ):
            raise ValidationError(
                f"A slot of {field.data} minutes does not fit in the session's "
                f"{end - start} minutes."
            )


class TemplateForm(FlaskForm, SessionShapeFields):
    name = StringField(
        "Name",
        description="As clerks say it, e.g. “Monday arraignment call”.",
        validators=[DataRequired("Enter a name for the template."), Length(max=120)],
    )
    weekdays = CheckboxesField(
        "Weekdays",
        coerce=int,
        choices=[SelectChoice(number, name) for number, name in WEEKDAYS.items()],
        validators=[DataRequired("Choose at least one weekday.")],
    )
    valid_from = DateField(
        "Valid from", validators=[InputRequired("Enter the first day the template applies.")]
    )
    valid_until = DateField(
        "Valid until",
        validators=[Optional()],
        description="Leave empty for no end.",
    )
    version = HiddenField()

    def validate_valid_until(self, field) -> None:
        if field.data and self.valid_from.data and field.data < self.valid_from.data:
            raise ValidationError("“Valid until” is before “valid from”.")


class SessionForm(FlaskForm, SessionShapeFields):
    status = RadioField(
        "Status",
        choices=[SelectChoice("open", "Open"), SelectChoice("closed", "Closed")],
        default="open",
        validators=[InputRequired("Choose open or closed.")],
    )
    closed_reason = StringField(
        "Why closed",
        description="Shown on the calendar, e.g. “Judge at a conference”.",
        validators=[Optional(), Length(max=300)],
    )
    version = HiddenField()

    def validate_closed_reason(self, field) -> None:
        if self.status.data == "closed" and not (field.data or "").strip():
            raise ValidationError("Say why the session is closed.")


class ExceptionForm(FlaskForm):
    kind = SelectField(
        "Kind",
        choices=[SelectChoice("", "Choose…")]
        + [SelectChoice(key, label) for key, label in SESSION_EXCEPTION_KINDS.items()],
        validators=[_pick("kind of exception")],
    )
    judge_id = SelectField("Judge", coerce=str, description="For “Judge away”.")
    courtroom_id = SelectField("Courtroom", coerce=str, description="For “Courtroom closed”.")
    starts_on = DateField("First day", validators=[InputRequired("Enter the first day.")])
    ends_on = DateField("Last day", validators=[InputRequired("Enter the last day.")])
    reason = TextAreaField(
        "Reason",
        description="Shown on the sessions it closes.",
        validators=[DataRequired("Say why."), Length(max=500)],
    )

    def validate_judge_id(self, field) -> None:
        if self.kind.data == "judge_away" and not field.data:
            raise ValidationError("Choose the judge who is away.")

    def validate_courtroom_id(self, field) -> None:
        if self.kind.data == "courtroom_closed" and not field.data:
            raise ValidationError("Choose the courtroom that is closed.")

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The last day is before the first day.")


class ConfirmForm(FlaskForm):
    """A button that posts (CSRF only): materialize now, remove an exception, deactivate."""

    version = HiddenField()

"""The clerk's forms for changing a set hearing: continue, vacate, record the outcome.

Each carries the hearing's `version` (the optimistic lock). The lists (requester, reason,
excludable category, outcome) are checked by the service, which says what is wrong in words a
clerk can act on, beside the field.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from docket.cases.forms import choices
from docket.core.vocabulary import CONTINUANCE_REASONS, CONTINUANCE_REQUESTERS

NEXT_STEPS = {
    "now": "Set a new date now",
    "later": "Continue to a date to be set",
}


class HearingVersion:
    version = HiddenField(validators=[InputRequired("The form lost the hearing's version.")])


class ContinueForm(FlaskForm, HearingVersion):
    requester = SelectField(
        "Requested by",
        choices=choices(CONTINUANCE_REQUESTERS, "Choose…"),
        validators=[InputRequired("Choose who asked for the continuance.")],
        validate_choice=False,
    )
    reason = SelectField(
        "Reason",
        choices=choices(CONTINUANCE_REASONS, "Choose…"),
        validators=[InputRequired("Choose the reason for the continuance.")],
        validate_choice=False,
    )
    note = TextAreaField(
        "Note",
        validators=[Optional(), Length(max=2000)],
        description="Required when the reason is “Other”.",
    )
    excludable = BooleanField(
        "Judge found the delay excludable",
        description="The speedy-trial clock then stops from today until the new date.",
    )
    code = SelectField(
        "Excludable category",
        coerce=str,
        validate_choice=False,
        description="The plan's category the judge's finding falls under.",
    )
    next_step = RadioField(
        "Next",
        choices=[SelectChoice(value, label) for value, label in NEXT_STEPS.items()],
        default="now",
        validators=[InputRequired("Choose whether to set the new date now.")],
    )

    def validate_note(self, field):
        if self.reason.data == "other" and not (field.data or "").strip():
            raise ValidationError("Say why in the note when the reason is “Other”.")

    def validate_code(self, field):
        if self.excludable.data and not field.data:
            raise ValidationError("Choose the excludable category the judge found.")


class VacateForm(FlaskForm, HearingVersion):
    reason = TextAreaField(
        "Reason",
        validators=[DataRequired("Enter why the hearing is vacated."), Length(max=2000)],
        description="For example: case dismissed, set in error, consolidated with another hearing.",
    )


class OutcomeForm(FlaskForm, HearingVersion):
    outcome_code = SelectField(
        "Outcome",
        coerce=str,
        validators=[InputRequired("Choose the outcome.")],
        validate_choice=False,
    )
    note = TextAreaField(
        "Minute note",
        validators=[Optional(), Length(max=4000)],
        description="What the minute entry says, if anything beyond the outcome.",
    )

"""The reports' filters: a GET form (no CSRF: it changes nothing). Each field names its error."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from docket.core.vocabulary import CASE_TYPES, HEARING_TYPES

# The longest period a report covers (the monthly table stays readable).
MAX_PERIOD_DAYS = 366 * 10


def _options(labels: dict[str, str], blank: str) -> list[SelectChoice]:
    return [SelectChoice("", blank), *(SelectChoice(k, v) for k, v in labels.items())]


class ReportFilterForm(FlaskForm):
    class Meta:
        csrf = False

    judge_id = SelectField("Judge", coerce=str, default="", validators=[Optional()])
    track = SelectField("Track", coerce=str, default="", validators=[Optional()])
    case_type = SelectField(
        "Case type",
        choices=_options(CASE_TYPES, "Any case type"),
        default="",
        validators=[Optional()],
    )
    hearing_type = SelectField(
        "Hearing type",
        choices=_options(HEARING_TYPES, "Any hearing type"),
        default="",
        validators=[Optional()],
    )
    start = DateField(
        "From", validators=[Optional()], description="First day of the period (YYYY-MM-DD)."
    )
    end = DateField(
        "Through", validators=[Optional()], description="Last day of the period (YYYY-MM-DD)."
    )
    group = SelectField("Rows", coerce=str, default="", validators=[Optional()])

    def validate_end(self, field):
        if self.start.data and field.data:
            if field.data < self.start.data:
                raise ValidationError("The last day is before the first day of the period.")
            if (field.data - self.start.data).days > MAX_PERIOD_DAYS:
                raise ValidationError("The period is longer than ten years; choose a shorter one.")

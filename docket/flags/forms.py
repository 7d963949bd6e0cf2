"""The work queue's filters (a GET form) and the digest preference (a POST form with CSRF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from docket.core.vocabulary import FLAG_KINDS
from docket.flags.queries import SEVERITY_LABELS


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    judge = SelectField("Judge", validators=[Optional()], validate_choice=True)
    kind = SelectField(
        "Kind",
        choices=[SelectChoice("", "Any kind")]
        + [SelectChoice(value, label) for value, label in FLAG_KINDS.items()],
        validators=[Optional()],
    )
    severity = SelectField(
        "Severity",
        choices=[SelectChoice("", "Any severity")]
        + [SelectChoice(value, label) for value, label in SEVERITY_LABELS.items()],
        validators=[Optional()],
    )

    def set_judges(self, judges) -> None:
        self.judge.choices = [SelectChoice("", "Any judge")] + [
            SelectChoice(str(judge.id), judge.name) for judge in judges
        ]


class DigestForm(FlaskForm):
    opt_in = BooleanField(
        "Email me the morning digest",
        description="One email each morning, only when there is something new for you.",
    )

"""Forms for finding slots and booking a hearing."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from docket.cases.forms import choices
from docket.core.vocabulary import HEARING_TYPES

CHOICE = re.compile(r"^(\d+):(\d+)$")


class FindSlotsForm(FlaskForm):
    """The search: which hearing, from when. A GET form (bookmarkable, no CSRF needed)."""

    class Meta:
        csrf = False

    hearing_type = SelectField("Hearing", choices=choices(HEARING_TYPES))
    not_before = DateField(
        "Not before",
        validators=[Optional()],
        description="Leave empty to search from today.",
    )


class BookForm(FlaskForm):
    hearing_type = HiddenField()
    not_before = HiddenField()
    version = HiddenField()
    choice = RadioField(
        "Slot",
        validate_choice=False,
        validators=[InputRequired("Choose one of the proposed slots.")],
    )
    override_reason = TextAreaField(
        "Reason for overriding a conflict",
        validators=[Optional(), Length(max=1000)],
        description="Only for a slot offered with a soft conflict (counsel, notice of "
        "unavailability, interpreter). It is kept in the case's history.",
    )

    def validate_choice(self, field) -> None:
        if not CHOICE.match(field.data or ""):
            raise ValidationError("Choose one of the proposed slots.")

    def slot(self) -> tuple[int, int]:
        session_id, slot = CHOICE.match(self.choice.data).groups()
        return int(session_id), int(slot)

"""Forms of the calendar board pages: notices of unavailability and interpreters. The range
rules (end before start, past-only, longer than a year) live in the service so that every
caller gets them; the forms check presence and length and put errors beside the field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length


class NoticeForm(FlaskForm):
    bar_number = StringField(
        "Attorney's bar number",
        validators=[DataRequired("Enter the attorney's bar number."), Length(max=32)],
        description="As on the notice, e.g. D-200.",
        filters=[lambda value: value.strip().upper() if value else value],
    )
    starts_on = DateField(
        "First day unavailable",
        validators=[InputRequired("Enter the first day you are unavailable.")],
    )
    ends_on = DateField(
        "Last day unavailable",
        validators=[InputRequired("Enter the last day you are unavailable.")],
        description="Inclusive. A notice covers at most one year.",
    )
    reason = TextAreaField(
        "Reason",
        validators=[
            DataRequired("Enter the reason (e.g. vacation, trial in another court)."),
            Length(max=500, message="Keep the reason under 500 characters."),
        ],
        description="For example: vacation; trial in another court; medical leave.",
    )


class InterpreterForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired("Enter the interpreter's name."), Length(max=200)],
    )
    language = StringField(
        "Language",
        validators=[
            DataRequired("Enter the language the interpreter works in."),
            Length(max=60),
        ],
        description="As the defendants' records spell it, e.g. Spanish, Polish, ASL.",
    )


class ActionForm(FlaskForm):
    """A button that changes something (withdraw, deactivate): only its CSRF token."""

"""Forms for filing by counsel and docketing by the clerk.

Both pages work in two steps and need no JavaScript: first what is filed (a GET form), then
the form for that entry type, which shows only the fields it takes (the kind of motion only
for a motion, the motion answered only for a response ...). The form checks presence and
length; the filing service checks everything else (the files' bytes, links, dates) and its
refusal is shown beside the field it names. Nothing is saved on any error.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from docket.filings.service import MAX_TEXT

# What each entry type's form shows beyond what every filing has (text, documents, seal).
TYPE_FIELDS = {
    "motion": ("subtype",),
    "response": ("responds_to",),
    "reply": ("replies_to",),
    "order": ("resolves", "exclusion"),
    "minute_entry": ("resolves", "exclusion"),
    "judgment": ("resolves",),
}

# The court's own entries: the clerk's form proposes "The court" as their filer.

PDF_ONLY = {"accept": "application/pdf,.pdf"}


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AttachmentRow(Form):
    """One attachment: the file and what it is (an exhibit, a proposed order ...)."""

    file = FileField("File", render_kw=PDF_ONLY)
    description = StringField(
        "Description",
        validators=[
            Optional(),
            Length(max=200, message="Keep the description under 200 characters."),
        ],
    )

    def validate_description(self, field):
        if field.data and field.data.strip() and self.file.data is None:
            raise ValidationError("Choose the file this description is for, or clear it.")


class FilingFields:
    """What every filing has: the entry type (from the first step), the docket text, the
    documents, a seal, and the acknowledgement of a duplicate."""

    entry_type = HiddenField()
    text = TextAreaField(
        "Docket text",
        validators=[
            DataRequired("Enter the docket text: what the docket will say about this filing."),
            Length(max=MAX_TEXT, message=f"Keep the docket text under {MAX_TEXT} characters."),
        ],
    )
    under_seal = BooleanField("File under seal")
    seal_reason = StringField(
        "Reason for the seal",
        validators=[Length(max=1000, message="Keep the reason under 1000 characters.")],
        description="Only when filing under seal: e.g. a protective order, a cooperating "
        "witness, medical records. A sealed entry shows as SEALED to everyone but the court and "
        "your side.",
    )
    allow_duplicate = BooleanField(
        "File it again",
        description="Tick only if you mean to file the same PDF once more.",
    )
    subtype = SelectField("Kind of motion", validate_choice=False)
    responds_to = SelectField("Responds to", validate_choice=False)
    replies_to = SelectField("Replies to", validate_choice=False)

    def validate_seal_reason(self, field):
        if self.under_seal.data and not (field.data or "").strip():
            raise ValidationError("Say why the entry is filed under seal.")

    def validate_responds_to(self, field):
        if self.entry_type.data == "response" and not field.data:
            raise ValidationError("Choose the motion this responds to.")

    def validate_replies_to(self, field):
        if self.entry_type.data == "reply" and not field.data:
            raise ValidationError("Choose the response this replies to.")

    def validate_subtype(self, field):
        if self.entry_type.data == "motion" and not field.data:
            raise ValidationError("Choose the kind of motion (or “Other motion”).")


def _attachments(rows: int):
    return FieldList(FormField(AttachmentRow), min_entries=rows, max_entries=rows)


class CounselFilingForm(FlaskForm, FilingFields):
    defendant_id = SelectField("On behalf of", validate_choice=False)
    document = FileField(
        "Main document (PDF)",
        validators=[FileRequired("Choose the PDF you are filing.")],
        render_kw=PDF_ONLY,
    )

    def validate_defendant_id(self, field):
        if field.choices and not field.data:
            raise ValidationError("Choose the defendant on whose behalf you file.")


class ClerkDocketForm(FlaskForm, FilingFields):
    filer = SelectField(
        "Filed by",
        validate_choice=False,
        validators=[InputRequired("Choose who filed the entry.")],
        description="A paper filing: the party and the counsel of record who filed it.",
    )
    filed_on = DateField(
        "Date filed",
        validators=[InputRequired("Enter the date the entry was filed.")],
        description="Today, unless this is a paper filing the clerk's office received earlier.",
    )
    document = FileField(
        "Main document (PDF)",
        render_kw=PDF_ONLY,
        description="Optional: a minute entry often has none.",
    )
    resolves = CheckboxesField("Resolves motions", coerce=str, validate_choice=False)
    exclusion_code = SelectField("Excludes time under", validate_choice=False)
    exclusion_starts_on = DateField("Excluded from", validators=[Optional()])
    exclusion_ends_on = DateField(
        "Excluded through",
        validators=[Optional()],
        description="Leave empty while the period runs (it then stops the clock through today).",
    )
    exclusion_defendant = SelectField(
        "Defendant",
        validate_choice=False,
        description="Leave as “All defendants” when the order applies to every defendant.",
    )
    exclusion_reason = StringField(
        "Finding",
        validators=[Optional(), Length(max=2000)],
        description="The order's finding in a few words; empty: “Order, docket entry #N”.",
    )

    def validate_document(self, field):
        if field.data is None and any(row.form.file.data is not None for row in self.attachments):
            raise ValidationError("Choose the main document too: attachments go with one.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        start = self.exclusion_starts_on
        if self.exclusion_code.data and start.data is None and not start.errors:
            start.errors.append("Enter the first excluded day.")
            valid = False
        # Dates without a category would be dropped without a word: ask instead.
        dated = start.data is not None or self.exclusion_ends_on.data is not None
        if dated and not self.exclusion_code.data:
            self.exclusion_code.errors = [
                *self.exclusion_code.errors,
                "Choose what the time is excluded under, or clear the excluded dates.",
            ]
            valid = False
        return valid

    def validate_exclusion_ends_on(self, field):
        start = self.exclusion_starts_on.data
        if field.data and start and field.data < start:
            raise ValidationError("The last excluded day cannot come before the first.")


def counsel_form(attachment_rows: int, **kwargs) -> CounselFilingForm:
    """The counsel's form with one row per attachment a filing may hold."""

    class Form(CounselFilingForm):
        attachments = _attachments(attachment_rows)

    return Form(**kwargs)


def clerk_form(attachment_rows: int, **kwargs) -> ClerkDocketForm:
    class Form(ClerkDocketForm):
        attachments = _attachments(attachment_rows)

    return Form(**kwargs)


def uploads(form) -> list[tuple[object, str | None, int]]:
    """The chosen files in order, main document first: (FileStorage, description, the row on
    the form: 0 for the main document, 1 for the first attachment row)."""
    chosen = [(form.document.data, None, 0)] if form.document.data is not None else []
    for row in form.attachments:
        if row.form.file.data is not None:
            description = (row.form.description.data or "").strip() or None
            slot = int(row.name.rsplit("-", 1)[1]) + 1  # "attachments-2": the third row
            chosen.append((row.form.file.data, description, slot))
    return chosen

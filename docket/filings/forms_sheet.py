"""The clerk's corrections of the record: strike, seal and unseal an entry; seal or unseal a
whole case. The fields are `reason`, `order` (the authorizing order's docket number) and
`filer_may_see`; the service (docket/filings/service.py) decides what is allowed and says
why not, beside the field. Several of these forms share a page, so each gives its fields
ids of its own (the names stay as the routes expect them)."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, StopValidation, ValidationError

ORDER_NUMBER = re.compile(r"^#?\s*(\d{1,9})$")


class _Ids:
    """Prefix the fields' HTML ids (not their names) so that two forms can share a page."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            if field.type != "CSRFTokenField":
                field.id = f"{self.id_prefix}-{field.name}"
                field.label.field_id = field.id


class _Order:
    order = StringField(
        "Authorizing order (docket number)",
        validators=[
            DataRequired("Name the order (its docket number) that authorizes this."),
            Length(max=12),
        ],
        description="The number of the court's order on this docket, e.g. 12.",
    )

    def validate_order(self, field):
        if field.data and not ORDER_NUMBER.match(field.data.strip()):
            raise ValidationError("Enter the order's docket number, e.g. 12.")

    @property
    def order_number(self) -> int | None:
        match = ORDER_NUMBER.match((self.order.data or "").strip())
        return int(match.group(1)) if match else None


def _reason(why: str) -> TextAreaField:
    return TextAreaField(
        "Reason",
        validators=[DataRequired(f"Say why the {why}."), Length(max=2000)],
    )


class StrikeForm(_Ids, FlaskForm):
    id_prefix = "strike"
    reason = _reason("entry is stricken")


class SealForm(_Ids, _Order, FlaskForm):
    id_prefix = "seal"
    reason = _reason("entry is sealed")
    filer_may_see = BooleanField(
        "The filing party may still see it",
        description="As the seal order allows: the filing party's counsel of record keep "
        "seeing the entry and its documents.",
    )


class UnsealForm(_Ids, _Order, FlaskForm):
    id_prefix = "unseal"
    reason = _reason("entry is unsealed")


class _CaseReason:
    """Required, with a message that says which: sealing or unsealing the case."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        if not (field.data or "").strip():
            done = "unsealed" if form.action.data == "unseal" else "sealed"
            raise StopValidation(f"Say why the case is {done}.")


class CaseSealForm(_Ids, _Order, FlaskForm):
    id_prefix = "case-seal"
    action = HiddenField()
    reason = TextAreaField("Reason", validators=[_CaseReason(), Length(max=2000)])

    def validate_action(self, field):
        if field.data not in ("seal", "unseal"):
            raise ValidationError("The form lost whether to seal or unseal the case.")

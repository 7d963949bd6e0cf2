"""Filing by counsel of record and docketing by the clerk's office: thin views over
docket/filings/service.py (which checks the files by their bytes and commits the entry, its
documents, links and plan events together, or nothing), and the page a too-large upload gets.

Both forms come in two steps that need no JavaScript: what is filed, then the form for that
entry type. On a refusal the form comes back with the message beside the field it concerns.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms.fields.choices import SelectChoice

from docket.clock import court_today
from docket.core.vocabulary import (
    COUNSEL_ENTRY_TYPES,
    COURT_ENTRY_TYPES,
    DOCKET_ENTRY_TYPES,
    MOTION_SUBTYPES,
)
from docket.deadlines import service as deadlines
from docket.filings import blueprint, filing_choices, service
from docket.filings.filing_choices import motion_name
from docket.filings.forms_file import (
    TYPE_FIELDS,
    clerk_form,
    counsel_form,
    uploads,
)
from docket.filings.service import Exclusion, FilingError, NewEntry, Upload
from docket.permissions import EDIT, authorize_case, roles_required

# The first step of counsel's form: what each kind of filing is for.
COUNSEL_ENTRY_HINTS = {
    "motion": "Ask the court for an order: to suppress, to dismiss, to continue … "
    "The other side's response becomes due.",
    "response": "Answer a motion of the other side.",
    "reply": "Answer the other side's response to your side's motion.",
    "notice": "Tell the court and the parties something: an appearance, an intent, a change.",
    "discovery_disclosure": "Disclose discovery, as the rules and the case's plan require.",
    "exhibit_list": "List the exhibits you will offer.",
    "plea_agreement": "File a plea agreement for the court to consider.",
}

# The clerk's first step: the court's own entries, then those a party files on paper.
CLERK_TYPE_GROUPS = (
    ("The court's", COURT_ENTRY_TYPES),
    (
        "Filed by a party (received on paper)",
        tuple(t for t in DOCKET_ENTRY_TYPES if t not in COURT_ENTRY_TYPES),
    ),
)

# An example of the docket text of each kind of entry, under the text field.
TEXT_EXAMPLES = {
    "motion": "MOTION to suppress evidence obtained in the traffic stop of March 1, 2026",
    "response": "RESPONSE in opposition to the motion to suppress evidence",
    "reply": "REPLY in support of the motion to suppress evidence",
    "notice": "NOTICE of intent to offer expert testimony",
    "discovery_disclosure": "DISCOVERY DISCLOSURE: police reports and body-camera video",
    "exhibit_list": "EXHIBIT LIST for the trial",
    "plea_agreement": "PLEA AGREEMENT",
    "order": "ORDER denying the motion to suppress evidence. Signed by the judge",
    "minute_entry": "MINUTE ENTRY: status conference held; trial remains set",
    "judgment": "JUDGMENT of conviction and sentence",
}

# The service names the field a refusal concerns; some live under another name on the form.
FIELD_ON_FORM = {
    "filer_party": "filer",
    "filer_attorney_id": "filer",
    "exclusion": "exclusion_code",
    "document": "document",
}

NOT_COUNSEL = {
    "clerk": "This form is for counsel of record. The clerk's office dockets entries with "
    "“Docket an entry” on the case's docket sheet.",
    "judge": "Only counsel of record file documents here; the court's orders are docketed by "
    "the clerk's office.",
    "admin": "Only counsel of record file documents in a case.",
}


def _entry_type(allowed) -> str | None:
    """The entry type chosen in the first step (a query argument) or posted with the form."""
    source = request.form if request.method == "POST" else request.args
    value = source.get("entry_type", "")
    return value if value in allowed else None


def _shown(entry_type: str) -> set[str]:
    return set(TYPE_FIELDS.get(entry_type, ()))


def _refused(form, error: FilingError, shown: set[str]) -> None:
    """The service's refusal beside its field, or above the form when no field shows it."""
    name = FIELD_ON_FORM.get(error.field, error.field) if error.field else None
    always = {"text", "document", "attachments", "seal_reason", "allow_duplicate", "filer"}
    always |= {"filed_on", "defendant_id"}
    if name and name.startswith("exclusion"):
        visible = "exclusion" in shown
    else:
        visible = name in always or name in shown
    field = getattr(form, name, None) if name and visible else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _uploads(form) -> list[Upload]:
    return [
        Upload(storage.read(), storage.filename or "", description, slot=slot)
        for storage, description, slot in uploads(form)
    ]


def _prepared(form, entry_type: str, choices):
    """What counsel's form and the clerk's share: the type, the motion kinds, the motions and
    responses to answer."""
    form.entry_type.data = entry_type
    form.subtype.choices = _subtype_choices()
    form.responds_to.choices = _options(choices.motions, "Choose the motion…")
    form.replies_to.choices = _options(choices.responses, "Choose the response…")
    return form


def _form_page(template: str, case, form, entry_type: str, shown: set[str], **extra):
    return render_template(
        template,
        case=case,
        step="form",
        form=form,
        entry_type=entry_type,
        title=_type_title(entry_type),
        shown=shown,
        max_bytes=current_app.config["DOCUMENT_MAX_BYTES"],
        **extra,
    )


def _attachment_rows() -> int:
    return max(current_app.config["DOCUMENT_MAX_FILES"] - 1, 0)


def _options(options, blank: str) -> list[SelectChoice]:
    return [SelectChoice("", blank)] + [SelectChoice(o.value, o.label) for o in options]


def _subtype_choices() -> list[SelectChoice]:
    return [SelectChoice("", "Choose…")] + [
        SelectChoice(code, "Other motion" if code == "other" else motion_name(code))
        for code in MOTION_SUBTYPES
    ]


def _text_hint(form, entry_type: str) -> None:
    example = TEXT_EXAMPLES.get(entry_type)
    form.text.description = "What the docket sheet will say about this entry" + (
        f", e.g. “{example}.”" if example else "."
    )


def _mark_required(form, entry_type: str) -> None:
    """The fields this entry type needs get the required mark (checked by the form)."""
    needed = {"motion": form.subtype, "response": form.responds_to, "reply": form.replies_to}
    if entry_type in needed:
        needed[entry_type].flags.required = True


def _to_number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _type_title(entry_type: str) -> str:
    label = DOCKET_ENTRY_TYPES[entry_type].lower()
    article = "an" if label[0] in "aeio" else "a"
    return f"{article} {label}"


# --- counsel --------------------------------------------------------------------------------


@blueprint.route("/cases/<int:case_id>/docket/file", methods=["GET", "POST"], endpoint="file")
@login_required
def file_document(case_id: int):
    case = authorize_case(case_id)
    if current_user.role != "attorney":
        abort(403, description=NOT_COUNSEL.get(current_user.role, NOT_COUNSEL["admin"]))
    choices = filing_choices.for_counsel(case, current_user)
    entry_type = _entry_type(COUNSEL_ENTRY_TYPES)
    if entry_type is None:
        return render_template(
            "filings/file.html",
            case=case,
            step="choose",
            choices=choices,
            hints=COUNSEL_ENTRY_HINTS,
            types=COUNSEL_ENTRY_TYPES,
            labels=DOCKET_ENTRY_TYPES,
            # Continue with no type ticked sends only the button's step=chosen.
            not_chosen=bool({"entry_type", "step"} & set(request.args)) or request.method == "POST",
        )

    form = _prepared(counsel_form(_attachment_rows()), entry_type, choices)
    form.defendant_id.choices = (
        _options(choices.on_behalf_of, "Choose…") if choices.on_behalf_of else []
    )
    form.defendant_id.flags.required = bool(choices.on_behalf_of)
    _text_hint(form, entry_type)
    _mark_required(form, entry_type)
    shown = _shown(entry_type)
    if form.validate_on_submit():
        new = NewEntry(
            entry_type=entry_type,
            text=form.text.data,
            subtype=(form.subtype.data or None) if entry_type == "motion" else None,
            responds_to=_to_number(form.responds_to.data) if entry_type == "response" else None,
            replies_to=_to_number(form.replies_to.data) if entry_type == "reply" else None,
            uploads=_uploads(form),
            defendant_id=_to_number(form.defendant_id.data),
            allow_duplicate=form.allow_duplicate.data,
            under_seal=form.under_seal.data,
            seal_reason=form.seal_reason.data or "",
        )
        try:
            entry = service.file_by_counsel(case, current_user, new)
        except FilingError as error:
            _refused(form, error, shown)
        else:
            flash(f"Filed as entry #{entry.number}.", "success")
            return redirect(url_for("filings.sheet", case_id=case.id))
    return _form_page("filings/file.html", case, form, entry_type, shown, choices=choices)


# --- the clerk ------------------------------------------------------------------------------


@blueprint.route("/cases/<int:case_id>/docket/new", methods=["GET", "POST"], endpoint="docket")
@roles_required("clerk")
def docket_entry(case_id: int):
    case = authorize_case(case_id, EDIT)
    entry_type = _entry_type(DOCKET_ENTRY_TYPES)
    if entry_type is None:
        return render_template(
            "filings/docket_new.html",
            case=case,
            step="choose",
            labels=DOCKET_ENTRY_TYPES,
            groups=CLERK_TYPE_GROUPS,
            not_chosen="entry_type" in request.args or request.method == "POST",
        )

    choices = filing_choices.for_clerk(case)
    plan = deadlines.plan_for(case.filed_on)
    form = _prepared(clerk_form(_attachment_rows()), entry_type, choices)
    form.filer.choices = _options(choices.filers, "Choose…")
    form.resolves.choices = [SelectChoice(o.value, o.label) for o in choices.open_motions]
    form.exclusion_code.choices = [SelectChoice("", "Excludes no time")] + [
        SelectChoice(c.code, f"{c.code} — {c.name} ({c.citation})") for c in plan.excludable
    ]
    form.exclusion_defendant.choices = _options(choices.defendants, "All defendants")
    if not form.is_submitted():
        form.filed_on.data = court_today()
        if entry_type in COURT_ENTRY_TYPES:
            form.filer.data = "court"
    _text_hint(form, entry_type)
    _mark_required(form, entry_type)
    form.seal_reason.description = (
        "Only when filing under seal: the order or rule that requires it. A sealed entry shows "
        "as SEALED to everyone but the court (and the filing party, for a party's filing)."
    )
    shown = _shown(entry_type)
    if form.validate_on_submit():
        filer = filing_choices.parse_filer(form.filer.data, choices)
        if filer is None:
            form.filer.errors = [*form.filer.errors, "Choose one of the parties listed."]
        else:
            if _docket(form, case, entry_type, filer, shown) is not None:
                return redirect(url_for("filings.sheet", case_id=case.id))
    return _form_page("filings/docket_new.html", case, form, entry_type, shown, plan=plan)


def _docket(form, case, entry_type: str, filer: tuple, shown: set[str]):
    """Docket the clerk's entry; the entry, or None with the refusal on the form."""
    party, attorney_id, defendant_id = filer
    exclusion = None
    if form.exclusion_code.data:
        exclusion = Exclusion(
            code=form.exclusion_code.data,
            starts_on=form.exclusion_starts_on.data,
            ends_on=form.exclusion_ends_on.data,
            defendant_id=_to_number(form.exclusion_defendant.data),
            reason=form.exclusion_reason.data or "",
        )
    filed_on = form.filed_on.data
    new = NewEntry(
        entry_type=entry_type,
        text=form.text.data,
        subtype=(form.subtype.data or None) if entry_type == "motion" else None,
        responds_to=_to_number(form.responds_to.data) if entry_type == "response" else None,
        replies_to=_to_number(form.replies_to.data) if entry_type == "reply" else None,
        resolves=tuple(n for n in map(_to_number, form.resolves.data or ()) if n),
        uploads=_uploads(form),
        defendant_id=defendant_id,
        allow_duplicate=form.allow_duplicate.data,
        under_seal=form.under_seal.data,
        seal_reason=form.seal_reason.data or "",
        exclusion=exclusion,
        filed_on=None if filed_on == court_today() else filed_on,
    )
    try:
        entry = service.docket_by_clerk(case, current_user, new, party, attorney_id)
    except FilingError as error:
        _refused(form, error, shown)
        return None
    message = f"Docketed as entry #{entry.number}."
    if exclusion is not None:
        message += " The excluded time is on the speedy-trial clock; deadlines recomputed."
    flash(message, "success")
    return entry


# --- too large ------------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    megabytes = size / 1_048_576
    return (
        f"{megabytes:.0f} MB"
        if megabytes >= 10 or megabytes == int(megabytes)
        else (f"{megabytes:.1f} MB")
    )


@blueprint.app_errorhandler(RequestEntityTooLarge)
def too_large(error):
    """A request over MAX_CONTENT_LENGTH is refused before it is read: say the limits."""
    config = current_app.config
    message = (
        f"What you sent is larger than the court accepts in one submission "
        f"({_megabytes(config['MAX_CONTENT_LENGTH'])} in all; each file at most "
        f"{_megabytes(config['DOCUMENT_MAX_BYTES'])}, at most {config['DOCUMENT_MAX_FILES']} "
        "files per filing). Nothing was saved. Go back, split the document into smaller "
        "attachments or file part of it separately, and submit again."
    )
    return render_template(
        "errors/error.html", code=413, title="Upload too large", message=message
    ), 413

"""The docket sheet, one entry's page, the clerk's corrections of the record, and document
downloads: thin views over docket/filings/sheet.py (queries) and service.py (changes)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from docket.clock import court_now
from docket.filings import blueprint, service, sheet, storage
from docket.filings.forms_sheet import CaseSealForm, SealForm, StrikeForm, UnsealForm
from docket.filings.service import FilingError
from docket.permissions import EDIT, VIEW, authorize_case, can, sees


def _refused(form, error: FilingError) -> None:
    """The service's refusal beside the field it concerns, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and field.type not in ("HiddenField", "CSRFTokenField"):
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _case_seal_form(case, form=None) -> CaseSealForm:
    form = form or CaseSealForm(formdata=None)
    form.action.data = "unseal" if case.sealed else "seal"
    return form


def _sheet_page(case, case_form=None):
    printing = request.args.get("print") == "1"
    may_edit = can(current_user, case, EDIT)
    context = {
        # The user itself, not the proxy: the sheet asks about each of hundreds of entries.
        "sheet": sheet.docket_sheet(case, current_user._get_current_object()),
        "case": case,
        "printing": printing,
        "may_edit": may_edit,
        "may_file": current_user.role == "attorney",  # authorize_case: counsel of record today
        "case_form": _case_seal_form(case, case_form) if may_edit and not printing else None,
        "printed": court_now(),
    }
    template = "filings/sheet_print.html" if printing else "filings/sheet.html"
    return render_template(template, **context)


@blueprint.route("/cases/<int:case_id>/docket", endpoint="sheet")
@login_required
def docket_sheet(case_id: int):
    return _sheet_page(authorize_case(case_id, VIEW))


def _no_entry(case, number: int):
    abort(404, description=f"Case {case.case_number} has no docket entry #{number}.")


def _entry(case_id: int, number: int):
    case = authorize_case(case_id, VIEW)
    page = sheet.entry_page(case, current_user, number)
    if page is None:
        _no_entry(case, number)
    return case, page


def _entry_page(case, page, forms=None):
    forms = forms or {}
    may_edit = can(current_user, case, EDIT) and page.row.visible
    if may_edit:
        entry = page.row.entry
        forms.setdefault("strike", None if entry.stricken else StrikeForm(formdata=None))
        forms.setdefault("seal", None if entry.sealed else SealForm(formdata=None))
        forms.setdefault("unseal", UnsealForm(formdata=None) if entry.sealed else None)
    return render_template(
        "filings/entry.html", case=case, page=page, row=page.row, forms=forms, may_edit=may_edit
    )


@blueprint.route("/cases/<int:case_id>/docket/<int:number>")
@login_required
def entry(case_id: int, number: int):
    case, page = _entry(case_id, number)
    return _entry_page(case, page)


def _correct(case_id: int, number: int, name: str, form_class, apply, done: str):
    """Validate the form, apply the correction, or show the entry page with the refusal (the
    page is built only then: a correction that succeeds redirects)."""
    case = authorize_case(case_id, EDIT)
    entry = sheet.entry_numbered(case, number)
    if entry is None:
        _no_entry(case, number)
    form = form_class()
    if form.validate_on_submit():
        try:
            apply(entry, form)
        except FilingError as error:
            _refused(form, error)
        else:
            flash(f"Entry #{number} {done}.", "success")
            return redirect(url_for("filings.entry", case_id=case.id, number=number))
    return _entry_page(case, sheet.entry_page(case, current_user, number), {name: form})


@blueprint.route("/cases/<int:case_id>/docket/<int:number>/strike", methods=["POST"])
@login_required
def strike(case_id: int, number: int):
    return _correct(
        case_id,
        number,
        "strike",
        StrikeForm,
        lambda entry, form: service.strike(entry, form.reason.data, current_user),
        "stricken; it stays on the docket, marked with the reason",
    )


@blueprint.route("/cases/<int:case_id>/docket/<int:number>/seal", methods=["POST"])
@login_required
def seal(case_id: int, number: int):
    return _correct(
        case_id,
        number,
        "seal",
        SealForm,
        lambda entry, form: service.seal(
            entry, form.reason.data, form.order_number, form.filer_may_see.data, current_user
        ),
        "sealed",
    )


@blueprint.route("/cases/<int:case_id>/docket/<int:number>/unseal", methods=["POST"])
@login_required
def unseal(case_id: int, number: int):
    return _correct(
        case_id,
        number,
        "unseal",
        UnsealForm,
        lambda entry, form: service.unseal(
            entry, form.reason.data, form.order_number, current_user
        ),
        "unsealed",
    )


@blueprint.route("/cases/<int:case_id>/seal", methods=["POST"])
@login_required
def seal_case(case_id: int):
    case = authorize_case(case_id, EDIT)
    form = CaseSealForm()
    if form.validate_on_submit():
        change = service.unseal_case if form.action.data == "unseal" else service.seal_case
        try:
            change(case, form.reason.data, form.order_number, current_user)
        except FilingError as error:
            _refused(form, error)
        else:
            done = "sealed: only the court sees it now" if case.sealed else "unsealed"
            flash(f"Case {case.case_number} {done}.", "success")
            return redirect(url_for("filings.sheet", case_id=case.id))
    form.form_errors.extend(form.action.errors)  # a hidden field's error shows above the form
    # Re-rendered with the refusal, the form keeps what was typed and the action asked for.
    return _sheet_page(case, form)


@blueprint.route("/documents/<int:document_id>")
@login_required
def download(document_id: int):
    found = sheet.document_with_entry(document_id)
    if found is None:
        abort(404, description=f"There is no document with id {document_id}.")
    document, entry = found
    case = authorize_case(entry.case_id, VIEW)
    if not sees(current_user, case, entry):
        abort(
            403,
            description=f"Docket entry #{entry.number} of {case.case_number} is sealed: its "
            "documents are for the court and, where the seal order allows, the filing party.",
        )
    path = storage.path_for(document.sha256)
    size = path.stat().st_size if path.is_file() else None
    if size != document.size_bytes:
        # Never a wrong or truncated file: the bytes are named by their SHA-256.
        current_app.logger.error(
            "stored file %s for document %s (entry #%s of %s) is %s",
            path,
            document.id,
            entry.number,
            case.case_number,
            "missing" if size is None else f"{size} bytes, not {document.size_bytes}",
        )
        message = (
            f"The stored file of {document.file_name} (docket entry #{entry.number} of "
            f"{case.case_number}) is {'missing' if size is None else 'damaged'} on the server. "
            "The error was logged; tell the clerk's office."
        )
        title = "Stored file missing" if size is None else "Stored file damaged"
        return render_template("errors/error.html", code=500, title=title, message=message), 500
    sheet.log_download(document, current_user, request.remote_addr)
    response = send_file(
        path,
        mimetype="application/pdf",
        as_attachment=False,
        download_name=document.file_name,
        conditional=True,
        etag=False,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response

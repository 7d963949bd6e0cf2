"""Feed pages (the user's own subscriptions) and the .ics feeds themselves."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from docket.extensions import db
from docket.feeds import blueprint, service
from docket.models import Courtroom
from docket.models.feed import FEED_KINDS

NOT_FOUND = "There is no calendar feed at this address (the link may have been revoked)."


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


def _links(endpoint: str, **values) -> dict:
    """The three ways to use a feed: https (Google needs it), webcal (Apple, Outlook), and a
    download of the file."""
    scheme = current_app.config.get("FEED_URL_SCHEME", "https")
    address = url_for(endpoint, _external=True, _scheme=scheme, **values)
    return {
        "https": address,
        "webcal": "webcal://" + address.split("://", 1)[1],
        "download": url_for(endpoint, download=1, **values),
    }


@blueprint.get("")
@login_required
def index():
    choices = service.choices_for(current_user)
    rooms = service.public_courtrooms(current_user.court_id)
    return render_template(
        "feeds/index.html", choices=choices, rooms=rooms, action_form=ActionForm()
    )


def _target(kind: str, target_id: int) -> service.FeedChoice:
    if kind not in FEED_KINDS:
        abort(404, description=f"There is no kind of feed called {kind!r}.")
    option = service.choice(current_user, kind, target_id)
    if option is None:
        abort(403, description="That feed is not one you may subscribe to.")
    return option


@blueprint.post("/<kind>/<int:target_id>/link")
@login_required
def make_link(kind: str, target_id: int):
    option = _target(kind, target_id)
    if not ActionForm().validate_on_submit():
        abort(400, description="The form had expired. Reload the page and try again.")
    replaced = option.token is not None
    secret = service.issue_token(current_user, kind, target_id)
    # Shown once, in this response: only the secret's hash is kept.
    return render_template(
        "feeds/link.html",
        option=option,
        links=_links("feeds.token_feed", token=secret),
        replaced=replaced,
        public=False,
    )


@blueprint.post("/<kind>/<int:target_id>/revoke")
@login_required
def revoke(kind: str, target_id: int):
    option = _target(kind, target_id)
    if not ActionForm().validate_on_submit():
        abort(400, description="The form had expired. Reload the page and try again.")
    if service.revoke_token(current_user, kind, target_id):
        flash(
            f"The link to “{option.name}” is revoked: calendars using it stop updating.", "success"
        )
    else:
        flash(f"“{option.name}” had no link to revoke.", "info")
    return redirect(url_for("feeds.index"))


@blueprint.get("/public/courtroom/<int:courtroom_id>")
def public_page(courtroom_id: int):
    room = db.session.get(Courtroom, courtroom_id)
    if room is None:
        abort(404, description=f"There is no courtroom with id {courtroom_id}.")
    return render_template(
        "feeds/link.html",
        option=service.FeedChoice(
            "courtroom",
            room.id,
            f"Courtroom {room.name} (public)",
            "Hearings of unsealed cases set in this courtroom. Needs no sign-in.",
        ),
        links=_links("feeds.public_feed", courtroom_id=courtroom_id),
        replaced=False,
        public=True,
    )


@blueprint.get("/<token>.ics")
def token_feed(token: str):
    service.read_without_transaction()
    win = service.window()
    opened = service.open_feed(token, win)
    if opened is None:  # unknown, revoked, or no longer allowed: the same answer
        abort(404, description=NOT_FOUND)
    response = _serve(opened.feed, win, private=True, aggregate=opened.aggregate)
    service.note_use(opened)
    return response


@blueprint.get("/public/courtroom/<int:courtroom_id>.ics")
def public_feed(courtroom_id: int):
    service.read_without_transaction()
    feed = service.public_feed(courtroom_id)
    if feed is None:
        abort(404, description=f"There is no courtroom with id {courtroom_id}.")
    return _serve(feed, service.window(), private=False)


def _serve(feed: service.Feed, win: service.Window, *, private: bool, aggregate=None) -> Response:
    case_url = url_for("cases.show", case_id=0, _external=True)
    case_url = case_url[: -len("/0")] + "/{}"
    valid = service.validators(feed, win, case_url, aggregate)
    headers = {
        "ETag": f'"{valid.etag}"',
        "Last-Modified": _http_date(valid.last_modified),
        "Cache-Control": ("private" if private else "public") + ", max-age=0, must-revalidate",
    }
    # If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 13.2.2).
    if request.if_none_match:
        if request.if_none_match.contains_weak(valid.etag) or request.if_none_match.star_tag:
            return Response(status=304, headers=headers)
    elif request.if_modified_since and request.if_modified_since >= valid.last_modified:
        return Response(status=304, headers=headers)
    body = service.build(feed, win, case_url)
    response = Response(body, status=200, headers=headers)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    if request.args.get("download"):
        response.headers["Content-Disposition"] = 'attachment; filename="hearings.ics"'
    return response


def _http_date(value) -> str:
    from werkzeug.http import http_date

    return http_date(value)

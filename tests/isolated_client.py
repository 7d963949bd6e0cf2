"""A test client whose every request runs in its own application context, as in production.

The `court` fixture keeps an application context open for the whole test. Flask reuses an
open context for requests, and with it `g`, where Flask-Login caches the signed-in user: a
fresh client would then be served as whoever signed in last, and every request would share
the test's database session. Pushing a new context per request gives each request its own
`g` and its own session, so what a test sees is what a court user would see.
"""

from __future__ import annotations

from flask.testing import FlaskClient


class IsolatedClient(FlaskClient):
    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def isolated_client(app) -> IsolatedClient:
    return IsolatedClient(app, app.response_class, use_cookies=True)

"""The docket and documents (issue 6): the docket sheet, filing by counsel, the clerk's
docketing and corrections, downloads, "my filings" and "due from me", and search."""

from flask import Blueprint

blueprint = Blueprint("filings", __name__)

from docket.filings import (  # noqa: E402,F401  (the views register on the blueprint)
    views_file,
    views_mine,
    views_search,
    views_sheet,
)

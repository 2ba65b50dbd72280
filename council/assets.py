"""The platform's own files (style sheets, scripts, pictures) under an address that names their content, kept by
browsers for a year.

Every page links the style sheet, the logo and its scripts. Served without a lifetime, a browser asked for each of
them again on every page: a round trip per file per page, which on a child's phone on a slow network is most of the
waiting, and a request through the whole app each time. Now ``url_for('static', filename=...)`` adds
``?v=<fingerprint>`` (the first 12 hex digits of the file's SHA-256), and a request that names the file's current
fingerprint is answered with ``Cache-Control: public, max-age=31536000, immutable``: the browser keeps it and does not
ask again. A release that changes a file changes its fingerprint, so the pages link the new file and browsers fetch
it once. An address without the fingerprint or with an old one (a page kept from before a release, a link in a style
sheet) is served as before, to be checked again each time."""

from __future__ import annotations

import hashlib
import os
import stat
from functools import lru_cache

from flask import request
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600


def fingerprint(folder: str, filename: str) -> str | None:
    """The fingerprint of ``folder/filename`` as it is now; None if there is no such file."""
    path = safe_join(folder, filename)
    try:
        found = os.stat(path) if path else None
    except OSError:
        return None
    if found is None or not stat.S_ISREG(found.st_mode):
        return None
    return _digest(path, found.st_mtime_ns, found.st_size)


@lru_cache(maxsize=512)  # a file read once per change: the key holds its time and size
def _digest(path: str, mtime_ns: int, size: int) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()[:12]


def init_app(app) -> None:
    @app.url_defaults
    def add_fingerprint(endpoint, values):
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = fingerprint(app.static_folder, values["filename"])
            if version:
                values["v"] = version

    serve = app.view_functions["static"]

    def static(filename):
        response = serve(filename=filename)
        if response.status_code in (200, 304) and request.args.get("v") == fingerprint(app.static_folder, filename):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response

    app.view_functions["static"] = static

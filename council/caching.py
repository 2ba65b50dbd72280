"""Conditional GET for public pages and the API: an ``ETag`` on every answer, ``Last-Modified`` from the event log.

The ETag is a hash of the body, so it is always right: a repeat visit with ``If-None-Match`` gets an empty
``304 Not Modified`` and downloads nothing. ``Last-Modified`` is the time of the newest recorded change (every
state change writes an event); it is sent for information and for crawlers, but a 304 is only ever given on a
matching ETag, because a few changes (a support, a vote) are counted without an event and a date alone could
hide them. Pages for a signed-in account are marked private, so no shared cache keeps them."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from sqlalchemy import func, select

from council.extensions import db


def _last_change():
    from council.audit.models import Event

    return db.session.scalar(select(func.max(Event.created_at)))


def init_app(app) -> None:
    @app.after_request
    def conditional(response):
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.direct_passthrough:
            return response
        if response.mimetype not in ("text/html", "application/json") or request.path.startswith("/api/v1/unit/"):
            return response
        signed_in = current_user.is_authenticated
        response.headers.setdefault("Cache-Control", "private, no-cache" if signed_in else "public, no-cache")
        if not signed_in:
            last = _last_change()
            if last is not None:
                response.last_modified = last
        response.add_etag()
        if request.if_none_match and request.if_none_match.contains_weak(response.get_etag()[0]):
            response.status_code = 304
            response.set_data(b"")
            response.headers.pop("Content-Length", None)
        return response

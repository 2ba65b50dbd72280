"""Conditional GET for public pages and the API: an ``ETag`` on every answer, ``Last-Modified`` from the event log.

The ETag is a hash of the body, so it is always right: a repeat visit with ``If-None-Match`` gets an empty
``304 Not Modified`` and downloads nothing. ``Last-Modified`` is the time of the newest recorded change (every
state change writes an event); it is sent for information and for crawlers, but a 304 is only ever given on a
matching ETag, because a few changes (a support, a vote) are counted without an event and a date alone could
hide them. Pages for a signed-in account are marked private, so no shared cache keeps them."""

from __future__ import annotations

import functools

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import func, select

from council.extensions import cache, db


def _personal() -> bool:
    """A page that may differ per person: signed in, or carrying a one-time message."""
    return current_user.is_authenticated or bool(session.get("_flashes"))


def _page_key() -> str:
    return f"page:{get_locale()}:{request.full_path}"


def shared_page(view):
    """Keep a visitor's copy of a costly page of figures for STATISTICS_CACHE_TIMEOUT seconds (the statistics of a
    year read a hundred thousand ideas); signed-in people and anyone with a message waiting get a fresh one."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        timeout = current_app.config["STATISTICS_CACHE_TIMEOUT"]
        return cache.cached(timeout=timeout, make_cache_key=_page_key, unless=_personal)(view)(*args, **kwargs)

    return wrapped


def _last_change():
    """The time of the newest event, asked of the database at most every ten seconds."""
    from council.audit.models import Event

    last = cache.get("last-change")
    if last is None:
        last = db.session.scalar(select(func.max(Event.created_at)))
        cache.set("last-change", last, timeout=10)
    return last


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

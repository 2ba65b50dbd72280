"""Costly figures kept and refreshed ahead, and conditional GET for public pages and the API.

Kept figures (``kept``, ``shared_page``): a count of a hundred thousand ideas or a year's statistics is computed once
and kept. When it has grown older than its freshness, the next visitor still gets the kept value at once while one
background thread of that worker computes the new one (with Redis, one worker of all); nobody waits for the count,
so these figures never make a slow request. Nobody asks for a figure that is never shown again: a kept value that
no one reads for ``KEEP_FACTOR`` times its freshness is dropped, and the next visit computes it while waiting.

Conditional GET: an ``ETag`` on every answer, ``Last-Modified`` from the event log.

The ETag is a hash of the body, so it is always right: a repeat visit with ``If-None-Match`` gets an empty
``304 Not Modified`` and downloads nothing. ``Last-Modified`` is the time of the newest recorded change (every
state change writes an event); it is sent for information and for crawlers, but a 304 is only ever given on a
matching ETag, because a few changes (a support, a vote) are counted without an event and a date alone could
hide them. Pages for a signed-in account are marked private, so no shared cache keeps them."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app, request, session
from flask_login import current_user
from sqlalchemy import func, select

from council.extensions import cache, db
from council.i18n import locale_name


def _personal() -> bool:
    """A page that may differ per person: signed in, or carrying a one-time message."""
    return current_user.is_authenticated or bool(session.get("_flashes"))


# A kept value outlives its freshness this many times before it is dropped unread.
KEEP_FACTOR = 10
_running: set[threading.Thread] = set()


def _now() -> float:
    return time.time()


def kept(key: str, compute: Callable[[], Any], fresh: int, *, context: Callable | None = None) -> Any:
    """The value of ``compute()``, kept under ``key``; older than ``fresh`` seconds it is still returned while a
    background thread computes the next one. ``context``: what the thread runs ``compute`` in (by default an
    application context; a page passes a request context like the visitor's)."""
    entry = cache.get(key)
    if entry is None:
        value = compute()
        cache.set(key, {"value": value, "at": _now()}, timeout=fresh * KEEP_FACTOR)
        return value
    if _now() - entry["at"] > fresh and cache.add(f"{key}:refreshing", 1, timeout=fresh):
        _refresh_in_background(key, compute, fresh, context)
    return entry["value"]


def _refresh_in_background(key: str, compute: Callable[[], Any], fresh: int, context: Callable | None) -> None:
    app = current_app._get_current_object()

    def refresh() -> None:
        with (context() if context else app.app_context()):
            try:
                cache.set(key, {"value": compute(), "at": _now()}, timeout=fresh * KEEP_FACTOR)
            except Exception:  # the kept value stays; the next stale read tries again after ``fresh`` seconds
                app.logger.exception("refreshing %s failed", key)
            finally:
                db.session.remove()
                _running.discard(threading.current_thread())

    thread = threading.Thread(target=refresh, name=f"refresh {key}", daemon=True)
    _running.add(thread)
    thread.start()


def wait_for_refreshes(timeout: float = 30) -> None:
    """Wait for the background refreshes started so far (for the tests)."""
    for thread in list(_running):
        thread.join(timeout)


def shared_page(reads: Callable[..., Hashable]):
    """Keep a visitor's copy of a costly page of figures (the statistics of a year read a hundred thousand ideas),
    refreshed ahead every STATISTICS_CACHE_TIMEOUT seconds; signed-in people and anyone with a message waiting get
    a fresh one.

    ``reads(*args, **kwargs)`` gives the values the page reads from its address, as the page understands them
    (e.g. a year outside the range is this year): the copy is kept under those, so an address with parameters the
    page ignores (``?x=1``, ``?year=abc``) is served the same copy instead of computing and keeping another."""
    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if _personal():
                return view(*args, **kwargs)
            app, path, language = current_app._get_current_object(), request.full_path, locale_name()

            def as_a_visitor():  # the page as a visitor with this language sees it, for the background refresh
                return app.test_request_context(path, headers={"Cookie": f"lang={language}"})

            key = f"page:{language}:{request.endpoint}:{reads(*args, **kwargs)!r}"
            return kept(key, lambda: view(*args, **kwargs), current_app.config["STATISTICS_CACHE_TIMEOUT"],
                        context=as_a_visitor)

        return wrapped

    return decorator


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

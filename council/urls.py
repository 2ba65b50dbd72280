from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None, default_endpoint: str = "public.home") -> str:
    """Only a path on this site may be a redirect target; anything else goes home."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for(default_endpoint)


def external_url(endpoint: str, **values) -> str:
    """A full link for mail, built from PUBLIC_URL so it is right behind a proxy and outside requests."""
    from flask import current_app

    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)

"""Domain errors and the error pages. A refused action is a clear message, never a 500."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A rule said no. ``message`` is already translated and written for the person who tried; ``field``, when
    given, names the form field the refusal is about, so a form can show it there (council/forms.py add_error)."""

    status = 409

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    status = 403


def require(condition: bool, message: str, error: type[DomainError] = PermissionDenied, *,
            field: str | None = None) -> None:
    if not condition:
        raise error(message, field) if field is not None else error(message)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _page(status: int, message: str | None = None):
    titles = {
        400: _("The request could not be understood"),
        403: _("You cannot open this page"),
        404: _("We could not find this page"),
        405: _("This action is not allowed here"),
        409: _("That could not be done"),
        413: _("This file is too big"),
        429: _("Too many tries. Please wait a minute, then try again."),
        500: _("Something went wrong on our side"),
    }
    title = titles.get(status, titles[500] if status >= 500 else titles[400])
    back = None
    if status == 413:
        message, back = message or _too_big(), _back_to_the_form()
    if wants_json():
        return jsonify({"error": {"status": status, "message": message or title}}), status
    return render_template("errors/error.html", status=status, title=title, message=message, back=back), status


def _too_big() -> str:
    """A form over MAX_CONTENT_LENGTH (413) is refused before it is read: how much one may send, and that going back
    keeps what was written (the browser keeps a form's words when one goes back to it)."""
    from council.uploads.images import format_megabytes

    return _("A form may send at most %(mb)s MB in all, pictures and voice notes included. Go back to the form: "
             "what you wrote is still there. Choose a smaller file, or leave it out, and send the form again.",
             mb=format_megabytes(current_app.config["MAX_CONTENT_LENGTH"]))


def _back_to_the_form() -> str:
    """The page the form was on (the link goes back in the browser's history, see js/back.js); home if unknown."""
    referrer = request.referrer or ""
    return referrer if referrer.startswith(request.host_url) else url_for("public.home")


def init_app(app) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return _page(error.status, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _page(error.code or 500)

    @app.errorhandler(500)
    def server_error(error):
        return _page(500)

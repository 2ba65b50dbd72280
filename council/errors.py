"""Domain errors and the error pages. A refused action is a clear message, never a 500."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A rule said no. ``message`` is already translated and written for the person who tried."""

    status = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PermissionDenied(DomainError):
    status = 403


def require(condition: bool, message: str, error: type[DomainError] = PermissionDenied) -> None:
    if not condition:
        raise error(message)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _page(status: int, message: str | None = None):
    titles = {
        400: _("The request could not be understood"),
        403: _("You cannot open this page"),
        404: _("We could not find this page"),
        405: _("This action is not allowed here"),
        409: _("That could not be done"),
        429: _("Too many tries. Please wait a minute, then try again."),
        500: _("Something went wrong on our side"),
    }
    title = titles.get(status, titles[500] if status >= 500 else titles[400])
    if wants_json():
        return jsonify({"error": {"status": status, "message": message or title}}), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


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

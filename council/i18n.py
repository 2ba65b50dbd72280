"""Language: Simplified Chinese unless the visitor chose English; the choice is remembered."""

from __future__ import annotations

from flask import Blueprint, current_app, has_request_context, redirect, request
from flask_login import current_user

from council.extensions import babel, db
from council.urls import safe_next

COOKIE = "lang"
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and the seed speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(COOKIE)
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    # Deliberately not Accept-Language: the district's platform speaks Chinese until asked otherwise.
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.get("/lang/<code>")
def switch(code: str):
    languages = current_app.config["LANGUAGES"]
    code = code if code in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
    response = redirect(safe_next(request.args.get("next")))
    response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    if current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    return response


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.register_blueprint(bp)

    @app.context_processor
    def language_context():
        from flask_babel import get_locale

        locale = str(get_locale())
        return {
            "html_lang": "en" if locale.startswith("en") else "zh-Hans",
            "other_language": ("zh_Hans_CN", "中文") if locale.startswith("en") else ("en", "English"),
        }

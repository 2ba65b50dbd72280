"""Language: Simplified Chinese unless the visitor chose English; the choice is remembered."""

from __future__ import annotations

from flask import Blueprint, current_app, g, has_request_context, redirect, request
from flask_babel import Domain, get_locale
from flask_login import current_user

from council.extensions import babel, db
from council.urls import safe_next

COOKIE = "lang"
bp = Blueprint("i18n", __name__)


def english_requested() -> bool:
    """Whether this request (or ``force_locale`` block) reads English."""
    return locale_name().startswith("en")


def locale_name() -> str:
    """The name of the language this request (or ``force_locale`` block) reads, e.g. ``zh_Hans_CN``: the same as
    ``str(get_locale())``, kept beside the locale it names. A list page asks it once per card and string (30 times),
    and each ``get_locale()`` walks Flask-Babel's context and Babel builds the name again: 0.6 ms of a 5 ms page."""
    state = _babel_state()
    locale = state.get("babel_locale") if state is not None else None
    if locale is None:
        return str(get_locale())
    kept = state.get("council_locale_name")
    if kept is None or kept[0] is not locale:
        kept = state["council_locale_name"] = (locale, str(locale))
    return kept[1]


def in_language(name: str, name_en: str | None, english: bool) -> str:
    """A bilingual name as its reader sees it: the English one for an English reader, where there is one."""
    return name_en if english and name_en else name


class BilingualName:
    """Reference data named in Chinese, with an English name where one is known."""

    name: str
    name_en: str | None

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en, english_requested())


def select_locale() -> str:
    if not has_request_context():  # commands and the seed speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    return locale_for(current_user if current_user and current_user.is_authenticated else None)


def locale_for(account) -> str:
    """The language this request reads in for ``account`` (None: a visitor): the language chosen in this browser,
    else the account's own, else Chinese. A page about one person before they sign in (their set-password link)
    speaks as their pages will once they have."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(COOKIE)
    if chosen in languages:
        return chosen
    if account is not None and account.locale in languages:
        return account.locale
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


class RequestDomain(Domain):
    """Flask-Babel's message domain, with the request's translations looked up once instead of on every string.

    Flask-Babel finds the catalogue anew for each ``_()`` (the request's locale, its name, the cache): a page
    with a hundred strings spent a fifth of its time there. The catalogue found is kept beside the locale it was
    found for, so ``force_locale`` (a message in the reader's language) and ``refresh`` still switch it.

    It reads Flask-Babel's private per-request state (``g._flask_babel``): no public API does the same as cheaply.
    Checked with the public ``get_locale()`` instead, a string costs 6.5 µs against 0.7 µs here (14 µs with
    Flask-Babel alone): that call is most of the cost. tests/test_i18n.py pins what this relies on."""

    def get_translations(self):
        state = _babel_state()
        if state is not None:
            kept = state.get("council_translations")
            if kept is not None and kept[0] is state.get("babel_locale"):
                return kept[1]
        translations = super().get_translations()
        state = _babel_state()
        if state is not None and state.get("babel_locale") is not None:
            state["council_translations"] = (state["babel_locale"], translations)
        return translations


def _babel_state() -> dict | None:
    """Flask-Babel's per-request attributes (``g._flask_babel``), or None outside an application context."""
    try:
        namespace = g._get_current_object().__dict__.get("_flask_babel")
    except RuntimeError:
        return None
    return namespace.__dict__ if namespace is not None else None


def init_app(app) -> None:
    from council.calendar import clock

    # Dates on pages are on the district's clock: the zone its profile names (council/districts).
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: clock.zone().key)
    domain = babel.domain_instance = RequestDomain()
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: domain.get_translations().ugettext(s),
        ngettext=lambda s, p, n: domain.get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: domain.get_translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.register_blueprint(bp)

    @app.context_processor
    def language_context():
        locale = locale_name()
        return {
            "html_lang": "en" if locale.startswith("en") else "zh-Hans",
            "other_language": ("zh_Hans_CN", "中文") if locale.startswith("en") else ("en", "English"),
        }

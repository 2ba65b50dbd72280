"""Warming the served app, so that a worker's first visitor pays for his own page only.

``warm_up`` runs in gunicorn's master before the workers are forked (council/wsgi.py): every template compiled,
every model set up, each language's catalogue and Babel's data read — what a district with few visitors at a time
would otherwise pay again after each restart (about 300 ms on the idea list, 40–60 ms for the languages;
docs/performance.md). It never touches the database, whose connections a forked worker must not share.
``warm_worker`` runs in each worker after the fork (gunicorn.conf.py) and opens its first connection.

Nothing here builds an app: gunicorn.conf.py imports this module in every worker, whatever app it serves."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask_babel import force_locale, format_date, get_locale, get_translations
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import configure_mappers

from council.extensions import db


def warm_up(app: Flask) -> None:
    """Compile every template into the app's template cache, configure every model and compile a SELECT of each
    for the app's database dialect (SQLAlchemy sets up what it keeps about a mapping on first use), read each
    language (``warm_languages``), and import the writers of PDFs and spreadsheets that the app imports only when a
    process first makes one."""
    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)
    configure_mappers()
    with app.app_context():
        dialect = db.engine.dialect
    for mapper in db.Model.registry.mappers:
        select(mapper.class_).compile(dialect=dialect)
    warm_languages(app)
    import openpyxl  # noqa: F401 (the spreadsheets' writer, which council/exports.py imports when first used)

    import council.stats.pdf  # noqa: F401 (the annual report's writer and its font, likewise)


def warm_languages(app: Flask) -> None:
    """Each language's message catalogue (kept by Flask-Babel's domain for the app) and Babel's data for its locale
    (dates, numbers; kept by Babel for the process). A plain date is formatted, so the district's clock zone, which
    the database holds, is not asked for."""
    for language in app.config["LANGUAGES"]:
        with app.test_request_context("/"), force_locale(language):
            get_translations()
            format_date(date(2000, 1, 1), "long")
            get_locale().number_symbols  # noqa: B018 (loads the rest of the locale's data)


def warm_worker(app) -> None:
    """A forked worker's first connection, opened (and returned to the pool) before it takes a request, so the
    first visitor after a restart does not wait for it: on PostgreSQL a new connection and its server process cost
    10–50 ms. A database that cannot be reached is only logged: the worker still starts and answers /healthz.
    Any other app gunicorn runs from this folder with this configuration (bench/plain.py) is left as it is."""
    if not isinstance(app, Flask) or app.extensions.get("sqlalchemy") is not db:
        return
    with app.app_context():
        try:
            db.session.execute(text("SELECT 1"))
        except SQLAlchemyError as error:
            app.logger.warning("the worker could not open its first database connection: %s", error)
        finally:
            db.session.remove()

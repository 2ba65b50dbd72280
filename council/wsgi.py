"""The app the production server runs (``make serve``, and ``make bench`` through it): ``gunicorn --preload
'council.wsgi:app'`` builds it once in gunicorn's master and warms it there, before the workers are forked, so
that a worker's first visitor pays for his own page only — not for compiling every template and setting up the
models' SQL, which a district with few visitors at a time would otherwise pay again and again after each restart
(about 300 ms on the idea list; docs/performance.md). Nothing here touches the database: each worker opens its
own connections after the fork."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import configure_mappers

from council import create_app
from council.extensions import db


def warm_up(app: Flask) -> None:
    """Compile every template into the app's template cache, and configure every model and compile a SELECT of
    each for the app's database dialect (SQLAlchemy sets up what it keeps about a mapping on first use)."""
    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)
    configure_mappers()
    with app.app_context():
        dialect = db.engine.dialect
    for mapper in db.Model.registry.mappers:
        select(mapper.class_).compile(dialect=dialect)


app = create_app()
warm_up(app)

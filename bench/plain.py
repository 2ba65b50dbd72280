"""A plain fortunes-style Flask app beside the platform in `make bench`: the 20 newest published ideas of the same
database, one SQL statement through a pooled SQLAlchemy engine, one small Jinja template, nothing else (no
sessions, no sign-in, no translations, no base template). What a bare Flask app on this machine and this database
serves; the platform's idea list is measured against it ("a user's install": scale 20, `make serve`).

    DATABASE_URL=sqlite:///… gunicorn --workers 2 'bench.plain:app'"""

from __future__ import annotations

import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"].replace("postgres://", "postgresql+psycopg://", 1))
NEWEST = text("SELECT id, title, published_at FROM proposals WHERE published_at IS NOT NULL "
              "ORDER BY published_at DESC, id DESC LIMIT 20")
PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Ideas</title></head><body>
<h1>Ideas</h1><ul>{% for idea in ideas %}<li><a href="/ideas/{{ idea.id }}">{{ idea.title }}</a>
<time>{{ idea.published_at }}</time></li>{% endfor %}</ul></body></html>"""


@app.get("/")
def ideas():
    with engine.connect() as connection:
        rows = connection.execute(NEWEST).all()
    return render_template_string(PAGE, ideas=rows)

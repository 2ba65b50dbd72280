"""The app the production server runs (``make serve``, and ``make bench`` through it): ``gunicorn --preload
'council.wsgi:app'`` builds it once in gunicorn's master and warms it there (council/warming.py), before the
workers are forked; each worker then opens its first database connection before it takes a request
(gunicorn.conf.py)."""

from __future__ import annotations

from council import create_app
from council.warming import warm_up

app = create_app()
warm_up(app)

"""A district's children's council platform (built for Zhoucun; the district is data: council/districts)."""

from __future__ import annotations

import os

from flask import Flask

from council import requests
from council.config import configure
from council.db import keep_prepared_statements


def sqlite_pragmas(app: Flask) -> None:
    """SQLite in WAL mode (readers never wait for a writer) with a busy timeout (a writer waits its turn instead
    of failing): what lets several gunicorn workers share one file. SQLite keeps no planner statistics by itself:
    each pooled connection runs ``PRAGMA optimize`` as SQLite recommends, when it closes and, since a worker's
    connections live for days, at most every ``SQLITE_OPTIMIZE_SECONDS`` when it goes back to the pool
    (council/db.py ``optimize``)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    import time

    from sqlalchemy import event

    from council.db import optimize
    from council.extensions import db

    every = app.config["SQLITE_OPTIMIZE_SECONDS"]
    with app.app_context():
        @event.listens_for(db.engine, "connect")
        def on_connect(connection, record):
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()
            record.info["optimized_at"] = time.monotonic()

        @event.listens_for(db.engine, "checkin")
        def on_checkin(connection, record):
            if connection is not None and time.monotonic() - record.info.get("optimized_at", 0) > every:
                record.info["optimized_at"] = time.monotonic()
                optimize(connection)

        @event.listens_for(db.engine, "close")
        def on_close(connection, record):
            optimize(connection)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    requests.init_app(app)
    os.makedirs(app.instance_path, exist_ok=True)
    configure(app, test_config)
    if os.environ.get("PROXY_FIX") == "1" and test_config is None:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind one reverse proxy: trust its X-Forwarded-For/Proto/Host, so HTTPS and client addresses are right.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    app.json.ensure_ascii = False  # Chinese stays readable in the JSON API

    from council import assets, caching, cli, districts, errors, i18n, security, templating
    from council.extensions import cache, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    districts.init_app(app)  # which district this is: `district` in templates, the clock's zone
    security.init_app(app)
    assets.init_app(app)  # the platform's files under addresses that name their content, kept for a year
    caching.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    templating.init_app(app)
    from council.proposals import cards

    cards.init_app(app)
    sqlite_pragmas(app)
    keep_prepared_statements(app)

    from council import models  # noqa: F401  (every table known to Alembic and the seed)
    from council.accounts.views import bp as accounts_bp
    from council.api import bp as api_bp
    from council.calendar.views import bp as calendar_bp
    from council.campaigns.views import bp as campaigns_bp
    from council.councils.views import bp as councils_bp
    from council.dashboards import bp as dashboards_bp
    from council.health import bp as health_bp
    from council.indicators.views import bp as indicators_bp
    from council.notifications.views import bp as notifications_bp
    from council.plan.views import bp as plan_bp
    from council.posters.views import bp as posters_bp
    from council.privacy.views import bp as privacy_bp
    from council.proposals.views import bp as proposals_bp
    from council.public.views import bp as public_bp
    from council.reports.views import bp as reports_bp
    from council.rosters.views import bp as rosters_bp
    from council.sessions.views import bp as sessions_bp
    from council.setup.views import bp as setup_bp
    from council.stats.views import bp as stats_bp
    from council.tasks.supervision import bp as supervision_bp
    from council.tasks.unit_api import bp as unit_api_bp
    from council.tasks.views import bp as tasks_bp
    from council.units.views import bp as units_bp

    if app.config.get("BENCH"):  # `make bench` only; otherwise nothing of council.demo is imported
        from council.demo import bench

        bench.init_app(app)
    for blueprint in (public_bp, accounts_bp, councils_bp, plan_bp, units_bp, dashboards_bp, proposals_bp,
                      sessions_bp, tasks_bp, unit_api_bp,
                      supervision_bp, calendar_bp, notifications_bp, rosters_bp, privacy_bp, reports_bp, campaigns_bp,
                      indicators_bp, stats_bp, posters_bp, api_bp, health_bp, setup_bp):
        app.register_blueprint(blueprint)
    return app

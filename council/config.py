"""Defaults, overridden by ``instance/config.py`` and then by environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULTS = {
    "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
    "LANGUAGES": ("zh_Hans_CN", "en"),
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SQLITE_OPTIMIZE_SECONDS": 3600,  # SQLite: a pooled connection runs PRAGMA optimize at most this often (db.py)
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # a child may keep a form open all lesson long
    "PASSWORD_HASH_METHOD": "scrypt",
    "API_MAX_PER_PAGE": 100,
    "CONSENT_AGE": 14,
    "CONSENT_POLICY_VERSION": "2026-1",
    # Unset: the district's profile gives them (council/districts): its contact (or office), its platform's name.
    "DATA_PROTECTION_CONTACT": None,
    "MAIL_FROM": None,
    "PUBLIC_URL": "http://127.0.0.1:5000",  # the address people reach the platform at, for links in mail
    "MAIL_SERVER": None,  # unset: mails are written to instance/outbox/
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_TIMEOUT": 30,  # seconds one SMTP step may take before the attempt fails (send-mail retries later)
    "MAIL_MAX_ATTEMPTS": 10,  # attempts before send-mail gives a mail up (send-mail --failed lists those)
    "MAIL_RETRY_MAX_MINUTES": 240,  # the longest wait between two attempts (1, 2, 4 … minutes before that)
    "MAIL_KEEP_SENT_DAYS": 30,  # sent mails are deleted from the outbox table after this many days
    "MAX_CONTENT_LENGTH": 24 * 1024 * 1024,  # a request with several photos and a voice note
    "IMAGE_MAX_BYTES": 8 * 1024 * 1024,
    "VOICE_MAX_BYTES": 5 * 1024 * 1024,
    "VOICE_MAX_SECONDS": 120,
    "ATTACHMENTS_PER_IDEA": 4,
    "IDEAS_PER_PAGE": 20,
    "DESK_PER_PAGE": 30,  # tasks on one page of the unit desk, most urgent first
    "LIST_PER_PAGE": 50,  # ideas on one page of a work list (the screening and routing queues), oldest first
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": False,
    # Failed sign-ins only. Per account: a guessed password; per address: a whole class shares one
    # school address, so that limit is generous.
    "CHILD_IDLE_MINUTES": 30,  # a child's session (a shared classroom tablet) ends after this long without use
    "SIGN_IN_ACCOUNT_LIMIT": "5 per minute;20 per hour",
    "SIGN_IN_ADDRESS_LIMIT": "60 per minute;300 per hour",
    # Deadlines for units, in working days on the official calendar (DESIGN §6).
    "ACKNOWLEDGE_WORKDAYS": 3,
    "REPLY_WORKDAYS": 20,
    "VERY_OVERDUE_WORKDAYS": 40,
    "REMIND_BEFORE_WORKDAYS": 3,
    "MESSAGE_DIGEST_HOUR": 17,
    "CLOSE_ANSWERED_AFTER_DAYS": 14,  # an answered idea nobody reopens closes by itself
    "SUPERVISION_MIN_TASKS": 5,  # a unit is ranked only with at least this many tasks in the period
    "SUMMARY_MIN_CHARS": 20,
    "SUMMARY_MAX_CHARS": 300,
    # Privacy (docs/guides/teachers.md, "Data requests"): a refused or withdrawn consent deletes the child's data
    # after this many days, so a mistake can still be corrected; unused child accounts are deleted after this long.
    "PRIVACY_DELETION_GRACE_DAYS": 7,
    "CHILD_RETENTION_DAYS": 730,
    # Help and reporting (council/reports): open flags that hide an item until a facilitator checks it,
    # and how many help requests one account (or, for visitors, one address) may send.
    "FLAG_HIDE_THRESHOLD": 3,
    "HELP_REQUEST_LIMIT": "10 per hour",
    # Rosters and child sign-in (council/rosters), guardians' online consent, campaign votes, indicator reports.
    "KIDS_CLASS_LIMIT": "30 per minute",  # picture sign-in attempts per class and address
    "GUARDIAN_CODE_LIMIT": "10 per minute;50 per hour",  # online consent codes tried per address
    "CONSENT_INVITATION_DAYS": 30,  # how long a guardian's consent slip stays valid
    "CAMPAIGN_VOTE_LIMIT": "20 per minute",  # votes one child may cast or take back
    "INDICATOR_REPORT_DAYS": 30,  # a period's value is overdue this many days after the period ends
    "CACHE_TYPE": "SimpleCache",
    "CACHE_DEFAULT_TIMEOUT": 60,  # seconds a counted figure may be old; stored counters (supports) are exact
    "STATISTICS_CACHE_TIMEOUT": 300,  # seconds visitors share one copy of the statistics, coverage, report pages
    "CACHE_THRESHOLD": 2000,  # entries a worker's memory cache keeps (kept figures, shared pages) before pruning
}

# Environment variable → config key, for everything an operator may set without a file.
ENVIRONMENT = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "DATA_PROTECTION_CONTACT": "DATA_PROTECTION_CONTACT",
    "MAIL_SERVER": "MAIL_SERVER",
    "MAIL_PORT": "MAIL_PORT",
    "MAIL_USERNAME": "MAIL_USERNAME",
    "MAIL_PASSWORD": "MAIL_PASSWORD",
    "MAIL_FROM": "MAIL_FROM",
    "MAIL_TIMEOUT": "MAIL_TIMEOUT",
    "MAIL_MAX_ATTEMPTS": "MAIL_MAX_ATTEMPTS",
    "MAIL_RETRY_MAX_MINUTES": "MAIL_RETRY_MAX_MINUTES",
    "MAIL_KEEP_SENT_DAYS": "MAIL_KEEP_SENT_DAYS",
    "PUBLIC_URL": "PUBLIC_URL",
}


def normalise_database_url(url: str) -> str:
    """Accept the ``postgres://`` and ``postgresql://`` forms hosting platforms hand out."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def development_secret(instance_path: str) -> str:
    """A random key kept in instance/, so sessions survive restarts of ``make run``."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def configure(app, test_config: dict | None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "council.sqlite")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for env_name, key in ENVIRONMENT.items():
            if os.environ.get(env_name):
                app.config[key] = os.environ[env_name]
        app.config["MAIL_USE_TLS"] = os.environ.get("MAIL_USE_TLS", str(app.config["MAIL_USE_TLS"])) in ("1", "True")
    else:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if os.environ.get("REDIS_URL") and test_config is None:
        app.config["RATELIMIT_STORAGE_URI"] = os.environ["REDIS_URL"]
        app.config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=os.environ["REDIS_URL"])
    if os.environ.get("COUNCIL_BENCH") == "1" and test_config is None:
        app.config["BENCH"] = True  # council/demo/bench.py: reference routes and query counts, for `make bench` only
    if os.environ.get("SECURE_COOKIES") == "1":  # served over HTTPS: cookies never travel in clear text
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    if os.environ.get("SECRET_KEY_FALLBACKS") and test_config is None:  # the keys a new SECRET_KEY replaced
        app.config["SECRET_KEY_FALLBACKS"] = [key.strip() for key in os.environ["SECRET_KEY_FALLBACKS"].split(",")
                                              if key.strip()]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = development_secret(app.instance_path)

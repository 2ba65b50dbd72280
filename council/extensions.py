"""Every Flask extension object, created unbound and initialised in ``create_app``."""

from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from council.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# In memory by default; REDIS_URL shares the counts between gunicorn workers and machines.
limiter = Limiter(get_remote_address)
# Figures that are costly to count (home page, statistics, list totals) for CACHE_DEFAULT_TIMEOUT seconds: in the
# worker's memory by default, in Redis (shared by every worker and machine) when REDIS_URL is set.
cache = Cache()

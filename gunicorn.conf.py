"""gunicorn's settings for `make serve` and `make bench` (gunicorn reads this file from the working directory).

The command line still names the workers and the address; this file only tunes each worker once it has loaded
the application."""

import gc


def post_worker_init(worker):
    # Everything loaded so far (the application, its templates, SQLAlchemy's mappers) lives as long as the worker:
    # moving it out of the collector's generations keeps the full collections, which would otherwise walk it all
    # again and again, short — they were the slowest requests' extra milliseconds.
    gc.collect()
    gc.freeze()

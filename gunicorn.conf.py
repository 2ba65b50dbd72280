"""gunicorn's settings for `make serve` and `make bench` (gunicorn reads this file from the working directory).

The command line still names the workers, the address and the app (``council.wsgi:app``, built and warmed once in
the master, council/wsgi.py and council/warming.py); this file loads it before the workers are forked and tunes
each worker after."""

import gc

# The app is built and warmed in the master and shared by the forked workers (copy on write): a worker starts with
# its templates compiled and its models set up, and its first visitor does not pay for them.
preload_app = True


def post_worker_init(worker):
    from council.warming import warm_worker  # builds no app: this one may serve council:create_app()

    warm_worker(worker.wsgi)  # the platform's first database connection, before its first visitor
    # Everything loaded so far (the application, its templates, SQLAlchemy's mappers) lives as long as the worker:
    # moving it out of the collector's generations keeps the full collections, which would otherwise walk it all
    # again and again, short — they were the slowest requests' extra milliseconds.
    gc.collect()
    gc.freeze()

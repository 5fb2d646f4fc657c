"""gunicorn settings for Jobday in production.

gunicorn reads this file when started from this folder (``cd /srv/jobday && .venv/bin/gunicorn``)
or with ``-c /srv/jobday/gunicorn.conf.py``; command-line options and ``GUNICORN_CMD_ARGS``
win over it. The application's own settings (database, secrets) stay in ``instance/config.py``
and ``JOBDAY_*`` variables.
"""

import multiprocessing
import os

wsgi_app = "jobday:create_app()"
proc_name = "jobday"

# Behind the reverse proxy on the same host; the proxy faces the clients.
bind = os.environ.get("JOBDAY_BIND", "127.0.0.1:8000")

# Sync workers, one request at a time each. Jobday's requests are short and spend their time
# in Python (the GIL: threads in one process would not add throughput) and in the database;
# slow clients are nginx's business (it buffers requests and responses), long work (PDFs,
# exports to e-mail, the scheduler) goes to the job worker. A worker that dies takes one
# request with it, never a batch. 2 per core + 1, as gunicorn advises; WEB_CONCURRENCY
# overrides (each worker holds ~100 MB and up to a few PostgreSQL connections).
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or 0) or min(2 * multiprocessing.cpu_count() + 1, 12)

# A worker silent for this long is killed and replaced (a stuck request). The slowest
# synchronous pages are the back-office Excel exports, a few seconds; nginx's
# proxy_read_timeout should be at least this.
timeout = 60
# On reload (HUP) or stop (TERM), requests under way get this long to finish.
graceful_timeout = 30
# Sync workers close each connection after the response; nginx keeps the clients' alive.
keepalive = 2

# Workers are replaced after about 5,000 requests (the jitter spreads the restarts): whatever
# a long-lived process accumulates (image and PDF libraries) is given back, while a door rush
# (hundreds of scans a minute) does not restart every worker at once.
max_requests = 5000
max_requests_jitter = 500

# Not preloaded: each worker builds the app after the fork, so no database connection,
# Redis socket or queue file is ever shared between processes, and `kill -HUP` loads new
# code after an upgrade. The cost is a slower start (each worker imports the app).
preload_app = False

# X-Forwarded-Proto (https) is believed from these addresses only: the proxy. The client's
# address (X-Forwarded-For) is read by the app itself when JOBDAY_TRUSTED_PROXIES=1.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The heartbeat files in memory, not on a disk that may stall (containers, slow volumes).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Logs: JSON lines on stderr (journald or the container collects them). No gunicorn access
# log: the app writes one line per request itself, with its request id, the path without
# query string and with tokens replaced by their names (jobday/logs.py); gunicorn's line
# would repeat the raw URL. gunicorn's own messages (boot, worker timeouts) use the same
# JSON formatter, so the whole process speaks one format.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("JOBDAY_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "jobday.logs.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "root": {"level": "WARNING", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}


def post_worker_init(worker):
    """Once the worker has built the app, its ~260,000 long-lived objects (modules, routes,
    templates, mappers) leave the garbage collector's generations: a full collection otherwise
    walks them all (~0.1 s on this machine's 2 cores, every few thousand requests, paid by
    whichever request triggers it)."""
    import gc

    gc.freeze()

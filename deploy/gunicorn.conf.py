"""gunicorn settings for fichetracker, as deployed and as measured by `make bench` (see DEPLOYMENT.md).

    gunicorn -c deploy/gunicorn.conf.py fichetracker.wsgi

Every value can be overridden from the environment (GUNICORN_*), so one file serves every machine size.
"""

import multiprocessing
import os

# Behind the reverse proxy on the same host (or a private network): never exposed directly.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Pages are CPU-bound (templates) with short waits on PostgreSQL: 2 x cores + 1 processes keep every core
# busy; 2 threads per process let a worker render one page while another waits for the database, and
# allow HTTP keep-alive with the proxy (the gthread worker). Each thread keeps one database connection
# (CONN_MAX_AGE), so connections = workers x threads per application server: size max_connections for it.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
worker_class = "gthread"

# A page that takes longer than this is a bug: the worker is replaced and the proxy answers 502.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then, so a slow leak (in any library) can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = 500

# Load the application once in the master: faster worker start, shared memory, and a broken
# configuration fails at start-up instead of in every worker.
preload_app = True

# Trust X-Forwarded-* only from the proxy.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

"""gunicorn settings for the demo (``make serve``) and the HTTP benchmarks: threaded workers
(gthread), as many LMS deployments run; ``make serve`` also sets ``DEMO_CONN_MAX_AGE`` so each
thread keeps its database connection, and ``DEMO_DEBUG=0``."""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
wsgi_app = "demo.wsgi:application"
worker_class = "gthread"
# Sized for the 2-core machine the demo and its benchmarks run on. One worker process per core: a
# process runs Python on one core at a time (the GIL), so fewer workers leave a core idle and more only
# add memory and switching. A few threads per worker, to overlap each request's database waits (about a
# third of a poll's time); more threads do not add throughput on 2 cores, they only make requests wait
# inside the process for the GIL (a thread holds it up to 5 ms before switching) instead of queueing in
# order in front of it, which lengthens the tail: with 300 phones in a live game, 2 x 4 gave state-poll
# p95 10 ms and answer p95 22 ms where 2 x 8 gave 16 ms and 42 ms (bench_live_contest.py, same machine,
# README "Performance"). On a bigger host: workers = cores, threads 4 (GUNICORN_WORKERS, GUNICORN_THREADS).
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Keep-alive as browsers use it; gunicorn sets TCP_NODELAY, so no 40 ms Nagle stalls.
keepalive = 5
timeout = 60
graceful_timeout = 10
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")

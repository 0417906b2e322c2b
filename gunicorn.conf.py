"""gunicorn settings for `make serve` and the Docker image; environment variables adjust them."""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
# 127.0.0.1 behind a web server on the same machine; BIND=0.0.0.0:8000 in a container.
bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Processes (the usual 2 per core + 1, at most 8), each with a few threads for slow clients.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request taking longer is stuck; on restart or SIGTERM, requests get this long to finish.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Fresh processes now and then keep memory in check. Not too often: a new process costs about
# 3 s of CPU (Django, the embedding model, every cache warmed again), which every 2,000
# requests came to 1.5 ms a request on a 2-core machine, more than a trivial request costs.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# A 500-character search of 4-byte characters is 6000 bytes once percent-encoded, plus the
# path and the other parameters; 8190 is gunicorn's largest limit.
limit_request_line = 8190
# One access log line per request (with its duration in microseconds) and errors, on stdout
# and stderr, for the process manager to keep.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(D)sus "%(a)s"'
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Heartbeat files in memory where there is /dev/shm (containers mount /tmp on disk).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# No runtime control socket: several instances on one machine would share its path.
control_socket_disable = True

"""Serving the web app in production: several worker processes under gunicorn, so that pages
are drawn on every core, or one process of waitress threads where gunicorn cannot run."""

from __future__ import annotations

import os
from typing import Any

#: Threads in each worker: pages mostly wait on the database or draw in native code.
THREADS = 4


def default_workers() -> int:
    """One worker process a core, at most eight."""
    return max(1, min(os.cpu_count() or 1, 8))


def serve(host: str, port: int, *, workers: int = 1) -> None:
    """Serve until stopped: gunicorn with ``workers`` processes, or waitress for one."""
    from safeguarding.web.wsgi import application

    if workers <= 1 or os.name != "posix":
        from waitress import serve as waitress_serve

        waitress_serve(application, host=host, port=port, threads=8, ident="safeguarding")
        return

    from django.db import connections
    from gunicorn.app.base import BaseApplication

    # The workers are forked from this process: none may share its database connection.
    connections.close_all()

    class _Gunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            settings: dict[str, Any] = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "worker_class": "gthread",
                "threads": THREADS,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                # A worker that stops answering is replaced, not waited for.
                "timeout": 120,
                # Browsers keep a connection open between pages; closing it after gunicorn's
                # two-second default makes the next request fail on a closed socket.
                "keepalive": 75,
                "graceful_timeout": 10,
                "proc_name": "safeguarding",
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    _Gunicorn().run()

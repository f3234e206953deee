"""Logging: one configuration for `polku serve`, every worker and the tests.

Lines go to stderr, one JSON object per line (`POLKU_LOG_FORMAT=json`, with `time`, `level`,
`logger`, `pid`, `message` and, during a request, its `request_id`) or as plain text. No line
may hold a person's answers, a checklist id, a token or a body: the access log names route
templates (`api.http.middleware.AccessLog`), errors name exception types. The same warning
repeated (the database gone, every worker checking four times a second) is written once a
minute with a count of the ones left out.
"""

from __future__ import annotations

import logging
import logging.config
import secrets
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS

from api.config import Settings

# The id of the request being served (a new random one per request; also its X-Request-Id).
request_id: ContextVar[str | None] = ContextVar("polku_request_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
REPEAT_SECONDS = 60.0


def new_request_id() -> str:
    """Random, so it says nothing about the request; 64 bits tell requests apart for years."""
    return secrets.token_hex(8)


class RequestId(logging.Filter):
    """Puts the current request's id on every record written while serving it (threads that
    serve it too: asyncio.to_thread and Starlette's thread pool copy the context)."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = request_id.get()
        if current is not None:
            record.request_id = current
        return True


class Repeats(logging.Filter):
    """Lets a warning (or worse) from one place through once per `seconds`; the next one
    through says how many were left out meanwhile. For a warning, "the same" is the logger and
    the message template, not its arguments: "database unavailable on %s %s" on every route is
    one. An error is the same only with the same words and the same kind of exception: a new
    fault on another route is always written."""

    def __init__(
        self, seconds: float = REPEAT_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.seconds = seconds
        self.clock = clock
        self._lock = threading.Lock()
        # (logger, template) -> (when one was last let through, how many left out since)
        self._seen: dict[tuple[str, ...], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True  # every access line and every info line is written
        key: tuple[str, ...] = (record.name, str(record.msg))
        if record.levelno >= logging.ERROR:
            fault = record.exc_info[1] if record.exc_info else None
            key += (record.getMessage(), type(fault).__name__)
        now = self.clock()
        with self._lock:
            last, left_out = self._seen.get(key, (-self.seconds, 0))
            if now - last < self.seconds:
                self._seen[key] = (last, left_out + 1)
                return False
            if len(self._seen) > 1000:  # templates are few; bound it all the same
                self._seen.clear()
            self._seen[key] = (now, 0)
        if left_out:
            record.msg = (
                f"{record.getMessage()} ({left_out} more like this in the last "
                f"{now - last:.0f} s not logged)"
            )
            record.args = None
        return True


def logging_config(log_format: str, log_level: str) -> dict[str, Any]:
    """The `logging.config.dictConfig` configuration: for uvicorn's `log_config` (each worker
    applies it) and `configure()`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "api.logs.RequestId"},
            "repeats": {"()": "api.logs.Repeats"},
        },
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": ["levelname", "name", "process", "message"],
                "rename_fields": {"levelname": "level", "name": "logger", "process": "pid"},
                "timestamp": "time",  # ISO 8601 in UTC, microseconds
                # uvicorn's coloured copy of its message is noise in JSON.
                "reserved_attrs": [*RESERVED_ATTRS, "color_message"],
            },
            "text": {
                "()": "logging.Formatter",
                "fmt": TEXT_FORMAT,
                "defaults": {"request_id": "-"},
            },
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": log_format,
                "filters": ["request_id", "repeats"],
            }
        },
        "root": {"handlers": ["stderr"], "level": log_level.upper()},
        "loggers": {
            # Through the root handler, like everything else. uvicorn's own access log is off:
            # it would write paths with query strings.
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "CRITICAL"},
        },
    }


def configure(settings: Settings) -> None:
    logging.config.dictConfig(logging_config(settings.log_format, settings.log_level))

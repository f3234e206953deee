"""The date in Finland: plans count from it, and a cached response is good for one such day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

FINLAND = ZoneInfo("Europe/Helsinki")


def today_in_finland() -> dt.date:
    return dt.datetime.now(FINLAND).date()

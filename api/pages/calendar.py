"""A plan's dated steps as an iCalendar file (RFC 5545), made with the icalendar library."""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar, Event

from api.engine.plan import Plan


def plan_calendar(plan: Plan, *, title: str, url: str) -> bytes:
    """One all-day event on each step's last day; its description says what to do and where.

    The file goes to third-party calendars, so it carries nothing the person told Polku: no
    answers (the plan's address has them), no reasons ("you said ..."), no checklist id. `url`
    is the journey's public start page."""
    calendar = Calendar()
    calendar.add("prodid", "-//Polku//Life-event checklist//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for step in plan.steps:
        if step.due is None:
            continue
        event = Event()
        # Stable per step and due date: importing the file again updates instead of duplicating.
        uid = hashlib.sha256(f"{step.key}|{step.due.isoformat()}".encode()).hexdigest()[:32]
        event.add("uid", f"{uid}@polku")
        event.add("dtstamp", stamp)
        event.add("dtstart", step.due)
        event.add("dtend", step.due + dt.timedelta(days=1))
        event.add("summary", step.title)
        lines = [step.deadline_rule or ""]
        if step.organisation:
            lines.insert(0, step.organisation.name)
        lines += [link.url for link in step.links]
        event.add("description", "\n".join(line for line in lines if line))
        event.add("url", url)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data

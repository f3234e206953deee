"""A plan's dated steps as iCalendar (RFC 5545), made with the icalendar library: a file to
import once (`plan_calendar`) and a saved checklist's live feed a calendar app polls
(`checklist_feed`).

Both go to third-party calendars, so they carry nothing the person told Polku: no answers (the
plan's address has them), no reasons ("you said ..."), no checklist id or private address. `url`
is the journey's public start page."""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Alarm, Calendar, Event, vDuration

from api.engine.plan import Plan, PlanStep
from api.pages.i18n import translations
from api.pages.render import long_date

# The feed's reminders: an alarm at 9.00 the day before the last day (an all-day event starts
# at midnight), and a separate all-day event a week before, because Google Calendar and Apple's
# subscribe flow drop the alarms of subscribed calendars.
ALARM_BEFORE = dt.timedelta(hours=15)
REMINDER_BEFORE = dt.timedelta(days=7)
# How often a calendar app should fetch the feed again (most follow one of these two).
REFRESH = dt.timedelta(hours=6)


def plan_calendar(plan: Plan, *, title: str, url: str) -> bytes:
    """One all-day event on each step's last day; its description says what to do and where."""
    calendar = _calendar(title)
    stamp = _now()
    for step in plan.steps:
        if step.due is None:
            continue
        # Stable per step and due date: importing the file again updates instead of duplicating.
        uid = _uid(f"{step.key}|{step.due.isoformat()}")
        calendar.add_component(_event(step, step.due, uid, step.title, url, stamp))
    data: bytes = calendar.to_ical()
    return data


def checklist_feed(
    plan: Plan,
    *,
    done: frozenset[str],
    title: str,
    url: str,
    uid_seed: str,
    revision: int,
    lang: str,
) -> bytes:
    """A saved checklist's dated steps as a subscribed calendar. Each step to do: its deadline
    event with an alarm, and a reminder event a week before. A ticked step keeps its deadline
    event, titled as done and without alarm, and loses its reminder: the calendar says what the
    checklist says, and reminds of nothing already done. The UIDs depend on the checklist and
    the step only, so a tick or a new date replaces events instead of adding new ones."""
    _ = translations(lang).gettext
    calendar = _calendar(title)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # Set as a duration: `add` would write an X- property's value as text ("6:00:00").
    calendar["x-published-ttl"] = vDuration(REFRESH)
    stamp = _now()
    for step in plan.steps:
        if step.due is None:
            continue
        uid = _uid(f"{uid_seed}|{step.key}")
        if step.key in done:
            summary = _("Done: %(title)s") % {"title": step.title}
            event = _event(step, step.due, uid, summary, url, stamp)
            event.add("transp", "TRANSPARENT")
        else:
            event = _event(step, step.due, uid, step.title, url, stamp)
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", step.title)
            alarm.add("trigger", -ALARM_BEFORE)
            event.add_component(alarm)
        event.add("sequence", revision)
        calendar.add_component(event)
        if step.key not in done:
            words = {"title": step.title, "date": long_date(step.due, lang)}
            summary = _("Reminder: %(title)s by %(date)s") % words
            reminder = _event(
                step,
                step.due - REMINDER_BEFORE,
                _uid(f"{uid_seed}|{step.key}|reminder"),
                summary,
                url,
                stamp,
            )
            reminder.add("sequence", revision)
            reminder.add("transp", "TRANSPARENT")
            calendar.add_component(reminder)
    data: bytes = calendar.to_ical()
    return data


def _calendar(title: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Polku//Life-event checklist//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    return calendar


def _event(
    step: PlanStep, day: dt.date, uid: str, summary: str, url: str, stamp: dt.datetime
) -> Event:
    """An all-day event on `day`; its description says what to do and where."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    lines = [step.deadline_rule or ""]
    if step.organisation:
        lines.insert(0, step.organisation.name)
    lines += [link.url for link in step.links]
    event.add("description", "\n".join(line for line in lines if line))
    event.add("url", url)
    return event


def _uid(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:32] + "@polku"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)

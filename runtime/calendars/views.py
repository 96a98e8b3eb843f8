"""Business calendar API: staff read, admins write; a what-if endpoint for due dates."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from platform_core.api import CURSOR_MAX_LENGTH, Blueprint, keyset_page
from platform_core.auth.current import actor, requires
from platform_core.db import db_session, utcnow
from platform_core.fields import Timestamp
from runtime.calendars import checks, models, services
from runtime.calendars.models import BusinessCalendar
from runtime.rules import durations

bp = Blueprint("calendars", __name__, url_prefix="/api/v1/calendars",
               description="Business calendars: the hours, holidays and make-up working days SLA clocks count in")

STAFF = ("admin", "designer", "agent")

KEY = validate.Regexp(checks.KEY_PATTERN, error="Use 1-64 lower-case letters, digits, '-' or '_'.")
NAME = validate.Length(min=1, max=checks.MAX_NAME)
TIME_ZONE_DOC = {"description": "IANA time zone the intervals are in, e.g. Asia/Shanghai", "example": "Asia/Shanghai"}
DATE_DOC = {"description": "YYYY-MM-DD", "format": "date", "example": "2026-10-01"}


def _intervals(**kwargs):
    return fields.List(fields.List(fields.String()), metadata={
        "description": 'Sorted, non-overlapping [start, end] pairs of local times "HH:MM"; end may be "24:00"',
        "example": [["09:00", "12:00"], ["13:00", "18:00"]]}, **kwargs)


class CalendarWeekSchema(ma.Schema):
    """Opening intervals per weekday; a day left out (or []) is closed."""

    mon = _intervals()
    tue = _intervals()
    wed = _intervals()
    thu = _intervals()
    fri = _intervals()
    sat = _intervals()
    sun = _intervals()


class CalendarHolidaySchema(ma.Schema):
    date = fields.String(required=True, metadata=DATE_DOC)
    name = fields.String(metadata={"example": "National Day"})


class CalendarWorkdaySchema(ma.Schema):
    date = fields.String(required=True, metadata=DATE_DOC)
    name = fields.String(metadata={"example": "Make-up working day"})
    intervals = _intervals(allow_none=True)


class CalendarSchema(ma.Schema):
    key = fields.String()
    name = fields.String()
    timezone = fields.String(metadata=TIME_ZONE_DOC)
    week = fields.Nested(CalendarWeekSchema)
    holidays = fields.List(fields.Nested(CalendarHolidaySchema), metadata={"description": "Closed all day"})
    workdays = fields.List(fields.Nested(CalendarWorkdaySchema), metadata={
        "description": "Make-up working days: open even on a weekend, with their intervals or else Monday's"})
    built_in = fields.Boolean(metadata={"description": "The always-open 24x7 calendar, which cannot change"})
    created_at = Timestamp(allow_none=True)
    updated_at = Timestamp(allow_none=True)


class CalendarCreateSchema(ma.Schema):
    key = fields.String(required=True, validate=KEY, metadata={"description": "What SLA policies name"})
    name = fields.String(required=True, validate=NAME)
    timezone = fields.String(required=True, metadata=TIME_ZONE_DOC)
    week = fields.Nested(CalendarWeekSchema, required=True)
    holidays = fields.List(fields.Nested(CalendarHolidaySchema), load_default=list)
    workdays = fields.List(fields.Nested(CalendarWorkdaySchema), load_default=list)


class CalendarReplaceSchema(ma.Schema):
    name = fields.String(required=True, validate=NAME)
    timezone = fields.String(required=True, metadata=TIME_ZONE_DOC)
    week = fields.Nested(CalendarWeekSchema, required=True)
    holidays = fields.List(fields.Nested(CalendarHolidaySchema), load_default=list)
    workdays = fields.List(fields.Nested(CalendarWorkdaySchema), load_default=list)


class CalendarPatchSchema(ma.Schema):
    name = fields.String(validate=NAME)
    timezone = fields.String(metadata=TIME_ZONE_DOC)
    week = fields.Nested(CalendarWeekSchema, metadata={"description": "Replaces the whole week"})
    holidays = fields.List(fields.Nested(CalendarHolidaySchema), metadata={"description": "Replaces the list"})
    workdays = fields.List(fields.Nested(CalendarWorkdaySchema), metadata={"description": "Replaces the list"})


class CalendarQuerySchema(ma.Schema):
    q = fields.String(load_default=None, metadata={"description": "Part of the key or name"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


class CalendarPageSchema(ma.Schema):
    items = fields.List(fields.Nested(CalendarSchema), metadata={
        "description": "By key; the first page starts with the built-in 24x7 calendar (not counted in limit)"})
    next_cursor = fields.String(allow_none=True,
                                metadata={"description": "Pass as ?cursor= for the next page; null on the last"})


class HolidaySeedSchema(ma.Schema):
    country = fields.String(required=True, validate=validate.Length(min=2, max=3),
                            metadata={"description": "ISO 3166-1 alpha-2 code known to the holidays package",
                                      "example": "CN"})
    years = fields.List(fields.Integer(validate=validate.Range(min=1950, max=2100)), required=True,
                        validate=validate.Length(min=1, max=10), metadata={"example": [2026, 2027]})
    subdiv = fields.String(load_default=None, allow_none=True,
                           metadata={"description": "A subdivision (state, province) code, e.g. CA for US"})
    language = fields.String(load_default=None, allow_none=True,
                             metadata={"description": "Language of the holiday names, e.g. zh_CN; default English "
                                                      "where available"})


class HolidaySeedSkippedSchema(ma.Schema):
    date = fields.String()
    name = fields.String()
    reason = fields.String()


class HolidaySeedResultSchema(ma.Schema):
    calendar = fields.Nested(CalendarSchema)
    holidays_added = fields.List(fields.Nested(CalendarHolidaySchema))
    workdays_added = fields.List(fields.Nested(CalendarWorkdaySchema))
    skipped = fields.List(fields.Nested(HolidaySeedSkippedSchema),
                          metadata={"description": "Dates the calendar already gives the opposite meaning"})


class Duration(fields.String):
    """An ISO 8601 duration (weeks, days, hours, minutes, seconds) loaded as a timedelta."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return durations.parse_duration(text)
        except ValueError as error:
            raise ma.ValidationError(str(error)) from None


class CalendarComputeQuerySchema(ma.Schema):
    start = Timestamp(load_default=None, metadata={"description": "ISO 8601 with an offset; default: now"})
    add = Duration(load_default=None, metadata={"description": "A duration of business time, e.g. PT4H or P2D "
                                                              "(a day is 24 business hours)", "example": "PT4H"})
    end = Timestamp(load_default=None, metadata={"description": "Measure the business time from start to end"})

    @ma.validates_schema
    def _one_question(self, data, **_kwargs):
        if (data.get("add") is None) == (data.get("end") is None):
            raise ma.ValidationError("Give either add (a duration) or end (an instant).", "add")


class CalendarComputeResultSchema(ma.Schema):
    calendar = fields.String()
    start = Timestamp()
    open_at_start = fields.Boolean()
    next_open = Timestamp(allow_none=True, metadata={"description": "start if open, else the next opening"})
    add = fields.String(metadata={"description": "The duration asked for, in hours and minutes"})
    due = Timestamp(metadata={"description": "When that much business time has elapsed after start"})
    end = Timestamp()
    elapsed = fields.String(metadata={"description": "Business time as an ISO 8601 duration, e.g. PT49H30M"})
    elapsed_seconds = fields.Float()


@bp.get("")
@requires(*STAFF)
@bp.arguments(CalendarQuerySchema, location="query")
@bp.response(200, CalendarPageSchema)
def list_calendars(args):
    """Business calendars by key, with cursor pagination (staff)."""
    page = keyset_page(db_session, services.search_calendars(args["q"]), [BusinessCalendar.key],
                       args["limit"], args["cursor"])
    if not args["cursor"] and services.built_in_matches(args["q"]):
        page["items"] = [models.built_in_calendar(), *page["items"]]
    return page


@bp.post("")
@requires("admin")
@bp.arguments(CalendarCreateSchema)
@bp.response(201, CalendarSchema)
def create_calendar(body):
    """Create a calendar (admin)."""
    return services.create_calendar(db_session, body, actor_id=actor().id)


@bp.get("/<key>")
@requires(*STAFF)
@bp.response(200, CalendarSchema)
def get_calendar(key):
    """One calendar (staff); 24x7 always exists."""
    return services.get_business_calendar(db_session, key)


@bp.put("/<key>")
@requires("admin")
@bp.arguments(CalendarReplaceSchema)
@bp.response(200, CalendarSchema)
def replace_calendar(body, key):
    """Replace a calendar's name, time zone, week, holidays and make-up days (admin; not 24x7)."""
    return services.update_calendar(db_session, key, body, actor_id=actor().id)


@bp.patch("/<key>")
@requires("admin")
@bp.arguments(CalendarPatchSchema)
@bp.response(200, CalendarSchema)
def update_calendar(body, key):
    """Change some of a calendar's fields; each given field replaces the old value (admin; not 24x7)."""
    return services.update_calendar(db_session, key, body, actor_id=actor().id)


@bp.delete("/<key>")
@requires("admin")
@bp.response(204)
def delete_calendar(key):
    """Delete a calendar no SLA policy in use names (admin; not 24x7)."""
    services.delete_calendar(db_session, key, actor_id=actor().id)


@bp.post("/<key>/holidays/seed")
@requires("admin")
@bp.arguments(HolidaySeedSchema)
@bp.response(200, HolidaySeedResultSchema)
def seed_holidays(body, key):
    """Merge a country's public holidays (and make-up working days, where known) for some years (admin)."""
    return services.seed_holidays(db_session, key, country=body["country"], years=body["years"],
                                   subdiv=body["subdiv"], language=body["language"], actor_id=actor().id)


@bp.get("/<key>/compute")
@requires(*STAFF)
@bp.arguments(CalendarComputeQuerySchema, location="query")
@bp.response(200, CalendarComputeResultSchema)
def compute(args, key):
    """When is ``start + add`` of business time due, or how much business time lies between start and end?"""
    return services.compute(db_session, key, start=args["start"] or utcnow(), add=args["add"], end=args["end"])

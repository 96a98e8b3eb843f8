"""Business calendars: the arithmetic (hours, lunch breaks, holidays, make-up days, DST, year ends),
the admin API, seeding from the holidays package, the compiled-calendar cache and the CLI."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongdan.cli import main
from runtime.calendars.business_time import ALWAYS_OPEN, Calendar, CalendarError, NoBusinessTime
from runtime.calendars.checks import InvalidCalendar, check_definition
from runtime.calendars.services import UnknownCalendar, get_calendar, get_calendars
from runtime.rules.durations import format_duration, parse_duration
from tests.conftest import PASSWORD, Api, error_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
WORKWEEK = ("mon", "tue", "wed", "thu", "fri")
OFFICE_HOURS = [["09:00", "12:00"], ["13:00", "18:00"]]
CHINA_OFFICE = {"timezone": "Asia/Shanghai", "week": {day: OFFICE_HOURS for day in WORKWEEK}}


def china(**extra) -> Calendar:
    return Calendar.from_definition({**CHINA_OFFICE, **extra}, key="china-office")


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


# --------------------------------------------------------------------------- arithmetic


def test_friday_evening_rolls_over_the_weekend_a_monday_holiday_and_onto_a_make_up_saturday():
    friday_1750 = sh(2026, 12, 4, 17, 50)
    assert china().add(friday_1750, minutes(15)) == sh(2026, 12, 7, 9, 5)
    with_holiday = china(holidays=[{"date": "2026-12-07", "name": "Company day"}])
    assert with_holiday.add(friday_1750, minutes(15)) == sh(2026, 12, 8, 9, 5)
    assert with_holiday.elapsed(friday_1750, sh(2026, 12, 8, 9, 5)) == minutes(15)

    make_up = china(workdays=[{"date": "2026-12-05", "name": "Make-up Saturday"}])
    assert make_up.is_open(sh(2026, 12, 5, 10, 0)) and not china().is_open(sh(2026, 12, 5, 10, 0))
    assert make_up.add(friday_1750, minutes(15)) == sh(2026, 12, 5, 9, 5)   # Monday's hours by default
    assert not make_up.is_open(sh(2026, 12, 5, 12, 30))                      # ...lunch included
    own_hours = china(workdays=[{"date": "2026-12-05", "intervals": [["10:00", "14:00"]]}])
    assert own_hours.add(friday_1750, minutes(15)) == sh(2026, 12, 5, 10, 5)
    assert own_hours.elapsed(sh(2026, 12, 5, 0, 0), sh(2026, 12, 6, 0, 0)) == timedelta(hours=4)


def test_lunch_break_and_starting_outside_business_hours():
    cal = china()
    assert cal.add(sh(2026, 12, 1, 11, 55), minutes(10)) == sh(2026, 12, 1, 13, 5)
    assert cal.elapsed(sh(2026, 12, 1, 11, 0), sh(2026, 12, 1, 14, 0)) == timedelta(hours=2)
    assert not cal.is_open(sh(2026, 12, 1, 12, 30)) and cal.is_open(sh(2026, 12, 1, 13, 0))
    assert cal.next_open(sh(2026, 12, 1, 12, 30)) == sh(2026, 12, 1, 13, 0)
    # before opening, after closing, at the closing instant, on a Sunday
    assert cal.add(sh(2026, 12, 1, 7, 0), minutes(30)) == sh(2026, 12, 1, 9, 30)
    assert cal.add(sh(2026, 12, 1, 20, 0), minutes(30)) == sh(2026, 12, 2, 9, 30)
    assert not cal.is_open(sh(2026, 12, 1, 18, 0))
    assert cal.add(sh(2026, 12, 1, 18, 0), minutes(30)) == sh(2026, 12, 2, 9, 30)
    assert cal.add(sh(2026, 12, 6, 3, 0), timedelta(hours=1)) == sh(2026, 12, 7, 10, 0)
    # a duration that ends exactly at closing time ends then, not at the next opening
    assert cal.add(sh(2026, 12, 4, 17, 50), minutes(10)) == sh(2026, 12, 4, 18, 0)
    # results are UTC
    assert cal.add(sh(2026, 12, 1, 9, 0), minutes(1)).tzinfo is UTC


def test_zero_duration_and_empty_spans():
    cal = china()
    open_instant, closed_instant = sh(2026, 12, 1, 10, 0), sh(2026, 12, 1, 12, 30)
    assert cal.add(open_instant, timedelta(0)) == open_instant
    assert cal.add(closed_instant, timedelta(0)) == cal.next_open(closed_instant) == sh(2026, 12, 1, 13, 0)
    assert cal.elapsed(open_instant, open_instant) == timedelta(0)
    assert cal.elapsed(open_instant, open_instant - minutes(5)) == timedelta(0)
    assert cal.elapsed(sh(2026, 12, 5, 8, 0), sh(2026, 12, 6, 20, 0)) == timedelta(0)  # a weekend
    assert cal.intervals(sh(2026, 12, 1, 11, 0), sh(2026, 12, 1, 14, 0)) == [
        (sh(2026, 12, 1, 11, 0), sh(2026, 12, 1, 12, 0)), (sh(2026, 12, 1, 13, 0), sh(2026, 12, 1, 14, 0))]


def test_year_end_with_new_years_day_off():
    cal = china(holidays=[{"date": "2026-01-01", "name": "New Year's Day"}])
    assert cal.add(sh(2025, 12, 31, 17, 30), timedelta(hours=1)) == sh(2026, 1, 2, 9, 30)
    assert cal.elapsed(sh(2025, 12, 31, 17, 30), sh(2026, 1, 2, 9, 30)) == timedelta(hours=1)
    assert cal.next_open(sh(2025, 12, 31, 18, 0)) == sh(2026, 1, 2, 9, 0)


def test_thirty_business_days_skip_whole_weeks_and_respect_holidays():
    cal = china()
    monday = sh(2026, 1, 5, 9, 0)
    assert cal.add(monday, timedelta(hours=8 * 30)) == sh(2026, 2, 13, 18, 0)
    with_holiday = china(holidays=[{"date": "2026-01-21", "name": "x"}])
    assert with_holiday.add(monday, timedelta(hours=8 * 30)) == sh(2026, 2, 16, 18, 0)
    # a few years of business time, checked against the inverse and a day-by-day count
    far = cal.add(monday, timedelta(hours=8 * 1000))
    assert cal.elapsed(monday, far) == timedelta(hours=8 * 1000)
    assert far == sh(2029, 11, 2, 18, 0)  # 1000 weekdays later: 200 weeks
    day_by_day = sum((cal.elapsed(sh(2026, 1, 5) + timedelta(days=i), sh(2026, 1, 6) + timedelta(days=i))
                      for i in range((date(2029, 11, 3) - date(2026, 1, 5)).days)), timedelta(0))
    assert day_by_day == timedelta(hours=8 * 1000)


@pytest.mark.parametrize(("zone", "spring", "autumn"), [
    (NEW_YORK, date(2026, 3, 8), date(2026, 11, 1)),
    (BERLIN, date(2026, 3, 29), date(2026, 10, 25)),
])
def test_wall_clock_intervals_across_daylight_saving_changes(zone, spring, autumn):
    """Sunday 01:00-04:00 lasts 2 hours on the spring-forward Sunday, 4 on the fall-back one, 3 otherwise."""
    night = Calendar.from_definition({"timezone": zone.key, "week": {
        "sat": [["09:00", "17:00"]], "sun": [["01:00", "04:00"]], "mon": [["09:00", "17:00"]]}})

    def local(day, hour, minute=0):
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)

    for sunday, hours in ((spring, 2), (autumn, 4), (spring - timedelta(days=7), 3)):
        monday, saturday = sunday + timedelta(days=1), sunday - timedelta(days=1)
        assert night.elapsed(local(sunday, 0), local(monday, 0)) == timedelta(hours=hours), sunday
        assert night.add(local(sunday, 1), timedelta(hours=hours)) == local(sunday, 4)
        assert night.add(local(sunday, 1), timedelta(hours=hours, minutes=1)) == local(monday, 9, 1)
        assert night.elapsed(local(monday, 0), local(monday, 23)) == timedelta(hours=8)
        assert night.elapsed(local(saturday, 0), local(saturday, 23)) == timedelta(hours=8)
        # Saturday 16:00 + 2 h: one hour on Saturday, then the first real hour after Sunday's opening
        assert night.add(local(saturday, 16), timedelta(hours=2)) == local(sunday, 1).astimezone(UTC) + timedelta(hours=1)
        assert night.elapsed(local(saturday, 16), local(monday, 10)) == timedelta(hours=hours + 2)

    # wall-clock times that do not exist that day (02:00-03:00 in both zones) are never open
    skipped = Calendar.from_definition({"timezone": zone.key, "week": {"sun": [["02:00", "02:45"]], "mon": [["09:00", "10:00"]]}})
    assert skipped.elapsed(local(spring, 0), local(spring, 5)) == timedelta(0)
    assert skipped.elapsed(local(spring - timedelta(days=7), 0), local(spring - timedelta(days=7), 5)) == minutes(45)
    assert skipped.add(local(spring, 0), minutes(10)) == local(spring + timedelta(days=1), 9, 10)


def test_a_nine_to_five_day_is_eight_hours_on_switch_days_and_across_them():
    cal = Calendar.from_definition({"timezone": "America/New_York",
                                    "week": {day: [["09:00", "17:00"]] for day in (*WORKWEEK, "sun")}})
    for switch in (date(2026, 3, 8), date(2026, 11, 1)):
        start = datetime(switch.year, switch.month, switch.day, 0, 0, tzinfo=NEW_YORK)
        assert cal.elapsed(start, start.astimezone(UTC) + timedelta(hours=25)) == timedelta(hours=8)
        friday = switch - timedelta(days=2)
        friday_4pm = datetime(friday.year, friday.month, friday.day, 16, 0, tzinfo=NEW_YORK)
        assert cal.add(friday_4pm, timedelta(hours=2)) == datetime(switch.year, switch.month, switch.day, 10, 0,
                                                                   tzinfo=NEW_YORK)
        assert cal.elapsed(friday_4pm, datetime(switch.year, switch.month, switch.day, 10, 0, tzinfo=NEW_YORK)) == \
            timedelta(hours=2)


def test_instants_at_the_ends_of_time_give_a_clear_error():
    with pytest.raises(CalendarError):
        china().add(datetime(9999, 12, 20, tzinfo=UTC), timedelta(weeks=10))
    new_york = CALENDARS[1]
    with pytest.raises(CalendarError):
        new_york.is_open(datetime(1, 1, 1, tzinfo=UTC))


def test_make_up_day_intervals_and_bad_input():
    with pytest.raises(ValueError, match="timezone-aware"):
        china().add(datetime(2026, 12, 1, 9, 0), minutes(1))
    with pytest.raises(ValueError, match="zero or more"):
        china().add(sh(2026, 12, 1, 9, 0), minutes(-1))
    only_make_up_days = Calendar.from_definition({"timezone": "UTC", "week": {},
                                                 "workdays": [{"date": "2026-06-06", "intervals": [["09:00", "10:00"]]}]})
    assert only_make_up_days.add(datetime(2026, 1, 1, tzinfo=UTC), minutes(30)) == datetime(2026, 6, 6, 9, 30, tzinfo=UTC)
    with pytest.raises(NoBusinessTime):
        only_make_up_days.add(datetime(2026, 1, 1, tzinfo=UTC), timedelta(hours=2))
    with pytest.raises(NoBusinessTime):
        only_make_up_days.next_open(datetime(2026, 7, 1, tzinfo=UTC))
    assert only_make_up_days.elapsed(datetime(2020, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC)) == timedelta(hours=1)
    assert not only_make_up_days.is_open(datetime(2027, 1, 1, tzinfo=UTC))


def test_the_always_open_calendar():
    start = datetime(2026, 12, 4, 17, 50, tzinfo=UTC)
    assert ALWAYS_OPEN.always_open and ALWAYS_OPEN.is_open(start)
    assert ALWAYS_OPEN.add(start, timedelta(days=3)) == start + timedelta(days=3)
    assert ALWAYS_OPEN.elapsed(start, start + timedelta(hours=5)) == timedelta(hours=5)


@pytest.mark.parametrize(("definition", "path", "words"), [
    ({"week": {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}}, "/week/mon/1", "overlap"),
    ({"week": {"mon": [["13:00", "18:00"], ["09:00", "12:00"]]}}, "/week/mon/1", "order"),
    ({"week": {"mon": [["12:00", "09:00"]]}}, "/week/mon/0", "start before"),
    ({"week": {"mon": [["09:00", "24:01"]]}}, "/week/mon/0/1", "HH:MM"),
    ({"week": {"mon": [["9am", "12:00"]]}}, "/week/mon/0/0", "HH:MM"),
    ({"week": {"mon": [["09:00"]]}}, "/week/mon/0", "pair"),
    ({"week": {"funday": [["09:00", "12:00"]]}}, "/week/funday", "weekday"),
    ({"week": {}}, "/week", "never open"),
    ({"timezone": "Mars/Olympus"}, "/timezone", "IANA"),
    ({"holidays": [{"date": "2026-02-30"}]}, "/holidays/0/date", "YYYY-MM-DD"),
    ({"holidays": [{"date": "2026-10-01"}, {"date": "2026-10-01"}]}, "/holidays/1/date", "twice"),
    ({"holidays": [{"date": "2026-10-01"}], "workdays": [{"date": "2026-10-01"}]}, "/workdays/0/date", "also a holiday"),
    ({"week": {"tue": OFFICE_HOURS}, "workdays": [{"date": "2026-10-10"}]}, "/workdays/0/intervals", "Monday"),
])
def test_definition_errors_name_the_json_pointer(definition, path, words):
    with pytest.raises(InvalidCalendar) as caught:
        check_definition({**CHINA_OFFICE, **definition})
    details = caught.value.details
    assert path in [d["path"] for d in details], details
    assert words in next(d["message"] for d in details if d["path"] == path)


def test_durations():
    assert parse_duration("PT4H") == timedelta(hours=4)
    assert parse_duration("P1W2DT3H4M5S") == timedelta(days=9, hours=3, minutes=4, seconds=5)
    for bad in ("P", "PT", "P1M", "PT1.5H", "4h", "P1Y"):
        with pytest.raises(ValueError):
            parse_duration(bad)
    assert format_duration(timedelta(hours=49, minutes=30)) == "PT49H30M"
    assert format_duration(timedelta(0)) == "PT0S"
    assert format_duration(timedelta(seconds=1, microseconds=500000)) == "PT1.5S"


# --------------------------------------------------------------------------- properties

CALENDARS = [
    china(holidays=[{"date": "2026-10-01"}, {"date": "2027-01-01"}], workdays=[{"date": "2026-10-10"}]),
    Calendar.from_definition({"timezone": "America/New_York", "week": {
        "sun": [["00:30", "02:30"], ["03:00", "04:00"]], "mon": [["01:00", "04:00"], ["09:00", "17:00"]],
        "wed": [["22:00", "24:00"]], "thu": [["00:00", "01:30"]]}}),
    Calendar.from_definition({"timezone": "Europe/Berlin", "week": {
        "sun": [["01:00", "04:00"]], "sat": [["02:15", "03:15"]], "fri": [["08:00", "12:00"], ["12:30", "16:30"]]}}),
]
instants = st.datetimes(min_value=datetime(2025, 12, 1), max_value=datetime(2028, 12, 31),
                        timezones=st.just(UTC)).map(lambda d: d.replace(second=0, microsecond=0))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(CALENDARS))), instants, st.integers(min_value=0, max_value=60 * 24 * 60))
def test_elapsed_is_the_inverse_of_add(which, start, duration_minutes):
    cal = CALENDARS[which]
    duration = minutes(duration_minutes)
    due = cal.add(start, duration)
    assert due >= start
    assert cal.elapsed(start, due) == duration
    assert cal.add(start, cal.elapsed(start, due)) == due
    if duration:
        assert cal.elapsed(start, due - minutes(1)) < duration  # the earliest such instant


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(range(len(CALENDARS))), instants, st.integers(min_value=0, max_value=3 * 24 * 60))
def test_elapsed_matches_counting_open_minutes_one_by_one(which, start, span_minutes):
    """An independent oracle: a minute is open when its local wall-clock time lies in that local
    date's intervals (the boundaries in these calendars are never ambiguous ends)."""
    cal = CALENDARS[which]
    end = start + minutes(span_minutes)

    def open_at(instant):
        local = instant.astimezone(cal.zone)
        minute = local.hour * 60 + local.minute
        return any(s <= minute < e for s, e in cal.hours_on(local.date()))

    expected = sum(1 for i in range(span_minutes) if open_at(start + minutes(i)))
    assert cal.elapsed(start, end) == minutes(expected)
    assert cal.is_open(start) == open_at(start)


# --------------------------------------------------------------------------- API

CALENDAR_BODY = {"key": "china-office", "name": "China office", **CHINA_OFFICE}


def login(app, email):
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    return client


@pytest.fixture
def staff(app, admin, make_user):
    make_user("agent@example.com", ["agent"])
    make_user("rita@example.com", ["requester"])
    return {"admin": admin, "agent": login(app, "agent@example.com"), "requester": login(app, "rita@example.com")}


def test_admins_write_staff_read_requesters_are_refused(app, staff):
    admin, agent, requester = staff["admin"], staff["agent"], staff["requester"]
    created = admin.post("/api/v1/calendars", json=CALENDAR_BODY)
    assert created.status_code == 201, created.json
    body = created.json
    assert body["key"] == "china-office" and body["built_in"] is False and body["week"]["sat"] == []
    assert body["week"]["mon"] == OFFICE_HOURS and body["created_at"]

    for client in (admin, agent):
        assert client.get("/api/v1/calendars/china-office").json == body
        keys = [c["key"] for c in client.get("/api/v1/calendars").json["items"]]
        assert keys == ["24x7", "china-office"]
        compute = client.get("/api/v1/calendars/china-office/compute",
                             query_string={"start": "2026-12-04T17:50:00+08:00", "add": "PT15M"})
        assert compute.status_code == 200 and compute.json["due"] == "2026-12-07T01:05:00+00:00"
    for method, path in [("GET", "/api/v1/calendars"), ("GET", "/api/v1/calendars/china-office"),
                         ("GET", "/api/v1/calendars/china-office/compute?add=PT1H")]:
        assert requester.request(method, path).status_code == 403
        assert app.test_client().open(path, method=method).status_code == 401
    for method, path in [("POST", "/api/v1/calendars"), ("PUT", "/api/v1/calendars/china-office"),
                         ("PATCH", "/api/v1/calendars/china-office"), ("DELETE", "/api/v1/calendars/china-office"),
                         ("POST", "/api/v1/calendars/china-office/holidays/seed")]:
        for client in (agent, requester):
            response = client.request(method, path, json={})
            assert response.status_code == 403, (method, path)
            assert error_of(response)["code"] == "forbidden"


def test_update_replace_delete_and_the_audit_log(staff):
    admin = staff["admin"]
    assert admin.post("/api/v1/calendars", json=CALENDAR_BODY).status_code == 201
    patched = admin.patch("/api/v1/calendars/china-office", json={
        "name": "Shanghai office", "holidays": [{"date": "2026-12-07", "name": "Company day"}]})
    assert patched.status_code == 200, patched.json
    assert patched.json["name"] == "Shanghai office" and patched.json["week"]["mon"] == OFFICE_HOURS
    assert patched.json["holidays"] == [{"date": "2026-12-07", "name": "Company day"}]
    due = admin.get("/api/v1/calendars/china-office/compute",
                    query_string={"start": "2026-12-04T17:50:00+08:00", "add": "PT15M"}).json
    assert due["due"] == "2026-12-08T01:05:00+00:00" and due["open_at_start"] is True

    replaced = admin.put("/api/v1/calendars/china-office", json={
        "name": "Berlin office", "timezone": "Europe/Berlin", "week": {"mon": [["08:00", "16:00"]]}})
    assert replaced.status_code == 200, replaced.json
    assert replaced.json["holidays"] == [] and replaced.json["week"]["tue"] == []
    assert admin.put("/api/v1/calendars/china-office", json={"name": "x"}).status_code == 422

    assert admin.delete("/api/v1/calendars/china-office").status_code == 204
    assert admin.get("/api/v1/calendars/china-office").status_code == 404
    assert admin.delete("/api/v1/calendars/china-office").status_code == 404
    entries = admin.get("/api/v1/audit", query_string={"target_type": "calendar"}).json["items"]
    assert [e["action"] for e in entries] == ["calendar.deleted", "calendar.updated", "calendar.updated",
                                              "calendar.created"]
    assert entries[1]["details"]["changed"] == ["name", "timezone", "week", "holidays", "workdays"]
    assert all(e["details"]["key"] == "china-office" and e["actor_id"] for e in entries)


@pytest.mark.parametrize(("change", "path", "words"), [
    ({"week": {"mon": [["09:00", "12:00"], ["11:30", "13:00"]]}}, "/week/mon/1", "overlap"),
    ({"week": {"mon": [["09:00", "25:00"]]}}, "/week/mon/0/1", "HH:MM"),
    ({"week": {"mon": "9-5"}}, "/week/mon", "list"),
    ({"week": {"someday": []}}, "/week/someday", "Unknown"),
    ({"week": {}}, "/week", "never open"),
    ({"timezone": "Mars/Olympus"}, "/timezone", "IANA"),
    ({"holidays": [{"date": "2026-13-01", "name": "x"}]}, "/holidays/0/date", "YYYY-MM-DD"),
    ({"holidays": [{"date": "2026-10-01", "colour": "red"}]}, "/holidays/0/colour", "Unknown"),
    ({"workdays": [{"date": "10/10/2026"}]}, "/workdays/0/date", "YYYY-MM-DD"),
    ({"key": "Not OK"}, "/key", "lower-case"),
    ({"name": ""}, "/name", "Length"),
    ({"colour": "red"}, "/colour", "Unknown"),
])
def test_bad_calendars_get_422_naming_the_field(staff, change, path, words):
    admin = staff["admin"]
    response = admin.post("/api/v1/calendars", json={**CALENDAR_BODY, **change})
    assert response.status_code == 422, response.json
    details = error_of(response)["details"]
    assert path in [d["path"] for d in details], details
    assert words.lower() in next(d["message"] for d in details if d["path"] == path).lower()
    assert [c["key"] for c in admin.get("/api/v1/calendars").json["items"]] == ["24x7"]


def test_patch_errors_name_the_field_and_change_nothing(staff):
    admin = staff["admin"]
    admin.post("/api/v1/calendars", json=CALENDAR_BODY)
    response = admin.patch("/api/v1/calendars/china-office", json={"week": {"fri": [["09:00", "18:00"], ["17:00", "19:00"]]}})
    assert response.status_code == 422 and error_of(response)["details"][0]["path"] == "/week/fri/1"
    assert admin.get("/api/v1/calendars/china-office").json["week"]["fri"] == OFFICE_HOURS
    assert admin.post("/api/v1/calendars", json=CALENDAR_BODY).status_code == 409
    non_json = admin.post("/api/v1/calendars", data="key=x", headers={"Content-Type": "text/plain"})
    assert non_json.status_code in (400, 415, 422) and non_json.is_json


def test_the_built_in_24x7_calendar_exists_and_cannot_change(staff):
    admin = staff["admin"]
    built_in = admin.get("/api/v1/calendars/24x7").json
    assert built_in["built_in"] is True and built_in["timezone"] == "UTC"
    assert built_in["week"]["sun"] == [["00:00", "24:00"]]
    for method, path, body in [("PATCH", "/api/v1/calendars/24x7", {"name": "x"}),
                               ("PUT", "/api/v1/calendars/24x7",
                                {"name": "x", "timezone": "UTC", "week": {"mon": [["09:00", "17:00"]]}}),
                               ("DELETE", "/api/v1/calendars/24x7", None),
                               ("POST", "/api/v1/calendars/24x7/holidays/seed", {"country": "CN", "years": [2026]}),
                               ("POST", "/api/v1/calendars", {**CALENDAR_BODY, "key": "24x7"})]:
        response = admin.request(method, path, json=body)
        assert response.status_code == 409, (method, path, response.json)
        assert "built-in" in error_of(response)["message"]
    compute = admin.get("/api/v1/calendars/24x7/compute",
                        query_string={"start": "2026-12-04T17:50:00+08:00", "add": "P1D"}).json
    assert compute["due"] == "2026-12-05T09:50:00+00:00"


def test_seeding_chinese_holidays_and_make_up_days_from_the_holidays_package(staff):
    admin = staff["admin"]
    admin.post("/api/v1/calendars", json={**CALENDAR_BODY, "holidays": [{"date": "2026-10-01", "name": "Our name"}]})
    package = holidays.country_holidays("CN", years=[2026], language="en_US")
    make_up_days = sorted(d.isoformat() for d in package.weekend_workdays if d.year == 2026)
    assert "2026-10-10" in make_up_days  # the Saturday worked for the National Day week, per the package

    seeded = admin.post("/api/v1/calendars/china-office/holidays/seed", json={"country": "CN", "years": [2026]})
    assert seeded.status_code == 200, seeded.json
    result = seeded.json
    calendar = result["calendar"]
    by_date = {h["date"]: h["name"] for h in calendar["holidays"]}
    assert by_date["2026-10-01"] == "Our name"  # what was there stays
    assert "2026-10-02" in by_date and "2026-02-17" in by_date
    assert len(by_date) == len([d for d in package if d.year == 2026])
    assert [w["date"] for w in calendar["workdays"]] == make_up_days
    assert [w["date"] for w in result["workdays_added"]] == make_up_days
    assert "2026-10-01" not in [h["date"] for h in result["holidays_added"]]

    # the seeded days change the arithmetic: National Day week is closed, the make-up Saturday open
    compute = admin.get("/api/v1/calendars/china-office/compute",
                        query_string={"start": "2026-09-30T17:30:00+08:00", "add": "PT1H"}).json
    assert compute["due"] == "2026-10-08T01:30:00+00:00"  # Oct 8 09:30 local, Oct 1-7 off
    saturday = admin.get("/api/v1/calendars/china-office/compute",
                         query_string={"start": "2026-10-10T10:00:00+08:00", "end": "2026-10-10T11:00:00+08:00"}).json
    assert saturday["open_at_start"] is True and saturday["elapsed"] == "PT1H"

    again = admin.post("/api/v1/calendars/china-office/holidays/seed", json={"country": "cn", "years": [2026]}).json
    assert again["holidays_added"] == [] and again["workdays_added"] == []
    assert again["calendar"]["holidays"] == calendar["holidays"]
    audit = admin.get("/api/v1/audit", query_string={"target_type": "calendar"}).json["items"]
    assert [e["action"] for e in audit][:2] == ["calendar.holidays_seeded", "calendar.holidays_seeded"]
    assert audit[1]["details"]["workdays_added"] == len(make_up_days)


def test_seeding_errors_name_the_field(staff):
    admin = staff["admin"]
    admin.post("/api/v1/calendars", json=CALENDAR_BODY)
    for body, path in [({"country": "XX", "years": [2026]}, "/country"),
                       ({"country": "US", "years": [2026], "subdiv": "ZZ"}, "/subdiv"),
                       ({"country": "CN", "years": [2026], "language": "xx"}, "/language"),
                       ({"country": "CN", "years": [1200]}, "/years/0"),
                       ({"country": "CN", "years": []}, "/years"),
                       ({"country": "CN"}, "/years")]:
        response = admin.post("/api/v1/calendars/china-office/holidays/seed", json=body)
        assert response.status_code == 422, (body, response.json)
        assert error_of(response)["details"][0]["path"] == path, (body, response.json)
    assert admin.post("/api/v1/calendars/nope/holidays/seed", json={"country": "CN", "years": [2026]}).status_code == 404
    us = admin.post("/api/v1/calendars/china-office/holidays/seed",
                    json={"country": "US", "years": [2026], "subdiv": "CA"}).json
    assert {"date": "2026-07-03", "name": "Independence Day (observed)"} in us["holidays_added"]
    assert us["workdays_added"] == []


def test_compute_answers_and_refuses_clearly(staff):
    admin = staff["admin"]
    admin.post("/api/v1/calendars", json=CALENDAR_BODY)
    url = "/api/v1/calendars/china-office/compute"
    elapsed = admin.get(url, query_string={"start": "2026-12-04T17:00:00+08:00", "end": "2026-12-07T10:00:00+08:00"}).json
    assert elapsed["elapsed"] == "PT2H" and elapsed["elapsed_seconds"] == 7200
    closed = admin.get(url, query_string={"start": "2026-12-05T10:00:00+08:00", "add": "PT0M"}).json
    assert closed["open_at_start"] is False and closed["due"] == closed["next_open"] == "2026-12-07T01:00:00+00:00"
    assert admin.get(url, query_string={"add": "PT1H"}).status_code == 200  # start defaults to now
    for query, path in [({"start": "2026-12-04T17:00:00+08:00"}, "/add"),
                        ({"start": "2026-12-04T17:00:00+08:00", "add": "PT1H", "end": "2026-12-05T00:00:00Z"}, "/add"),
                        ({"add": "four hours"}, "/add"),
                        ({"add": "P99999999999D"}, "/add"),
                        ({"start": "2026-12-04T17:00:00", "add": "PT1H"}, "/start"),
                        ({"start": "yesterday", "add": "PT1H"}, "/start")]:
        response = admin.get(url, query_string=query)
        assert response.status_code == 422, (query, response.json)
        details = error_of(response)["details"]
        assert details[0]["path"] == path and details[0]["location"] == "query", (query, details)
    huge = admin.get(url, query_string={"start": "9999-12-01T00:00:00Z", "add": "P300W"})
    assert huge.status_code == 422 and "9999" in error_of(huge)["message"]
    assert admin.get("/api/v1/calendars/nope/compute", query_string={"add": "PT1H"}).status_code == 404


def test_a_calendar_used_by_a_published_sla_policy_cannot_be_deleted(staff):
    admin = staff["admin"]
    admin.post("/api/v1/calendars", json=CALENDAR_BODY)
    example = json.loads((Path(__file__).resolve().parents[2] / "designer" / "format" / "examples" / "it-incident.json")
                         .read_text())
    document = copy.deepcopy(example)
    for policy in document["sla"]:
        policy["calendar"] = "china-office"
    imported = admin.post("/api/v1/ticket-types/import", json=document)
    assert imported.status_code == 201, imported.json
    response = admin.delete("/api/v1/calendars/china-office")
    assert response.status_code == 409 and "it-incident v1" in error_of(response)["message"]
    assert admin.get("/api/v1/calendars/china-office").status_code == 200


# --------------------------------------------------------------------------- the compiled-calendar cache


def test_get_calendar_compiles_once_until_the_row_changes(app, staff):
    admin = staff["admin"]
    admin.post("/api/v1/calendars", json=CALENDAR_BODY)
    with app.app_context():
        from platform_core.db import get_session

        session = get_session()
        first = get_calendar(session, "china-office")
        assert get_calendar(session, "china-office") is first
        assert get_calendar(session, "24x7") is ALWAYS_OPEN
        assert set(get_calendars(session, ["china-office", "24x7", "nope"])) == {"china-office", "24x7"}
        with pytest.raises(UnknownCalendar) as caught:
            get_calendar(session, "nope")
        assert caught.value.key == "nope" and caught.value.status == 404
        session.rollback()
    admin.patch("/api/v1/calendars/china-office", json={"holidays": [{"date": "2026-12-07"}]})
    with app.app_context():
        from platform_core.db import get_session

        again = get_calendar(get_session(), "china-office")
        assert again is not first and again.holiday_on(date(2026, 12, 7)) == "Holiday"
        assert again.add(sh(2026, 12, 4, 17, 50), minutes(15)) == sh(2026, 12, 8, 9, 5)


# --------------------------------------------------------------------------- CLI


def _run(app, *args):
    return app.test_cli_runner().invoke(main, list(args), catch_exceptions=False)


def test_calendars_from_the_command_line(app):
    created = _run(app, "calendars", "create", "china-office", "--timezone", "Asia/Shanghai",
                   "--hours", "mon-fri 09:00-12:00,13:00-18:00", "--name", "China office")
    assert created.exit_code == 0, created.output
    assert "Created calendar china-office (Asia/Shanghai)" in created.output
    seeded = _run(app, "calendars", "seed", "china-office", "--country", "CN", "--years", "2026,2027")
    assert seeded.exit_code == 0, seeded.output
    assert "holiday  2026-10-01  National Day" in seeded.output
    assert "workday  2026-10-10" in seeded.output

    shown = _run(app, "calendars", "show", "china-office")
    assert "mon  09:00-12:00, 13:00-18:00" in shown.output and "sat  closed" in shown.output
    assert "2026-10-01  National Day" in shown.output and "Make-up working days:" in shown.output
    listed = _run(app, "calendars", "list").output.splitlines()
    assert listed[0].startswith("24x7\t") and listed[1].startswith("china-office\tChina office\tAsia/Shanghai\t5 day(s)")

    due = _run(app, "calendars", "compute", "china-office", "--start", "2026-12-04T17:50", "--add", "PT15M")
    assert due.exit_code == 0 and "due      2026-12-07T09:05:00+08:00 (2026-12-07T01:05:00+00:00)" in due.output
    elapsed = _run(app, "calendars", "compute", "china-office", "--start", "2026-12-04T17:00+08:00",
                   "--end", "2026-12-07T10:00+08:00")
    assert "elapsed  PT2H" in elapsed.output

    with app.app_context():
        from platform_core.db import get_session

        office = get_calendar(get_session(), "china-office")
        assert office.add(sh(2026, 9, 30, 17, 30), timedelta(hours=1)) == sh(2026, 10, 8, 9, 30)


def test_command_line_errors(app):
    assert _run(app, "calendars", "create", "x", "--timezone", "Mars/Olympus", "--hours", "mon 09:00-17:00").exit_code == 1
    bad_zone = _run(app, "calendars", "create", "x", "--timezone", "Mars/Olympus", "--hours", "mon 09:00-17:00")
    assert "/timezone" in bad_zone.output
    overlap = _run(app, "calendars", "create", "x", "--timezone", "UTC", "--hours", "mon 09:00-12:00,11:00-13:00")
    assert overlap.exit_code == 1 and "/week/mon/1" in overlap.output and "overlap" in overlap.output
    assert _run(app, "calendars", "create", "x", "--timezone", "UTC", "--hours", "funday 09:00-12:00").exit_code == 2
    assert _run(app, "calendars", "create", "x", "--timezone", "UTC", "--hours", "mon nine-to-five").exit_code == 2
    assert _run(app, "calendars", "show", "nope").exit_code == 1
    assert _run(app, "calendars", "seed", "24x7", "--country", "CN", "--years", "2026").exit_code == 1
    assert _run(app, "calendars", "seed", "nope", "--country", "CN", "--years", "twenty").exit_code == 2
    assert _run(app, "calendars", "compute", "24x7", "--add", "PT1H", "--end", "2026-01-01T00:00Z").exit_code == 2
    weekend = _run(app, "calendars", "create", "weekend", "--timezone", "UTC", "--hours", "sat,sun 10:00-16:00;fri 16:00-24:00")
    assert weekend.exit_code == 0, weekend.output
    assert "fri  16:00-24:00" in _run(app, "calendars", "show", "weekend").output

"""Dashboards: who may open and change them, saving with If-Match, the built-in defaults, and each tile's figures
computed by the metrics layer with the viewer's visibility (an agent never counts a ticket they cannot see)."""

from __future__ import annotations

import copy
import csv
import io
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from platform_core.audit import csv_cell, record
from platform_core.auth.models import Role, Team, User
from platform_core.db import utcnow
from platform_core.errors import Forbidden, NotFound, PreconditionFailed, ValidationFailed
from runtime.dashboards import figures, tiles
from runtime.dashboards.models import Dashboard
from runtime.dashboards.texts import say
from runtime.reports import metrics
from runtime.tickets.models import TicketType

BUILTIN_PREFIX = "builtin-"


# --------------------------------------------------------------------------- who may see what


def _team_keys(user: User) -> set[str]:
    return {team.key for team in user.teams}


def may_open(dashboard: Dashboard, user: User) -> bool:
    if dashboard.owner_id == user.id or user.has_role("admin"):
        return True
    if dashboard.is_default_for and user.has_role(dashboard.is_default_for):
        return True
    shared = dashboard.shared_with or {}
    return bool(set(shared.get("roles") or []) & set(user.role_names) or set(shared.get("teams") or []) & _team_keys(user))


def may_change(dashboard: Dashboard, user: User) -> bool:
    return dashboard.owner_id == user.id or user.has_role("admin")


def get_dashboard(session: Session, user: User, dashboard_id: int, locale: str) -> Dashboard:
    """The dashboard, if the user may open it; someone else's private dashboard is 404, as if it did not exist."""
    dashboard = session.get(Dashboard, dashboard_id)
    if dashboard is None or not may_open(dashboard, user):
        raise NotFound(say("not_found", locale, id=dashboard_id))
    return dashboard


def list_dashboards(session: Session, user: User, locale: str) -> list[dict[str, Any]]:
    """Mine, those shared with my roles or teams, my roles' defaults; the built-in default when none is mine and no
    role has one. Sharing is a short JSON list per dashboard, checked here: dashboards are few (dozens, not
    thousands), so reading them all is cheaper than a JSON containment query per dialect."""
    candidates = session.scalars(select(Dashboard).order_by(Dashboard.name, Dashboard.id))
    found = [d for d in candidates if d.owner_id == user.id or _shared(d, user)]
    items = [view(d, user) for d in found]
    if not any(d.owner_id == user.id or d.is_default_for for d in found):
        items.insert(0, builtin_default(session, user, locale))
    return items


def _shared(dashboard: Dashboard, user: User) -> bool:
    if dashboard.is_default_for and user.has_role(dashboard.is_default_for):
        return True
    shared = dashboard.shared_with or {}
    return bool(set(shared.get("roles") or []) & set(user.role_names) or set(shared.get("teams") or []) & _team_keys(user))


def view(dashboard: Dashboard, user: User) -> dict[str, Any]:
    return {"id": str(dashboard.id), "name": dashboard.name, "builtin": False,
            "owner": {"id": dashboard.owner_id, "name": dashboard.owner.name},
            "shared_with": {"roles": list((dashboard.shared_with or {}).get("roles") or []),
                            "teams": list((dashboard.shared_with or {}).get("teams") or [])},
            "is_default_for": dashboard.is_default_for, "tiles": dashboard.tiles,
            "refresh_seconds": dashboard.refresh_seconds, "version": dashboard.version,
            "created_at": dashboard.created_at, "updated_at": dashboard.updated_at,
            "editable": may_change(dashboard, user)}


# --------------------------------------------------------------------------- saving


def _check(session: Session, user: User, body: dict[str, Any], locale: str) -> dict[str, Any]:
    """Every problem of the body at once, by JSON pointer; the cleaned values otherwise."""
    problems = tiles.check_tiles(body.get("tiles", []))
    shared = body.get("shared_with") or {}
    roles = set(session.scalars(select(Role.name)))
    teams = set(session.scalars(select(Team.key)))
    for i, role in enumerate(shared.get("roles") or []):
        if role not in roles:
            problems.append((f"/shared_with/roles/{i}", f"There is no role '{role}'."))
    for i, team in enumerate(shared.get("teams") or []):
        if team not in teams:
            problems.append((f"/shared_with/teams/{i}", f"There is no team '{team}'."))
    default_for = body.get("is_default_for")
    if default_for is not None and default_for not in roles:
        problems.append(("/is_default_for", f"There is no role '{default_for}'."))
    refresh = body.get("refresh_seconds")
    if refresh is not None and refresh not in tiles.REFRESH:
        problems.append(("/refresh_seconds", "Refresh every 60 or 300 seconds, or not at all (null)."))
    if not problems:
        problems += _check_against_data(session, user, body.get("tiles") or [], teams)
    if problems:
        raise ValidationFailed(say("invalid", locale, count=len(problems)),
                               details=[{"path": path, "location": "json", "message": message}
                                        for path, message in problems])
    if default_for is not None and not user.has_role("admin"):
        raise Forbidden(say("default_admin", locale))
    return {"name": body["name"].strip(), "tiles": body.get("tiles") or [], "refresh_seconds": refresh,
            "shared_with": {"roles": list(dict.fromkeys(shared.get("roles") or [])),
                            "teams": list(dict.fromkeys(shared.get("teams") or []))},
            "is_default_for": default_for}


def _check_against_data(session: Session, user: User, tile_list: list[dict[str, Any]], teams: set[str]) -> list:
    """Types, teams and breakdowns on form fields: what only the database knows. The metrics layer decides
    breakdowns, as it does for the reports API."""
    problems = []
    types = set(session.scalars(select(TicketType.key)))
    now = utcnow()
    for i, tile in enumerate(tile_list):
        filters = tile.get("filters") or {}
        if filters.get("type") is not None and filters["type"] not in types:
            problems.append((f"/tiles/{i}/filters/type", f"There is no ticket type '{filters['type']}'."))
            continue
        if filters.get("team") is not None and filters["team"] not in teams:
            problems.append((f"/tiles/{i}/filters/team", f"There is no team '{filters['team']}'."))
        if tile.get("by") is not None:
            metric = metrics.METRICS[tile["metric"]]
            query = metrics.MetricQuery(start=now, end=now, now=now, tz=ZoneInfo("UTC"), by=tile["by"],
                                        filters={"type": filters.get("type")})
            try:
                metrics.Context(session, user, query, metric)
            except metrics.ReportError as error:
                problems.append((f"/tiles/{i}/by", error.details[0]["message"]))  # type: ignore[index]
    return problems


def _check_version(dashboard: Dashboard, if_match: int | None, locale: str) -> None:
    if if_match is not None and if_match != dashboard.version:
        raise PreconditionFailed(say("changed", locale, version=dashboard.version),
                                 details=[{"path": "If-Match", "location": "header", "message": "Stale version."}])


def create(session: Session, user: User, body: dict[str, Any], locale: str) -> Dashboard:
    values = _check(session, user, body, locale)
    dashboard = Dashboard(owner_id=user.id, version=1, **values)
    session.add(dashboard)
    session.flush()
    record(session, "dashboard.created", "dashboard", dashboard.id, actor_id=user.id,
           details={"name": dashboard.name, "tiles": len(dashboard.tiles)})
    session.commit()
    return dashboard


def update(session: Session, user: User, dashboard_id: int, body: dict[str, Any], if_match: int | None,
           locale: str) -> Dashboard:
    """Replace the dashboard; If-Match, when sent, must be the version that was read (412)."""
    dashboard = get_dashboard(session, user, dashboard_id, locale)
    if not may_change(dashboard, user):
        raise Forbidden(say("not_yours", locale))
    _check_version(dashboard, if_match, locale)
    values = _check(session, user, body, locale)
    if values["is_default_for"] == dashboard.is_default_for and not user.has_role("admin"):
        values.pop("is_default_for")
    before = {"name": dashboard.name, "tiles": len(dashboard.tiles), "shared_with": dashboard.shared_with}
    for name, value in values.items():
        setattr(dashboard, name, value)
    dashboard.updated_at = utcnow()
    record(session, "dashboard.updated", "dashboard", dashboard.id, actor_id=user.id,
           details={"before": before, "after": {"name": dashboard.name, "tiles": len(dashboard.tiles),
                                                "shared_with": dashboard.shared_with}})
    try:  # the version counter's UPDATE ... WHERE version = :read: a save in between matches no row
        session.commit()
    except StaleDataError:
        session.rollback()
        raise PreconditionFailed(say("changed", locale, version="?"),
                                 details=[{"path": "If-Match", "location": "header", "message": "Stale version."}]) from None
    return dashboard


def delete(session: Session, user: User, dashboard_id: int, locale: str) -> None:
    dashboard = get_dashboard(session, user, dashboard_id, locale)
    if not may_change(dashboard, user):
        raise Forbidden(say("not_yours", locale))
    record(session, "dashboard.deleted", "dashboard", dashboard.id, actor_id=user.id,
           details={"name": dashboard.name, "owner_id": dashboard.owner_id})
    session.delete(dashboard)
    session.commit()


# --------------------------------------------------------------------------- built-in defaults


def _tile(tile_id: str, kind: str, metric: str, measure: Any, layout: tuple[int, int, int, int], **more: Any) -> dict:
    x, y, w, h = layout
    return {"id": tile_id, "kind": kind, "metric": metric, "measure": measure, "range": "last_30_days",
            "filters": {}, "layout": {"x": x, "y": y, "w": w, "h": h}, **more}


def _category_breakdown(session: Session, user: User) -> str:
    now = utcnow()
    ctx_query = metrics.MetricQuery(start=now, end=now, now=now, tz=ZoneInfo("UTC"))
    context = metrics.Context(session, user, ctx_query, metrics.METRICS["volume"])
    return "category" if "category" in context.enum_fields() else "type"


def builtin_tiles(session: Session, user: User, locale: str) -> tuple[str, list[dict[str, Any]]]:
    """Agents: "My load" (assigned to me); a team's supervisor: "My team"; its manager or an admin: "Everything"."""
    manages = session.scalar(select(Team.key).where(Team.manager_id == user.id).order_by(Team.key).limit(1))
    supervises = session.scalar(select(Team.key).where(Team.supervisor_id == user.id).order_by(Team.key).limit(1))
    if user.has_role("admin") or manages:
        key, filters = "everything", {}
    elif supervises:
        key, filters = "my_team", {"team": supervises}
    else:
        key, filters = "my_load", {"assignee": "me"}
    out = [
        _tile("created-resolved", "line", "created_vs_resolved", ["created", "resolved"], (0, 0, 6, 4), bucket="day"),
        _tile("backlog", "kpi", "backlog", "count", (6, 0, 3, 2)),
        _tile("first-response", "kpi", "first_response_time", "avg", (9, 0, 3, 2)),
        _tile("resolution", "kpi", "resolution_time", "avg", (6, 2, 3, 2)),
        _tile("sla", "gauge", "sla_compliance", "compliance", (9, 2, 3, 2)),
        _tile("by-priority", "bar", "volume", "count", (0, 4, 4, 4), by="priority"),
        _tile("by-category", "pie", "volume", "count", (4, 4, 4, 4), by=_category_breakdown(session, user)),
        _tile("load", "table", "load", ["count", "avg"], (8, 4, 4, 4), by="assignee" if key != "my_load" else "team"),
    ]
    for tile in out:
        tile["filters"] = dict(filters)
        tile["title"] = say(f"tile.{tile['id']}", locale)
    return key, out


def builtin_default(session: Session, user: User, locale: str) -> dict[str, Any]:
    key, tile_list = builtin_tiles(session, user, locale)
    return {"id": BUILTIN_PREFIX + key.replace("_", "-"), "name": say(f"dash.{key}", locale), "builtin": True,
            "owner": None, "shared_with": {"roles": [], "teams": []}, "is_default_for": None, "tiles": tile_list,
            "refresh_seconds": None, "version": 0, "created_at": None, "updated_at": None, "editable": False}


def find(session: Session, user: User, dashboard_id: str, locale: str) -> dict[str, Any]:
    """A dashboard by its id: a number, or the caller's built-in default (``builtin-…``)."""
    if dashboard_id.startswith(BUILTIN_PREFIX):
        built = builtin_default(session, user, locale)
        if built["id"] != dashboard_id:
            raise NotFound(say("not_found", locale, id=dashboard_id))
        return built
    if not dashboard_id.isdigit() or int(dashboard_id) >= 2**31:
        raise NotFound(say("not_found", locale, id=dashboard_id))
    return view(get_dashboard(session, user, int(dashboard_id), locale), user)


# --------------------------------------------------------------------------- a tile's data


def _zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo("UTC")


def tile_data(session: Session, user: User, dashboard_id: str, tile_id: str, locale: str,
              tz: ZoneInfo | None = None, every_measure: bool = False) -> dict[str, Any]:
    """The tile's rows (metrics.compute, the viewer's visibility), its plotly figure and where each point drills.
    A percentile the tile does not show is not computed (ranking every value is the costly part of a
    distribution) unless ``every_measure`` (the CSV has every measure of the metric)."""
    dashboard = find(session, user, dashboard_id, locale)
    tile = next((t for t in dashboard["tiles"] if t.get("id") == tile_id), None)
    if tile is None:
        raise NotFound(say("tile_not_found", locale, tile=tile_id))
    tile = copy.deepcopy(tile)
    tz = tz or _zone(user)
    now = utcnow()
    start, end = tiles.time_range(tile.get("range", "last_30_days"), now, tz)
    filters = {name: (tile.get("filters") or {}).get(name) for name in tiles.FILTERS}
    if filters["assignee"] == "me":
        filters["assignee"] = user.id
    query = metrics.MetricQuery(start=start, end=end, now=now, tz=tz, bucket=tile.get("bucket"), by=tile.get("by"),
                                filters=filters, measures=None if every_measure else tuple(tiles.measures_of(tile)),
                                locale=locale)
    result = metrics.compute(session, user, tile["metric"], query)
    drills = [_drill(session, tile, filters, row, query) for row in result["rows"]]
    figure = figures.build(tile, result, drills, locale)
    return {"tile": tile, "metric": result["metric"], "unit": result["unit"], "measures": tiles.measures_of(tile),
            "by": result["by"], "bucket": result["bucket"], "tz": result["tz"], "from": result["from_"],
            "to": result["to"], "at": result["at"], "rows": [{**row, "drill": drill} for row, drill in
                                                                zip(result["rows"], drills, strict=True)],
            "figure": figure}


# Metrics whose rows count tickets by their creation: a created_after/created_before window lists the same tickets.
_BY_CREATION = ("volume", "reopen_rate", "created_vs_resolved")
_OPEN_NOW = ("backlog", "load")


def _drill(session: Session, tile: dict[str, Any], filters: dict[str, Any], row: dict[str, Any],
           query: metrics.MetricQuery) -> dict[str, Any]:
    """The workspace list's URL filters for one point: queue=all and the ticket list's own parameters (team key,
    assignee e-mail, priority, status, status category, type, creation window). ``exact`` is false when the
    point counts something the list cannot filter on (a form field, a resolution time, an SLA clock)."""
    params: dict[str, str] = {"queue": "all"}
    exact = True
    values = dict(filters)
    by = tile.get("by") or metrics.METRICS[tile["metric"]].default_by
    if by and "group" in row:
        values[by] = row["group"] if row["group"] is not None else None
        if by in ("team", "type", "assignee") and row["group"] is not None:
            values[by] = int(row["group"])
        if row["group"] is None and by == "assignee":
            values["assignee"] = "none"
    for name in ("type", "team", "assignee"):
        value = values.get(name)
        if value is None or value == "none":
            if value == "none":
                params["assignee"] = "none"
            continue
        if name == "type":
            key = value if isinstance(value, str) else session.scalar(select(TicketType.key).where(TicketType.id == value))
            params["type"] = key or ""
        elif name == "team":
            key = value if isinstance(value, str) else session.scalar(select(Team.key).where(Team.id == value))
            params["team"] = key or ""
        else:
            params["assignee"] = session.scalar(select(User.email).where(User.id == value)) or ""
    for name in ("priority", "status", "status_category"):
        if values.get(name) is not None:
            params[name] = str(values[name])
    if values.get("source") is not None or (by and by not in ("type", "team", "assignee", "priority", "status",
                                                               "status_category")):
        exact = False
    if tile["metric"] in _OPEN_NOW and "status_category" not in params:
        params["status_category"] = "new,open,pending"
    elif tile["metric"] in _BY_CREATION:
        low, high = query.start, query.end
        if row.get("bucket"):
            low = datetime.fromisoformat(row["bucket"])
            high = min(_bucket_end(low, query.bucket or "day"), query.end)
            low = max(low, query.start)
        params["created_after"] = _utc(low)
        params["created_before"] = _utc(high)
    else:
        exact = False
    return {"url": "/workspace?" + urlencode(params), "filters": params, "exact": exact}


def _bucket_end(start: datetime, unit: str) -> datetime:
    if unit == "hour":
        return start + timedelta(hours=1)
    if unit == "day":
        return (start + timedelta(days=1, hours=3)).replace(hour=0)  # a day of 23 or 25 hours ends at midnight too
    if unit == "week":
        return (start + timedelta(days=7, hours=3)).replace(hour=0)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def _utc(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


def tile_csv(data: dict[str, Any]) -> str:
    """The tile's rows as CSV: keys (bucket, clock/state and its label, group: the stored value, label: the
    reader's), the metric's measures, the drill URL."""
    rows = data["rows"]
    keys = [k for k in ("bucket", "clock", "state", "state_label", "group", "label") if any(k in r for r in rows)]
    measures = [m for m in metrics.METRICS[data["metric"]].measures]  # tile_data(every_measure=True) has them all
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*keys, *measures, "drill"])
    for row in rows:
        values = [row.get(k) for k in (*keys, *measures)]
        writer.writerow([v if isinstance(v, int | float) else csv_cell(v) for v in values] + [row["drill"]["url"]])
    return buffer.getvalue()

"""Dashboards API under /api/v1/reports/dashboards: staff only; a tile's figures count only what the viewer may see."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Response, make_response, request

from platform_core.api import Blueprint
from platform_core.auth.current import actor, requires
from platform_core.db import db_session
from platform_core.errors import BadRequest, ValidationFailed
from runtime.dashboards import schemas as s
from runtime.dashboards import services
from runtime.dashboards.texts import say
from runtime.rules.i18n import reader_locale

bp = Blueprint("dashboards", __name__, url_prefix="/api/v1/reports/dashboards",
               description="Dashboards: grids of metric tiles, shared with roles and teams")

STAFF = ("admin", "agent")


def _locale() -> str:
    return reader_locale(actor().locale, request.headers.get("Accept-Language"))


def _if_match() -> int | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 9:
        raise BadRequest(say("if_match", _locale()),
                         details=[{"path": "If-Match", "location": "header", "message": "Not a dashboard version."}])
    return int(value)


def _one(item: dict[str, Any], status: int = 200) -> Any:
    response = make_response(s.DashboardSchema().dump(item), status)
    if not item["builtin"]:
        response.headers["ETag"] = f'"{item["version"]}"'
    return response


def _zone(args: dict[str, Any]) -> ZoneInfo | None:
    if not args.get("tz"):
        return None
    try:
        return ZoneInfo(args["tz"])
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValidationFailed(f"Unknown time zone '{args['tz']}'; use an IANA name such as Asia/Shanghai.",
                               details=[{"path": "tz", "location": "query", "message": "Unknown time zone."}]) from error


@bp.get("")
@requires(*STAFF)
@bp.response(200, s.DashboardListSchema)
def list_dashboards():
    """Yours, those shared with your roles or teams, your roles' defaults; a built-in default when you have none."""
    return {"items": services.list_dashboards(db_session, actor(), _locale())}


@bp.post("")
@requires(*STAFF)
@bp.arguments(s.DashboardInSchema)
@bp.response(201, s.DashboardSchema)
def create_dashboard(body):
    """A new dashboard of yours; every tile is checked (422 names each problem by its JSON pointer)."""
    dashboard = services.create(db_session, actor(), body, _locale())
    return _one(services.view(dashboard, actor()), 201)


@bp.get("/<dashboard_id>")
@requires(*STAFF)
@bp.response(200, s.DashboardSchema)
def get_dashboard(dashboard_id):
    """One dashboard you may open (a number, or your built-in default's id); its version is the ETag."""
    return _one(services.find(db_session, actor(), dashboard_id, _locale()))


@bp.put("/<int:dashboard_id>")
@requires(*STAFF)
@bp.arguments(s.DashboardInSchema)
@bp.response(200, s.DashboardSchema)
def update_dashboard(body, dashboard_id):
    """Replace the dashboard (owner or admin). Send If-Match with the ETag: 412 when someone saved it in between."""
    dashboard = services.update(db_session, actor(), dashboard_id, body, _if_match(), _locale())
    return _one(services.view(dashboard, actor()))


@bp.delete("/<int:dashboard_id>")
@requires(*STAFF)
@bp.response(204)
def delete_dashboard(dashboard_id):
    """Delete the dashboard (owner or admin)."""
    services.delete(db_session, actor(), dashboard_id, _locale())
    return ""


@bp.get("/<dashboard_id>/tiles/<tile_id>")
@requires(*STAFF)
@bp.arguments(s.TileQuerySchema, location="query")
@bp.response(200, s.TileDataSchema)
def tile_data(args, dashboard_id, tile_id):
    """The tile's rows computed now over the tickets you may see, its plotly figure, and each point's drill-down
    (the workspace list's URL filters)."""
    if tile_id.endswith(".csv"):
        return _csv(args, dashboard_id, tile_id.removesuffix(".csv"))
    return services.tile_data(db_session, actor(), dashboard_id, tile_id, _locale(), _zone(args))


def _csv(args: dict[str, Any], dashboard_id: str, tile_id: str) -> Response:
    data = services.tile_data(db_session, actor(), dashboard_id, tile_id, _locale(), _zone(args), every_measure=True)
    response = Response("\ufeff" + services.tile_csv(data), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="dashboard-{dashboard_id}-{tile_id}.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

"""The dashboards API's shapes. Tiles are checked by runtime.dashboards.tiles (every problem by JSON pointer), so the
schema takes them as they come."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate


class SharedWithSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    roles = fields.List(fields.String(validate=validate.Length(min=1, max=64)), load_default=list,
                        validate=validate.Length(max=50), metadata={"description": "Role names"})
    teams = fields.List(fields.String(validate=validate.Length(min=1, max=64)), load_default=list,
                        validate=validate.Length(max=200), metadata={"description": "Team keys"})


class DashboardInSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    shared_with = fields.Nested(SharedWithSchema, load_default=dict)
    is_default_for = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64),
                                   metadata={"description": "A role whose members get this dashboard by default (admin)"})
    tiles = fields.List(fields.Raw(), load_default=list, metadata={
        "description": "Tiles: {id, title?, kind, metric, measure, by?, bucket?, filters, range, layout {x,y,w,h}} "
                       "(docs/dashboards.md)"})
    refresh_seconds = fields.Integer(load_default=None, allow_none=True, strict=True,
                                     metadata={"description": "null, 60 or 300"})


class OwnerSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()


class DashboardSchema(ma.Schema):
    id = fields.String(metadata={"description": "A number, or builtin-… for the built-in default"})
    name = fields.String()
    builtin = fields.Boolean()
    owner = fields.Nested(OwnerSchema, allow_none=True)
    shared_with = fields.Dict()
    is_default_for = fields.String(allow_none=True)
    tiles = fields.List(fields.Dict())
    refresh_seconds = fields.Integer(allow_none=True)
    version = fields.Integer()
    created_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    editable = fields.Boolean(metadata={"description": "Whether the caller may save or delete it"})


class DashboardListSchema(ma.Schema):
    items = fields.List(fields.Nested(DashboardSchema))


class TileQuerySchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    tz = fields.String(load_default=None, validate=validate.Length(max=64),
                       metadata={"description": "IANA time zone of the buckets; default the caller's profile zone"})


class TileDataSchema(ma.Schema):
    tile = fields.Dict()
    metric = fields.String()
    unit = fields.String()
    measures = fields.List(fields.String())
    by = fields.String(allow_none=True)
    bucket = fields.String(allow_none=True)
    tz = fields.String()
    from_ = fields.String(data_key="from", allow_none=True)
    to = fields.String(allow_none=True)
    at = fields.String()
    rows = fields.List(fields.Dict(), metadata={"description": "metrics rows, each with its drill {url, filters, exact}"})
    figure = fields.Dict(metadata={"description": "A plotly figure; each point's customdata is its drill URL"})

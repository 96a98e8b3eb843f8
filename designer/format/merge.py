"""A three-way merge of ticket-type definitions: what THEIRS (a new template version) and MINE (the company's draft)
each changed since BASE (the definition the installed template version shipped), and where both changed the same
part differently (a conflict the admin decides).

Pure functions, no database. The parts are those the definition diff speaks of (designer/format/diff.py): the
document's own keys, each form field (a field's keywords such as ``title`` one by one when both sides changed it),
whether a field is required and where it sits in the form's order, each form-layout setting, the priority, each
state and transition by key, each routing rule, SLA policy and automation by name and each chart by key (their
keys one by one when both sides changed the same item), and the order of the routing rules (the first match wins).

A part is named by a path: JSON-pointer syntax in which list items are addressed by their key or name, not their
position, since positions differ between the three documents: ``/workflow/states/waiting``,
``/routing/Network to network ops/assign``, ``/form/schema/properties/summary/title``,
``/form/schema/required/summary`` (is the field required), ``/form/ui/ui:order/summary`` (is it in the order).

Per part: unchanged on both sides, or changed the same way on both, keeps MINE; changed only by THEIRS takes
THEIRS (a clean template change); changed only by MINE keeps MINE (a local change); changed differently by both
is a conflict, resolved by a choice of ``mine`` or ``theirs``. With no BASE (an install whose shipped definition is
unknown) every part where THEIRS and MINE differ is a conflict: nothing is decided for the admin.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from designer.format.document import canonical_json

__all__ = ["MISSING", "Decision", "MergePlan", "plan_merge", "resolve"]


class _Missing:
    """The part does not exist in that document."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

# Lists of objects addressed by a key: (where the list is, the key naming an item, the kind of part).
_KEYED_LISTS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("workflow", "states"), "key", "state"),
    (("workflow", "transitions"), "key", "transition"),
    (("routing",), "name", "routing"),
    (("sla",), "name", "sla"),
    (("automations",), "name", "automation"),
    (("charts",), "key", "chart"),
)
_NEVER_MERGED = ("key", "format")  # the type's identity, and the format every document is upgraded to


def _escape(part: Any) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _same(a: Any, b: Any) -> bool:
    if a is MISSING or b is MISSING:
        return a is b
    return canonical_json(a) == canonical_json(b)


def _get(document: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(document, dict) or key not in document:
            return MISSING
        document = document[key]
    return document


@dataclass(frozen=True)
class _Unit:
    """Where a part lives: ``kind`` says how to read and write it in a document."""

    kind: str  # "key" (a dict entry), "item" (a keyed list's item), "member" (a string in a list), "order"
    path: tuple[str, ...]  # the dict or the list holding it
    ident: str  # the dict key, the item's key or name, or the member
    item_key: str = ""  # for "item": the key naming items ("key" or "name")

    def read(self, document: Any) -> Any:
        container = _get(document, self.path)
        if self.kind == "key":
            return container.get(self.ident, MISSING) if isinstance(container, dict) else MISSING
        if self.kind == "item":
            return next((copy.deepcopy(item) for item in container if item.get(self.item_key) == self.ident),
                        MISSING) if isinstance(container, list) else MISSING
        if self.kind == "member":
            return True if isinstance(container, list) and self.ident in container else MISSING
        return [item.get(self.item_key) for item in container] if isinstance(container, list) else MISSING


@dataclass
class Decision:
    """One part of the definition as the merge sees it.

    ``side`` is "theirs" (only the template changed it: taken), "mine" (only the company changed it: kept),
    "both" (both changed it the same way) or "conflict" (both changed it differently: ``choice`` decides).
    ``change`` says what the changing side(s) did relative to BASE: "added", "removed" or "changed" ("differs" when
    BASE is unknown).
    """

    pointer: str
    part: str  # document, field, required, form_order, form_layout, form, priority, workflow, state, transition,
    #            routing, sla, automation, chart, routing_order
    name: str  # the field, state, rule … the part belongs to ("" for the document's own keys)
    attribute: str | None  # the key inside that part, when both sides changed the same part
    side: str
    change: str
    base: Any
    theirs: Any
    mine: Any
    unit: _Unit = field(repr=False, default=None)  # type: ignore[assignment]
    choice: str | None = None
    label: str = ""  # how people know the part: a field's title, a state's name (MINE's, else THEIRS's)

    def as_dict(self) -> dict[str, Any]:
        def value(v: Any) -> Any:
            return None if v is MISSING else v

        return {"pointer": self.pointer, "part": self.part, "name": self.name, "label": self.label or self.name,
                "attribute": self.attribute,
                "side": self.side, "change": self.change, "removal": self.change == "removed",
                "base": value(self.base), "theirs": value(self.theirs), "mine": value(self.mine),
                "in_base": self.base is not MISSING, "in_theirs": self.theirs is not MISSING,
                "in_mine": self.mine is not MISSING, "keys": self.keys}

    @property
    def keys(self) -> list[str]:
        """The keys of the part that differ between the sides compared, when they are objects (a rule's assign)."""
        values = [v for v in ((self.base, self.mine) if self.side == "mine" else (self.base, self.theirs)
                              if self.side in ("theirs", "both") else (self.theirs, self.mine)) if isinstance(v, dict)]
        if len(values) != 2 or self.attribute is not None:
            return []
        old, new = values
        return [k for k in _in_order(_ordered_union(new, old), ()) if not _same(old.get(k, MISSING), new.get(k, MISSING))]

    @property
    def summary(self) -> str:
        """One English line, for the command line."""
        what = {"document": "", "field": "field", "required": "required field", "form_order": "form order of",
                "form_layout": "form layout of", "form": "form", "priority": "priority", "workflow": "workflow",
                "state": "state", "transition": "transition", "routing": "routing rule", "sla": "SLA policy",
                "automation": "automation", "chart": "chart", "routing_order": "order of the routing rules"}[self.part]
        named = f"{what} '{self.name}'".strip() if self.name else what
        if self.attribute is not None:
            named = f"{named}: {self.attribute}" if named else self.attribute
        keys = f" ({', '.join(self.keys)})" if self.keys else ""
        return f"{named} {self.change}{keys}".strip()


@dataclass
class MergePlan:
    decisions: list[Decision]
    base_known: bool

    @property
    def conflicts(self) -> list[Decision]:
        return [d for d in self.decisions if d.side == "conflict"]

    def by_side(self, side: str) -> list[Decision]:
        return [d for d in self.decisions if d.side == side]


def _keyed(items: Any, key: str) -> dict[str, Any] | None:
    """A list's items by their key, or None when the list cannot be addressed so (not a list of named objects)."""
    if items is MISSING:
        return {}
    if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get(key), str) for i in items):
        return None
    named = {i[key]: i for i in items}
    return named if len(named) == len(items) else None


def _strings(items: Any) -> list[str] | None:
    if items is MISSING:
        return []
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items) or len(set(items)) != len(items):
        return None
    return items


def _ordered_union(*lists: Any) -> list[str]:
    seen: dict[str, None] = {}
    for items in lists:
        for item in items:
            seen.setdefault(item, None)
    return list(seen)


# The order parts are listed in, whatever order the stored objects keep their keys in (PostgreSQL's JSONB sorts them).
_TOP_ORDER = ("name", "description", "number_prefix", "categories", "locale", "i18n", "form", "priority", "workflow",
              "routing", "sla", "automations", "charts")
_FORM_ORDER = ("schema", "ui", "field_rules")


def _in_order(keys: list[str], preferred: Any) -> list[str]:
    """``keys`` with those in ``preferred`` first, in its order, then the others alphabetically."""
    rank = {key: index for index, key in enumerate(preferred if isinstance(preferred, list | tuple) else ())}
    return sorted(keys, key=lambda k: (rank.get(k, len(rank)), str(k)))


def _units(documents: tuple[Any, Any, Any]) -> Iterator[tuple[_Unit, str, str, str]]:
    """Every part of the three documents once: its unit, pointer, kind of part and name."""
    base, theirs, mine = documents
    top = _in_order(_ordered_union(*(d.keys() if isinstance(d, dict) else () for d in (mine, theirs, base))),
                    _TOP_ORDER)
    keyed_tops = {path[0] for path, _, _ in _KEYED_LISTS if len(path) == 1}
    for key in top:
        if key in _NEVER_MERGED:
            continue
        if key == "form" and all(isinstance(_get(d, ("form",)), dict | _Missing) for d in documents):
            yield from _form_units(documents)
        elif key == "workflow" and all(isinstance(_get(d, ("workflow",)), dict | _Missing) for d in documents):
            for wkey in _in_order(_ordered_union(*(_get(d, ("workflow",)) if isinstance(_get(d, ("workflow",)), dict)
                                                   else () for d in (mine, theirs, base))), ("states", "transitions")):
                if wkey in ("states", "transitions"):
                    yield from _list_units(documents, ("workflow", wkey))
                else:
                    yield _Unit("key", ("workflow",), wkey), f"/workflow/{_escape(wkey)}", "workflow", wkey
        elif key in keyed_tops:
            yield from _list_units(documents, (key,))
        else:
            part = "priority" if key == "priority" else "document"
            yield _Unit("key", (), key), f"/{_escape(key)}", part, ""


def _list_units(documents: tuple[Any, Any, Any], path: tuple[str, ...]) -> Iterator[tuple[_Unit, str, str, str]]:
    item_key, part = next((k, p) for where, k, p in _KEYED_LISTS if where == path)
    pointer = "/" + "/".join(_escape(p) for p in path)
    named = [_keyed(_get(d, path), item_key) for d in documents]
    if any(n is None for n in named):  # not addressable by name: the whole list is one part
        yield _Unit("key", path[:-1], path[-1]), pointer, part, ""
        return
    base, theirs, mine = named
    for ident in _ordered_union(mine, theirs, base):  # type: ignore[arg-type]
        yield _Unit("item", path, ident, item_key), f"{pointer}/{_escape(ident)}", part, ident
    if path == ("routing",):
        yield _Unit("order", path, "", item_key), pointer, "routing_order", ""


def _form_units(documents: tuple[Any, Any, Any]) -> Iterator[tuple[_Unit, str, str, str]]:
    base, theirs, mine = documents
    form_keys = _in_order(_ordered_union(*(_get(d, ("form",)) if isinstance(_get(d, ("form",)), dict) else ()
                                           for d in (mine, theirs, base))), _FORM_ORDER)
    for fkey in form_keys:
        if fkey == "schema" and all(isinstance(_get(d, ("form", "schema")), dict | _Missing) for d in documents):
            schema_keys = _in_order(_ordered_union(*(
                _get(d, ("form", "schema")) if isinstance(_get(d, ("form", "schema")), dict) else ()
                for d in (mine, theirs, base))), ("properties", "required"))
            for skey in schema_keys:
                path = ("form", "schema", skey)
                values = [_get(d, path) for d in documents]
                if skey == "properties" and all(isinstance(v, dict | _Missing) for v in values):
                    names = _in_order(_ordered_union(*(v for v in (values[2], values[1], values[0])
                                                       if isinstance(v, dict))),
                                      _ordered_union(*(_strings(_get(d, ("form", "ui", "ui:order"))) or []
                                                       for d in (mine, theirs, base))))
                    for name in names:
                        yield (_Unit("key", path, name), f"/form/schema/properties/{_escape(name)}", "field", name)
                elif skey == "required" and all(_strings(v) is not None for v in values):
                    for name in _ordered_union(*(_strings(v) for v in (values[2], values[1], values[0]))):
                        yield (_Unit("member", path, name), f"/form/schema/required/{_escape(name)}", "required", name)
                else:
                    yield _Unit("key", ("form", "schema"), skey), f"/form/schema/{_escape(skey)}", "form", skey
        elif fkey == "ui" and all(isinstance(_get(d, ("form", "ui")), dict | _Missing) for d in documents):
            ui_keys = _in_order(_ordered_union(*(_get(d, ("form", "ui")) if isinstance(_get(d, ("form", "ui")), dict)
                                                 else () for d in (mine, theirs, base))), ("ui:order",))
            for ukey in ui_keys:
                path = ("form", "ui", ukey)
                values = [_get(d, path) for d in documents]
                if ukey == "ui:order" and all(_strings(v) is not None for v in values):
                    for name in _ordered_union(*(_strings(v) for v in (values[2], values[1], values[0]))):
                        yield (_Unit("member", path, name), f"/form/ui/ui:order/{_escape(name)}", "form_order", name)
                else:
                    yield _Unit("key", ("form", "ui"), ukey), f"/form/ui/{_escape(ukey)}", "form_layout", ukey
        else:
            yield _Unit("key", ("form",), fkey), f"/form/{_escape(fkey)}", "form", fkey


def _relative(order: list[str], common: set[str]) -> list[str]:
    return [i for i in order if i in common]


def _classify(base: Any, theirs: Any, mine: Any, base_known: bool) -> str | None:
    """None when nothing changed on either side (or both changed it the same way, see "both")."""
    if _same(theirs, mine):
        return None if not base_known or _same(base, mine) else "both"
    if not base_known:
        return "conflict"
    if _same(base, theirs):
        return "mine"
    if _same(base, mine):
        return "theirs"
    return "conflict"


def _change(base: Any, side_value: Any) -> str:
    if base is MISSING:
        return "added"
    if side_value is MISSING:
        return "removed"
    return "changed"


def plan_merge(base: Any, theirs: Any, mine: Any) -> MergePlan:
    """Compare the three documents part by part (``base`` None: unknown, so every difference is a conflict)."""
    base_known = base is not None
    documents = (base if base_known else {}, theirs, mine)
    decisions: list[Decision] = []
    for unit, pointer, part, name in _units(documents):
        if unit.kind == "order":
            decisions += _order_decision(unit, pointer, documents, base_known)
            continue
        values = [unit.read(d) for d in documents]
        if not base_known:
            values[0] = MISSING
        side = _classify(*values, base_known)
        if side is None:
            continue
        b, t, m = values
        if side == "conflict" and all(isinstance(v, dict) for v in values):
            # Both changed the same part: look one level down, so that a label and a rule's team do not collide.
            for key in _in_order(_ordered_union(m, t, b), ("key", "name", "title")):
                sub = [v.get(key, MISSING) for v in values]
                sub_side = _classify(*sub, True)
                if sub_side is None:
                    continue
                decisions.append(Decision(f"{pointer}/{_escape(key)}", part, name, key, sub_side,
                                          _change(sub[0], sub[2] if sub_side == "mine" else sub[1]),
                                          *sub, unit=unit))
            continue
        changed = m if side == "mine" else t
        decisions.append(Decision(pointer, part, name, None, side, _change(b, changed) if base_known else "differs",
                                  b, t, m, unit=unit))
    for decision in decisions:
        decision.label = _label(decision, documents)
    return MergePlan(decisions, base_known)


def _label(decision: Decision, documents: tuple[Any, Any, Any]) -> str:
    """The title or name people see for the part's field, state, transition or chart."""
    base, theirs, mine = documents
    for document in (mine, theirs, base):
        if decision.part in ("field", "required", "form_order"):
            title = _get(document, ("form", "schema", "properties", decision.name, "title"))
        elif decision.part in ("state", "transition", "chart"):
            item = decision.unit.read(document) if decision.unit.kind == "item" else MISSING
            title = item.get("title" if decision.part == "chart" else "name", MISSING) if isinstance(item, dict) \
                else MISSING
        else:
            return decision.name
        if isinstance(title, str) and title:
            return title
    return decision.name


def _order_decision(unit: _Unit, pointer: str, documents: tuple[Any, Any, Any],
                    base_known: bool) -> list[Decision]:
    orders = [unit.read(d) for d in documents]
    if any(o is MISSING for o in orders[1:]):
        return []
    common = set(orders[1]) & set(orders[2]) & (set(orders[0]) if base_known and orders[0] is not MISSING
                                                 else set(orders[1]))
    b, t, m = (_relative(o, common) if o is not MISSING else MISSING for o in orders)
    side = _classify(b if base_known else MISSING, t, m, base_known)
    if side is None or side == "mine":
        return [] if side is None else [Decision(pointer, "routing_order", "", None, "mine", "changed", b, t, m,
                                                 unit=unit)]
    return [Decision(pointer, "routing_order", "", None, side, "changed", b, t, m, unit=unit)]


# --------------------------------------------------------------------------- writing the result


def _container(document: dict[str, Any], path: tuple[str, ...], kind: str) -> Any:
    node: Any = document
    for index, key in enumerate(path):
        last = index == len(path) - 1
        if not isinstance(node.get(key), dict | list):
            node[key] = [] if last and kind in ("item", "member", "order") else {}
        node = node[key]
    return node


def _insert_at(items: list[Any], value: Any, ident: Any, theirs_order: list[Any], ident_of: Any) -> None:
    """Put a new entry after the entry that precedes it in THEIRS (or first/last), keeping the rest in place."""
    position = theirs_order.index(ident) if ident in theirs_order else len(theirs_order)
    present = [ident_of(i) for i in items]
    for previous in reversed(theirs_order[:position]):
        if previous in present:
            items.insert(present.index(previous) + 1, value)
            return
    if position == 0 and theirs_order:
        items.insert(0, value)
    else:
        items.append(value)


def _write(document: dict[str, Any], unit: _Unit, attribute: str | None, value: Any, theirs: Any) -> None:
    container = _container(document, unit.path, unit.kind)
    if unit.kind == "key":
        if attribute is None:
            if value is MISSING:
                container.pop(unit.ident, None)
            else:
                container[unit.ident] = copy.deepcopy(value)
            return
        target = container.setdefault(unit.ident, {})
        if value is MISSING:
            target.pop(attribute, None)
        else:
            target[attribute] = copy.deepcopy(value)
        return
    if unit.kind == "member":
        if value is MISSING:
            if unit.ident in container:
                container.remove(unit.ident)
        elif unit.ident not in container:
            order = _strings(_get(theirs, unit.path)) or []
            _insert_at(container, unit.ident, unit.ident, order, lambda i: i)
        return
    # a keyed list's item
    index = next((i for i, item in enumerate(container) if isinstance(item, dict)
                  and item.get(unit.item_key) == unit.ident), None)
    if attribute is not None:
        if index is None:
            return
        if value is MISSING:
            container[index].pop(attribute, None)
        else:
            container[index][attribute] = copy.deepcopy(value)
    elif value is MISSING:
        if index is not None:
            del container[index]
    elif index is not None:
        container[index] = copy.deepcopy(value)
    else:
        theirs_items = _get(theirs, unit.path)
        order = [i.get(unit.item_key) for i in theirs_items] if isinstance(theirs_items, list) else []
        _insert_at(container, copy.deepcopy(value), unit.ident, order, lambda i: i.get(unit.item_key))


def _reorder(document: dict[str, Any], unit: _Unit, relative: list[str]) -> None:
    items = _get(document, unit.path)
    if not isinstance(items, list):
        return
    wanted = set(relative)
    slots = [i for i, item in enumerate(items) if item.get(unit.item_key) in wanted]
    by_ident = {item.get(unit.item_key): item for item in items}
    ordered = [by_ident[i] for i in relative if i in by_ident]
    for slot, item in zip(slots, ordered, strict=False):
        items[slot] = item


def resolve(plan: MergePlan, theirs: Any, mine: Any) -> Any:
    """MINE with the template's clean changes and every conflict as chosen (``Decision.choice``: mine or theirs)."""
    result = copy.deepcopy(mine) if isinstance(mine, dict) else {}
    orders = []
    for decision in plan.decisions:
        take = decision.side == "theirs" or (decision.side == "conflict" and decision.choice == "theirs")
        if decision.unit.kind == "order":
            if take:
                orders.append((decision.unit, decision.theirs))
            continue
        if take:
            _write(result, decision.unit, decision.attribute, decision.theirs, theirs)
    for unit, relative in orders:  # after items were added and removed
        _reorder(result, unit, relative)
    return result

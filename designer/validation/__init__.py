"""Validation of a ticket-type definition: every problem at once, each with a JSON pointer and a plain message.

    >>> report = validate_definition(document, known_teams={"service-desk"})
    >>> report.ok, [p.as_dict() for p in report.errors]

The checks, in order (docs/definition-format.md lists them for designers):

1. shape: the document is an object, not absurdly deep or large (deeper parts are cut off and reported);
2. format: ``format`` is one this release reads;
3. the meta-schema (designer/format/definition-v1.schema.json), with jsonschema's messages rewritten;
4. the form: its schema is a valid JSON Schema 2020-12, field names are usable and not reserved, ``required``,
   ``ui:order`` and field rules name real fields, categories agree with a ``category`` field;
   translations: ``i18n`` objects translate texts that exist, into en or zh-CN, lists as long as the originals;
5. rules: every JsonLogic rule compiles with runtime.rules.logic, and names only fields and ticket attributes
   that exist;
6. workflow: unique keys, one initial state, a final state, real states in transitions, every state
   reachable, no dead ends (warning), ``require`` names real fields;
7. priority and SLA: levels, the matrix, overrides, targets only for levels a ticket can get;
8. references: states, transitions, fields, teams, roles and ticket types named elsewhere exist.

``validate_definition`` never raises: whatever it is given (any JSON value, however large or deep), it returns
a report. Errors block publishing; warnings are shown to the designer but do not.

One module per concern: report, shape, metaschema, form, i18n, rules, workflow, sla, references, charts;
``checker`` runs them in that order.
"""

from __future__ import annotations

import logging
from typing import Any

from designer.format.document import CURRENT_FORMAT, SUPPORTED_FORMATS, format_of, upgrade
from designer.validation.checker import Checker
from designer.validation.common import INTERNAL_ERROR, LOCALE, _found, _say, _show
from designer.validation.report import MAX_PROBLEMS, Problem, ValidationReport, _Collector
from designer.validation.shape import _preflight
from runtime.rules.i18n import DEFAULT_LOCALE

__all__ = ["MAX_PROBLEMS", "Problem", "ValidationReport", "validate_definition"]

log = logging.getLogger(__name__)


# --- the validator ---------------------------------------------------------------------------------------------

def validate_definition(document: Any, *, known_teams: set[str] | None = None, known_roles: set[str] | None = None,
                        known_types: set[str] | None = None, locale: str = DEFAULT_LOCALE) -> ValidationReport:
    """Check a ticket-type definition and report every problem at once.

    `locale` is the reader's language: every message is in it (runtime.rules.texts's "check.*" sentences), with
    the names it quotes (keys, fields, pointers) as they are written.

    `known_teams`, `known_roles` and `known_types` are the teams, roles and ticket-type keys that exist; when
    one is given, naming something not in it is a warning (it may be created before publishing). Never raises.
    """
    out = _Collector()
    token = LOCALE.set(locale)
    try:
        try:
            _validate(document, out, known_teams, known_roles, known_types, locale)
        except Exception:  # a bug here must not turn a designer's typo into a server error
            log.exception("validate_definition failed")
            out.error("", _say(INTERNAL_ERROR), "internal")
        return out.report()
    finally:
        LOCALE.reset(token)


def _validate(document: Any, out: _Collector, known_teams: set[str] | None, known_roles: set[str] | None,
              known_types: set[str] | None, locale: str = DEFAULT_LOCALE) -> None:
    if not isinstance(document, dict):
        out.error("", _say("check.document.not_object", found=_found(document)), "document.not_object")
        return
    document, cut, shortened, go_on = _preflight(document, out)
    if not go_on:
        return
    try:
        document = upgrade(document)
    except Exception as exc:
        log.exception("upgrading a definition failed")
        out.error("/format", _say("check.format.upgrade_failed", format=repr(document.get("format")), problem=exc),
                  "format.upgrade_failed")
        return
    _check_format(document, out)
    checker = Checker(document, out, cut, shortened, known_teams, known_roles, known_types, locale)
    checker.run()


def _check_format(document: dict[str, Any], out: _Collector) -> None:
    supported = ", ".join(str(f) for f in sorted(SUPPORTED_FORMATS))
    if "format" not in document:
        out.error("/format", _say("check.format.missing", current=CURRENT_FORMAT, supported=supported), "format.missing")
        return
    fmt = format_of(document)
    if fmt not in SUPPORTED_FORMATS:
        out.error("/format", _say("check.format.unsupported", format=_show(document["format"]), supported=supported),
                  "format.unsupported")

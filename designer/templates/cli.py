"""``gongdan templates``: list the industry templates, install one and upgrade it (see designer/templates/library.py)."""

from __future__ import annotations

from typing import NoReturn

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from designer.templates import library, upgrade
from platform_core.auth.models import User
from platform_core.auth.services import normalise_email
from platform_core.db import get_session
from platform_core.errors import ApiError
from runtime.rules.i18n import LOCALES


def _fail(error: ApiError) -> NoReturn:
    """Exit with code 1, printing the message and every detail (file and JSON pointer first)."""
    lines = [error.message]
    for detail in error.details:
        where = " ".join(part for part in (detail.get("location"), detail.get("path")) if part)
        lines.append(f"  {where}: {detail['message']}" if where else f"  {detail['message']}")
    raise click.ClickException("\n".join(lines))


def _user(session, email: str | None) -> User | None:
    if email is None:
        return None
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise click.ClickException(f"There is no user with the email {email}.")
    return user


@click.group("templates")
def templates() -> None:
    """Industry templates: ready-made ticket types with the teams and roles they need."""


@templates.command("list")
@with_appcontext
def list_command() -> None:
    """List the templates and which of their ticket types are installed."""
    found = library.list_templates()
    if not found:
        click.echo(f"No templates in {library.TEMPLATES_ROOT}.")
        return
    session = get_session()
    for template in found:
        info = library.describe(session, template)
        state = "BROKEN" if not info["valid"] else "installed" if info["installed"] else "available"
        version = f"v{info['version']}" if info["version"] is not None else "v?"
        click.echo(f"{info['key']}  {version}  {info['name']}  [{state}]")
        for ticket_type in info["ticket_types"]:
            installed = (f"installed (version {ticket_type['installed_version']})"
                         if ticket_type["installed_version"] is not None
                         else "installed (draft only)" if ticket_type["installed"] else "not installed")
            click.echo(f"    {ticket_type['key'] or '?':<24} {ticket_type['name'] or '?':<32} {installed}")
        for problem in info["problems"]:
            click.echo(f"    problem: {problem['location']} {problem['path']}: {problem['message']}".replace(" :", ":"))
        for warning in info["warnings"]:
            click.echo(f"    warning: {warning['location']} {warning['path']}: {warning['message']}".replace(" :", ":"))


@templates.command("install")
@click.argument("key")
@click.option("--as", "as_email", default=None, metavar="EMAIL",
              help="The user recorded as the installer in the audit log and version history (default: none).")
@click.option("--language", "--locale", "language", default="en", type=click.Choice(list(LOCALES)),
              help="The language new teams, roles and calendars are named in (where the template translates them).")
@with_appcontext
def install_command(key: str, as_email: str | None, language: str) -> None:
    """Install the template KEY: its missing roles and teams, and its ticket types, published as version 1.

    What exists already is left untouched, so installing again is harmless.
    """
    session = get_session()
    actor = _user(session, as_email)
    try:
        result = library.install(session, key, actor=actor, locale=language)
    except ApiError as error:
        _fail(error)
    template = result.template
    if result.changed:
        click.echo(f"Installed the template {template.key} ({template.name}), version {template.version}.")
    else:
        click.echo(f"The template {template.key} ({template.name}) is installed already; nothing was changed.")
    for role in result.created_roles:
        click.echo(f"  created role        {role}")
    for team in result.created_teams:
        click.echo(f"  created team        {team}")
    for calendar in result.created_calendars:
        click.echo(f"  created calendar    {calendar}")
    for ticket_type in result.created_types:
        click.echo(f"  created ticket type {ticket_type} (published as version 1)")
    for article in result.created_articles:
        click.echo(f"  published article   {article} (knowledge base)")
    for skipped in result.skipped:
        click.echo(f"  skipped {skipped.kind.replace('_', ' '):<11} {skipped.key}: {skipped.reason}")
    for warning in result.warnings:
        click.echo(f"  warning: {warning['location']} {warning['path']}: {warning['message']}")
    if result.next_steps:
        click.echo("Next steps:")
        for step in result.next_steps:
            click.echo(f"  - {step}")


@templates.command("uninstall")
@click.argument("key")
@click.option("--as", "as_email", default=None, metavar="EMAIL",
              help="The user recorded as the uninstaller in the audit log (default: none).")
@click.option("--locale", "--language", "locale", default="en", type=click.Choice(list(LOCALES)),
              help="The language of the messages.")
@with_appcontext
def uninstall_command(key: str, as_email: str | None, locale: str) -> None:
    """Uninstall the template KEY: delete its ticket types; refused while tickets of those types exist.

    Teams, roles and calendars are kept.
    """
    session = get_session()
    actor = _user(session, as_email)
    try:
        result = library.uninstall(session, key, actor=actor, locale=locale)
    except ApiError as error:
        _fail(error)
    click.echo(f"Uninstalled the template {result.template.key} ({result.template.name}).")
    for ticket_type in result.removed_types:
        click.echo(f"  deleted ticket type {ticket_type}")
    kept = ", ".join(f"{kind}: {', '.join(keys)}" for kind, keys in result.kept.items() if keys)
    if kept:
        click.echo(f"Kept (people and other ticket types may use them; people may have edited the articles): {kept}.")


@templates.command("upgrade")
@click.argument("key")
@click.option("--take", type=click.Choice(["theirs", "mine"]), default=None,
              help="Write the drafts, resolving every conflict this way. Without it the plan is only shown.")
@click.option("--as", "as_email", default=None, metavar="EMAIL",
              help="The user recorded as the upgrader in the audit log and on the drafts (default: none).")
@with_appcontext
def upgrade_command(key: str, take: str | None, as_email: str | None) -> None:
    """Show the upgrade of the installed template KEY to the version that ships: per ticket type, what the template
    changed, what was changed here and the conflicts. With --take, write the result as drafts to review and publish
    in the designer (never published directly)."""
    session = get_session()
    actor = _user(session, as_email)
    try:
        plan = upgrade.plan_upgrade(session, key)
    except ApiError as error:
        _fail(error)
    info = plan.as_dict()
    template = plan.template
    if not plan.available:
        click.echo(f"Version {plan.installed_version} of the template {template.key} ({template.name}) is installed, "
                   "which is the version that ships: there is nothing to upgrade.")
        return
    click.echo(f"Upgrade of the template {template.key} ({template.name}) from version {plan.installed_version} "
               f"to {template.version}:")
    for type_plan in plan.types:
        if type_plan.status == "new":
            click.echo(f"  {type_plan.key}: new in this version; added as a draft")
            continue
        if type_plan.status == "dropped":
            click.echo(f"  {type_plan.key}: no longer in the template; left as it is")
            continue
        assert type_plan.merge is not None
        base = {"recorded": "", "first_version": " (base: the version 1 the install published)",
                "unknown": " (base unknown: every difference is a conflict)"}[type_plan.base_source or "unknown"]
        click.echo(f"  {type_plan.key}{base}:")
        for label, side in (("template change", "theirs"), ("local change ", "mine"), ("same change  ", "both"),
                            ("CONFLICT     ", "conflict")):
            for decision in type_plan.merge.by_side(side):
                click.echo(f"    {label}  {decision.pointer}  {decision.summary}")
        if not type_plan.merge.decisions:
            click.echo("    no changes")
    if take is None:
        conflicts = info["conflicts"]
        click.echo(f"{conflicts} conflict(s). Write the drafts with --take theirs or --take mine (for every conflict), "
                   "or choose one by one in the web app (Templates, Upgrade).")
        return
    choices = {t.key: {d.pointer: take for d in t.merge.conflicts} for t in plan.types if t.merge}
    try:
        result = upgrade.apply_upgrade(session, key, choices, if_match=plan.etag, actor=actor)
    except ApiError as error:
        _fail(error)
    for draft in result.drafts:
        state = "draft written" if draft["written"] else "draft unchanged"
        click.echo(f"  {draft['key']}: {state} (revision {draft['revision']}), {len(draft['errors'])} error(s), "
                   f"{len(draft['warnings'])} warning(s)")
    click.echo(f"Recorded version {template.version} as installed. Review and publish the drafts in the designer.")

"""``gongdan templates``: list the industry templates and install one (see designer/templates/library.py)."""

from __future__ import annotations

from typing import NoReturn

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from designer.templates import library
from platform_core.auth.models import User
from platform_core.auth.services import normalise_email
from platform_core.db import get_session
from platform_core.errors import ApiError


def _fail(error: ApiError) -> NoReturn:
    """Exit with code 1, printing the message and every detail (file and JSON pointer first)."""
    lines = [error.message]
    for detail in error.details:
        where = " ".join(part for part in (detail.get("location"), detail.get("path")) if part)
        lines.append(f"  {where}: {detail['message']}" if where else f"  {detail['message']}")
    raise click.ClickException("\n".join(lines))


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
@with_appcontext
def install_command(key: str, as_email: str | None) -> None:
    """Install the template KEY: its missing roles and teams, and its ticket types, published as version 1.

    What exists already is left untouched, so installing again is harmless.
    """
    session = get_session()
    actor = None
    if as_email is not None:
        actor = session.scalar(select(User).where(User.email == normalise_email(as_email)))
        if actor is None:
            raise click.ClickException(f"There is no user with the email {as_email}.")
    try:
        result = library.install(session, key, actor=actor)
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
    for ticket_type in result.created_types:
        click.echo(f"  created ticket type {ticket_type} (published as version 1)")
    for skipped in result.skipped:
        click.echo(f"  skipped {skipped.kind.replace('_', ' '):<11} {skipped.key}: {skipped.reason}")
    for warning in result.warnings:
        click.echo(f"  warning: {warning['location']} {warning['path']}: {warning['message']}")
    if result.next_steps:
        click.echo("Next steps:")
        for step in result.next_steps:
            click.echo(f"  - {step}")

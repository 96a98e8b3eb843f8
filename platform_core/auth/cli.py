"""``gongdan teams``: everything the admin UI does for teams, from the command line.

Create, show, change (name, key, description, supervisor, manager, the member set), delete; add and remove
members; the on-duty roster (list, add and remove shifts) and who is on duty. Each command goes through the
same services as the API (``platform_core.auth.services``), so the same checks hold and the audit log records
it; mistakes exit with status 1 and say which option is wrong.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

import click
from flask.cli import with_appcontext
from marshmallow import ValidationError
from sqlalchemy import select

from platform_core.auth import services
from platform_core.auth.models import Team, User
from platform_core.auth.schemas import TeamCreateSchema, TeamPatchSchema
from platform_core.db import get_session, utcnow
from platform_core.errors import ApiError

# The API's JSON pointers, as the options that set them.
_OPTION_OF = {"/key": "--key", "/name": "--name", "/description": "--description", "/supervisor_id": "--supervisor",
              "/manager_id": "--manager", "/member_ids": "--member", "/user_id": "--email", "/ends_at": "--ends",
              "/starts_at": "--starts"}


def _fail(error: ApiError) -> NoReturn:
    lines = [error.message] + [f"  {_OPTION_OF.get(d.get('path') or '', d.get('path') or '')} {d['message']}".rstrip()
                               for d in error.details]
    raise click.ClickException("\n".join(lines))


def _invalid(error: ValidationError) -> NoReturn:
    messages = error.messages if isinstance(error.messages, dict) else {"": error.messages}
    lines = [f"{_OPTION_OF.get('/' + str(field), '--' + str(field))}: {' '.join(map(str, problems))}"
             for field, problems in messages.items()]
    raise click.ClickException("\n".join(lines))


def _user_id(email: str, option: str) -> int:
    user = get_session().scalar(select(User).where(User.email == services.normalise_email(email)))
    if user is None:
        raise click.BadParameter(f"there is no user with the email {email}", param_hint=option)
    return user.id


def _team(key: str) -> Team:
    try:
        return services.get_team_by_key(get_session(), key)
    except ApiError as error:
        _fail(error)


def _when(value: str, option: str) -> datetime:
    """An ISO 8601 instant; without a zone it is UTC."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time such as 2026-12-03T09:00+08:00",
                                 param_hint=option) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _person(user: User | None) -> str:
    return f"{user.name} <{user.email}>" if user else "—"


def _view(team: Team) -> dict[str, Any]:
    return {"id": team.id, "key": team.key, "name": team.name, "description": team.description,
            "supervisor": team.supervisor.email if team.supervisor else None,
            "manager": team.manager.email if team.manager else None,
            "members": [member.email for member in team.members]}


@click.group()
def teams() -> None:
    """Manage teams: everything the admin UI does (members, supervisor, manager, the on-duty roster)."""


@teams.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON array, for scripts.")
@with_appcontext
def teams_list(as_json: bool) -> None:
    """List teams: id, key, name, members, supervisor, manager."""
    found = list(get_session().scalars(select(Team).order_by(Team.key)))
    if as_json:
        click.echo(json.dumps([_view(team) for team in found], ensure_ascii=False, indent=2))
        return
    for team in found:
        click.echo(f"{team.id}\t{team.key}\t{team.name}\t{len(team.members)} member(s)"
                   f"\tsupervisor: {_person(team.supervisor)}\tmanager: {_person(team.manager)}")


@teams.command("show")
@click.argument("key")
@click.option("--json", "as_json", is_flag=True, help="As JSON, for scripts.")
@with_appcontext
def teams_show(key: str, as_json: bool) -> None:
    """One team: its people and its roster from now on."""
    team = _team(key)
    shifts = services.roster(get_session(), team, utcnow(), None)
    if as_json:
        click.echo(json.dumps({**_view(team), "shifts": [
            {"id": s.id, "user": s.user.email, "starts_at": s.starts_at.isoformat(), "ends_at": s.ends_at.isoformat()}
            for s in shifts]}, ensure_ascii=False, indent=2))
        return
    click.echo(f"{team.key}: {team.name} (id {team.id})")
    if team.description:
        click.echo(f"  {team.description}")
    click.echo(f"  supervisor: {_person(team.supervisor)}")
    click.echo(f"  manager:    {_person(team.manager)}")
    click.echo(f"  members ({len(team.members)}):")
    for member in team.members:
        click.echo(f"    {_person(member)}")
    click.echo(f"  shifts from now ({len(shifts)}):")
    for shift in shifts:
        click.echo(f"    {shift.id}\t{shift.user.email}\t{shift.starts_at.isoformat()} to {shift.ends_at.isoformat()}")


def _people(supervisor: str | None, manager: str | None, members: tuple[str, ...] | None,
            no_supervisor: bool = False, no_manager: bool = False) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if supervisor is not None:
        values["supervisor_id"] = _user_id(supervisor, "--supervisor")
    elif no_supervisor:
        values["supervisor_id"] = None
    if manager is not None:
        values["manager_id"] = _user_id(manager, "--manager")
    elif no_manager:
        values["manager_id"] = None
    if members is not None:
        values["member_ids"] = [_user_id(email, "--member") for email in members]
    return values


@teams.command("create")
@click.option("--key", required=True, help="What definitions refer to, e.g. network-ops.")
@click.option("--name", required=True)
@click.option("--description", default="")
@click.option("--supervisor", default=None, help="Email of the supervisor.")
@click.option("--manager", default=None, help="Email of the manager.")
@click.option("--member", "members", multiple=True, help="Email of a member; repeat for several.")
@with_appcontext
def teams_create(key: str, name: str, description: str, supervisor: str | None, manager: str | None,
                 members: tuple[str, ...]) -> None:
    """Create a team."""
    try:
        values = TeamCreateSchema().load({"key": key, "name": name, "description": description})
        values.update(_people(supervisor, manager, members))
        team = services.create_team(get_session(), values, actor_id=None)
    except ValidationError as error:
        _invalid(error)
    except ApiError as error:
        _fail(error)
    click.echo(f"Created team {team.id} {team.key}.")


@teams.command("update")
@click.argument("key")
@click.option("--key", "new_key", default=None, help="A new key (definitions that name the old one must follow).")
@click.option("--name", default=None)
@click.option("--description", default=None)
@click.option("--supervisor", default=None, help="Email of the new supervisor.")
@click.option("--no-supervisor", is_flag=True, help="The team has no supervisor any more.")
@click.option("--manager", default=None, help="Email of the new manager.")
@click.option("--no-manager", is_flag=True, help="The team has no manager any more.")
@click.option("--member", "members", multiple=True, help="Replace the members with these (repeat); see also "
                                                         "add-member and remove-member.")
@click.option("--no-members", is_flag=True, help="Remove every member.")
@with_appcontext
def teams_update(key: str, new_key: str | None, name: str | None, description: str | None, supervisor: str | None,
                 no_supervisor: bool, manager: str | None, no_manager: bool, members: tuple[str, ...],
                 no_members: bool) -> None:
    """Change a team: its key, name, description, supervisor, manager or member set."""
    if supervisor is not None and no_supervisor:
        raise click.UsageError("Give --supervisor or --no-supervisor, not both.")
    if manager is not None and no_manager:
        raise click.UsageError("Give --manager or --no-manager, not both.")
    if members and no_members:
        raise click.UsageError("Give --member or --no-members, not both.")
    team = _team(key)
    given = {k: v for k, v in (("key", new_key), ("name", name), ("description", description)) if v is not None}
    try:
        values = TeamPatchSchema().load(given)
        values.update(_people(supervisor, manager, members if members else (() if no_members else None),
                              no_supervisor, no_manager))
        if not values:
            raise click.UsageError("Nothing to change: give at least one option (see --help).")
        services.update_team(get_session(), team, values, actor_id=None)
    except ValidationError as error:
        _invalid(error)
    except ApiError as error:
        _fail(error)
    get_session().refresh(team)  # supervisor and manager as now stored
    click.echo(f"Updated team {team.key}: supervisor {_person(team.supervisor)}, manager {_person(team.manager)}, "
               f"{len(team.members)} member(s).")


@teams.command("delete")
@click.argument("key")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def teams_delete(key: str, yes: bool) -> None:
    """Delete a team (its tickets keep their history and lose the team)."""
    team = _team(key)
    if not yes:
        click.confirm(f"Delete the team {team.key} ({team.name})?", abort=True)
    services.delete_team(get_session(), team, actor_id=None)
    click.echo(f"Deleted team {key}.")


@teams.command("add-member")
@click.option("--team", "team_key", required=True, help="The team's key.")
@click.option("--email", required=True)
@with_appcontext
def teams_add_member(team_key: str, email: str) -> None:
    """Add a user to a team."""
    team = _team(team_key)
    session = get_session()
    user = session.get(User, _user_id(email, "--email"))
    services.add_member(session, team, user, actor_id=None)
    click.echo(f"{user.email} is a member of {team.key}.")


@teams.command("remove-member")
@click.option("--team", "team_key", required=True, help="The team's key.")
@click.option("--email", required=True)
@with_appcontext
def teams_remove_member(team_key: str, email: str) -> None:
    """Remove a user from a team (their future shifts in it go too)."""
    team = _team(team_key)
    session = get_session()
    user = session.get(User, _user_id(email, "--email"))
    if user not in team.members:
        raise click.ClickException(f"{user.email} is not a member of {team.key}.")
    services.remove_member(session, team, user, actor_id=None)
    click.echo(f"{user.email} is no longer a member of {team.key}.")


@teams.command("roster")
@click.argument("key")
@click.option("--from", "start", default=None, help="ISO 8601 time; default: now.")
@click.option("--to", "end", default=None, help="ISO 8601 time; default: open.")
@with_appcontext
def teams_roster(key: str, start: str | None, end: str | None) -> None:
    """The team's on-duty shifts overlapping [from, to)."""
    team = _team(key)
    shifts = services.roster(get_session(), team, _when(start, "--from") if start else utcnow(),
                             _when(end, "--to") if end else None)
    for shift in shifts:
        click.echo(f"{shift.id}\t{shift.user.email}\t{shift.starts_at.isoformat()}\t{shift.ends_at.isoformat()}")
    if not shifts:
        click.echo(f"No shifts in {team.key} in that window.")


@teams.command("add-shift")
@click.option("--team", "team_key", required=True, help="The team's key.")
@click.option("--email", required=True, help="A member of the team.")
@click.option("--starts", required=True, help="ISO 8601 time, e.g. 2026-12-03T09:00+08:00 (no zone: UTC).")
@click.option("--ends", default=None, help="ISO 8601 time; or give --hours.")
@click.option("--hours", type=click.FloatRange(min=0, min_open=True), default=None, help="Length of the shift.")
@with_appcontext
def teams_add_shift(team_key: str, email: str, starts: str, ends: str | None, hours: float | None) -> None:
    """Put a member on duty from --starts to --ends (or for --hours)."""
    if (ends is None) == (hours is None):
        raise click.UsageError("Give --ends or --hours (one of them).")
    team = _team(team_key)
    begin = _when(starts, "--starts")
    finish = _when(ends, "--ends") if ends else begin + timedelta(hours=hours or 0)
    try:
        shift = services.add_shift(get_session(), team, _user_id(email, "--email"), begin, finish, actor_id=None)
    except ApiError as error:
        _fail(error)
    click.echo(f"Added shift {shift.id}: {email} on duty in {team.key} {begin.isoformat()} to {finish.isoformat()}.")


@teams.command("remove-shift")
@click.option("--team", "team_key", required=True, help="The team's key.")
@click.option("--shift", "shift_id", type=int, required=True, help="The shift's id (see roster).")
@with_appcontext
def teams_remove_shift(team_key: str, shift_id: int) -> None:
    """Remove a shift from the roster."""
    team = _team(team_key)
    try:
        services.remove_shift(get_session(), team, shift_id, actor_id=None)
    except ApiError as error:
        _fail(error)
    click.echo(f"Removed shift {shift_id} from {team.key}.")


@teams.command("on-duty")
@click.argument("key")
@click.option("--at", default=None, help="ISO 8601 time; default: now.")
@with_appcontext
def teams_on_duty(key: str, at: str | None) -> None:
    """Who is on duty in the team now (or at --at)."""
    team = _team(key)
    people = services.on_duty(get_session(), team, _when(at, "--at") if at else utcnow())
    for user in people:
        click.echo(_person(user))
    if not people:
        click.echo(f"Nobody is on duty in {team.key}.")


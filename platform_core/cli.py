"""The core of the ``gongdan`` command: database, users, teams, tokens, worker, scheduler and run.

``make_main(create_app)`` builds the command group around the application factory it is given;
the composition root (``gongdan.cli``) calls it, and every capability adds its own command groups
through ``Capability.commands``.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from datetime import timedelta

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from platform_core.auth.cli import teams
from platform_core.config import ConfigError
from platform_core.db import get_session, utcnow
from platform_core.errors import ApiError
from platform_core.serving import JsonErrorRequestHandler


def _fail(error: ApiError) -> None:
    lines = [error.message] + [f"  {d.get('path') or ''} {d['message']}".rstrip() for d in error.details]
    raise click.ClickException("\n".join(lines))


@click.group()
def core_commands() -> None:
    """The core commands; ``make_main`` copies them into the ``gongdan`` group."""


def make_main(create_app: Callable[[], Flask]) -> click.Group:
    """The ``gongdan`` command around ``create_app``: the core commands below, and those the app's
    capabilities add (templates, calendars, sla, outbox, …)."""

    def create_app_for_cli() -> Flask:
        """The app, or a one-line error (no traceback) when the settings cannot make one."""
        try:
            return create_app()
        except ConfigError as error:
            raise click.ClickException(str(error)) from None

    group = FlaskGroup(create_app=create_app_for_cli, add_version_option=False, load_dotenv=False,
                       help="Gongdan, the low-code work-order platform.")
    for command in core_commands.commands.values():
        group.add_command(command)
    return group


# --------------------------------------------------------------------------- setup


@core_commands.command("secret-key")
def secret_key() -> None:
    """Write a random secret key to instance/secret_key (mode 0600) unless one exists.

    Runs without building the app, which would itself need the key outside development.
    """
    from platform_core.app import instance_path
    from platform_core.config import ensure_secret_key_file

    path, created = ensure_secret_key_file(instance_path())
    click.echo(f"{'Created' if created else 'Kept the existing'} secret key at {path}")


@core_commands.group()
def db() -> None:
    """Database migrations."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Bring the database schema up to date (creates it on first run)."""
    from platform_core import migrate

    url = current_app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        os.makedirs(os.path.dirname(url.removeprefix("sqlite:///")) or ".", exist_ok=True)
    migrate.upgrade(revision)
    click.echo("Database is up to date.")


@db.command("current")
@with_appcontext
def db_current() -> None:
    """Show the database's migration revision."""
    from platform_core import migrate

    migrate.current()


@db.command("revision")
@click.option("-m", "--message", required=True)
@with_appcontext
def db_revision(message: str) -> None:
    """(Developers) Autogenerate a new migration from the models."""
    from platform_core import migrate

    migrate.revision(message)


# --------------------------------------------------------------------------- users


@core_commands.group()
def users() -> None:
    """Manage users."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, default=("requester",), show_default=True,
              help="Repeat for several roles.")
@click.option("--password", default=None, help="Omit to generate one, printed once.")
@click.option("--no-password", is_flag=True, help="An account that only uses API tokens.")
@with_appcontext
def users_create(email: str, name: str, roles: tuple[str, ...], password: str | None, no_password: bool) -> None:
    """Create a user."""
    import secrets

    from platform_core.auth import services

    generated = password is None and not no_password
    if generated:
        password = secrets.token_urlsafe(12)
    try:
        user = services.create_user(get_session(), email=email, name=name, roles=list(roles),
                                    password=None if no_password else password, actor_id=None)
    except ApiError as error:
        _fail(error)
    click.echo(f"Created user {user.id} {user.email} with roles {', '.join(user.role_names)}.")
    if generated:
        click.echo(f"Password (shown once): {password}")


@users.command("list")
@with_appcontext
def users_list() -> None:
    """List users."""
    from platform_core.auth.models import User

    for user in get_session().scalars(select(User).order_by(User.id)):
        state = "active" if user.active else "inactive"
        click.echo(f"{user.id}\t{user.email}\t{user.name}\t{','.join(user.role_names)}\t{state}")


@users.command("ensure-admin")
@click.option("--email", default="admin@gongdan.local", show_default=True)
@with_appcontext
def users_ensure_admin(email: str) -> None:
    """Create an admin with a generated password if there is no active admin."""
    from platform_core.auth import services

    created = services.ensure_admin(get_session(), email)
    if created is None:
        click.echo("An active admin exists already; nothing to do.")
        return
    user, password = created
    click.echo("=" * 64)
    click.echo("  Admin login (shown once; change the password after logging in)")
    click.echo(f"    email:    {user.email}")
    click.echo(f"    password: {password}")
    click.echo("=" * 64)


# --------------------------------------------------------------------------- teams: platform_core.auth.cli

core_commands.add_command(teams)


def _user_id_by_email(email: str | None) -> int | None:
    if email is None:
        return None
    from platform_core.auth.models import User
    from platform_core.auth.services import normalise_email

    user = get_session().scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise click.ClickException(f"There is no user with the email {email}.")
    return user.id


# --------------------------------------------------------------------------- tokens


@core_commands.group()
def tokens() -> None:
    """Manage API tokens."""


@tokens.command("create")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--name", required=True, help="What uses it, e.g. 'MES line 3'.")
@click.option("--expires-in-days", type=click.IntRange(min=1), default=None)
@with_appcontext
def tokens_create(email: str, name: str, expires_in_days: int | None) -> None:
    """Create an API token and print it once."""
    from platform_core.auth import services

    session = get_session()
    user = services.get_user(session, _user_id_by_email(email))  # type: ignore[arg-type]
    expires = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    try:
        _token, secret = services.create_token(session, user, name, expires_at=expires)
    except ApiError as error:
        _fail(error)
    click.echo(secret)


# --------------------------------------------------------------------------- jobs


def _configure_logging() -> None:
    logging.basicConfig(level=current_app.config["LOG_LEVEL"],
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@core_commands.command()
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--simple", is_flag=True, help="Run jobs in this process instead of a forked child.")
@with_appcontext
def worker(burst: bool, simple: bool) -> None:
    """Run an rq worker; each job runs inside an application context."""
    from platform_core.worker import make_worker

    _configure_logging()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.ClickException("GONGDAN_REDIS_URL is not set: jobs run inline in the web process; "
                                   "no worker is needed.")
    make_worker(app, simple=simple).work(burst=burst, with_scheduler=False)


@core_commands.command()
@click.option("--once", is_flag=True, help="Run every periodic job once now (inline) and exit.")
@with_appcontext
def scheduler(once: bool) -> None:
    """Enqueue the periodic jobs on their schedule (rq's cron scheduler; in-process without Redis)."""
    from platform_core import jobs

    _configure_logging()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if once:
        failed = False
        for job in jobs.periodic_jobs(app):
            with app.app_context():
                try:
                    ran = jobs.run_periodic(job.name)
                    click.echo(f"{job.name}: {'succeeded' if ran else 'paused (the instance is read-only)'}")
                except Exception as exc:  # reported, and the exit code says so
                    failed = True
                    click.echo(f"{job.name}: failed: {exc}", err=True)
        sys.exit(1 if failed else 0)
    connection = jobs.get_redis(app)
    if connection is not None:
        from rq.cron import CronScheduler

        cron = CronScheduler(connection=connection, name=f"gongdan:{os.getpid()}")
        for job in jobs.periodic_jobs(app):
            cron.register(jobs.run_periodic, queue_name=app.config["QUEUE_NAME"], args=(job.name,),
                          interval=job.interval, name=job.name)
        cron.start()
        return
    from platform_core import scheduler as in_process

    click.echo("No GONGDAN_REDIS_URL: running periodic jobs in this process.")
    in_process.loop(app, lambda: False)


# --------------------------------------------------------------------------- serving


def _prepare_metrics_folder() -> None:
    """PROMETHEUS_MULTIPROC_DIR for the gunicorn workers and the scheduler (default ``instance/prometheus``),
    emptied of the files of an earlier run so counts start at zero with the server."""
    from pathlib import Path

    from platform_core.app import instance_path

    folder = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or Path(instance_path()) / "prometheus")
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink(missing_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


@core_commands.command("run")
@click.option("--host", envvar="HOST", default="127.0.0.1", show_default=True,
              help="Address to listen on (or the HOST environment variable); 0.0.0.0 for every interface.")
@click.option("--port", envvar="PORT", type=click.IntRange(1, 65535), default=5000, show_default=True,
              help="Port to listen on (or the PORT environment variable).")
@click.option("--workers", envvar="WEB_CONCURRENCY", type=click.IntRange(min=1), default=2, show_default=True,
              help="gunicorn worker processes (or WEB_CONCURRENCY).")
@click.option("--threads", type=click.IntRange(min=1), default=4, show_default=True,
              help="Threads per worker process.")
@click.option("--debug", is_flag=True,
              help="Flask's development server with the reloader and debugger instead of gunicorn. Never in production.")
@click.option("--no-scheduler", is_flag=True,
              help="Do not run the periodic jobs here (another process runs `gongdan scheduler`).")
@click.pass_context
def run(ctx: click.Context, host: str, port: int, workers: int, threads: int, debug: bool, no_scheduler: bool) -> None:
    """Serve the application: gunicorn, or Flask's development server with --debug.

    Without GONGDAN_REDIS_URL the periodic jobs (SLA sweep, notification delivery, clean-ups) run
    here too, once per interval however many workers serve; with Redis, run `gongdan worker` and
    one `gongdan scheduler` beside it.
    """
    from flask.cli import ScriptInfo
    from flask.logging import default_handler

    from platform_core import scheduler as in_process
    from platform_core.server import serve

    if not debug:
        _prepare_metrics_folder()  # before anything imports prometheus_client: it picks its mode on import
    info = ctx.ensure_object(ScriptInfo)
    app = info.load_app()
    logging.basicConfig(level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app.logger.removeHandler(default_handler)  # the root handler above prints it; apps built later add none
    with_scheduler = not no_scheduler and not app.config.get("REDIS_URL")
    if app.config.get("REDIS_URL") and not no_scheduler:
        click.echo("GONGDAN_REDIS_URL is set: jobs go to Redis. Run `gongdan worker` and one `gongdan scheduler` "
                   "beside this server.")
    if debug:
        from werkzeug.serving import is_running_from_reloader, run_simple

        app.debug = True
        # With the reloader the serving process is the child; the watching parent runs nothing.
        if with_scheduler and is_running_from_reloader():
            in_process.start_thread(app)
        run_simple(host, port, app, use_reloader=True, use_debugger=True, threaded=True,
                   request_handler=JsonErrorRequestHandler)
        return
    serve(info.create_app, host=host, port=port, workers=workers, threads=threads, scheduler=with_scheduler)

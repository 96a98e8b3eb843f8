"""Operators' commands: ``gongdan backup``, ``gongdan restore``, ``gongdan maintenance read-only on|off`` and
``gongdan housekeeping``."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from platform_core import backup as backups
from platform_core import maintenance


def _app():
    return current_app._get_current_object()  # type: ignore[attr-defined]


@click.command("backup")
@click.option("--to", "to_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for the archive. Default: GONGDAN_BACKUP_DIR, else instance/backups.")
@click.option("--include-secret-key", is_flag=True,
              help="Put the secret key in the archive (in clear). Without it, links signed before the restore "
                   "stop working unless the restored instance is given the same GONGDAN_SECRET_KEY.")
@click.option("--prune", is_flag=True,
              help="Then delete old archives in that folder by the retention (GONGDAN_BACKUP_KEEP_DAYS dailies and "
                   "the newest GONGDAN_BACKUP_KEEP_COUNT).")
@click.option("--keep-days", type=click.IntRange(min=0), default=None, help="Override GONGDAN_BACKUP_KEEP_DAYS.")
@click.option("--keep-count", type=click.IntRange(min=1), default=None, help="Override GONGDAN_BACKUP_KEEP_COUNT.")
@with_appcontext
def backup(to_dir: str | None, include_secret_key: bool, prune: bool, keep_days: int | None,
           keep_count: int | None) -> None:
    """Write a consistent archive of the database, the uploads and the settings, with checksums."""
    app = _app()
    directory = Path(to_dir or app.config.get("BACKUP_DIR") or Path(app.instance_path) / "backups")
    try:
        result = backups.create_backup(app, directory, include_secret_key=include_secret_key)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    counts = result.manifest["counts"]
    click.echo(f"Wrote {result.path} ({result.path.stat().st_size} bytes): {result.manifest['database']['kind']} at "
               f"revision {result.manifest['alembic_revision']}, {sum(counts['tables'].values())} rows in "
               f"{len(counts['tables'])} tables, {counts['uploads']} uploaded file(s)"
               + (", with the secret key" if include_secret_key else ", without the secret key") + ".")
    if prune:
        removed = backups.prune_backups(
            directory, keep_days=app.config["BACKUP_KEEP_DAYS"] if keep_days is None else keep_days,
            keep_count=app.config["BACKUP_KEEP_COUNT"] if keep_count is None else keep_count)
        click.echo(f"Pruned {len(removed)} old archive(s)" + "".join(f"\n  {path.name}" for path in removed))


@click.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False))
@with_appcontext
def restore(archive: str) -> None:
    """Restore an archive of `gongdan backup` into an EMPTY database (and an empty upload folder).

    Every checksum is verified first; a damaged or altered archive changes nothing.
    """
    app = _app()
    try:
        manifest = backups.restore_backup(app, archive)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    counts = manifest["counts"]
    click.echo(f"Restored {Path(archive).name} (made {manifest['created_at']}, Gongdan {manifest['gongdan_version']}): "
               f"{sum(counts['tables'].values())} rows, {counts['uploads']} uploaded file(s); row counts verified.")
    click.echo(f"The settings it was made with are in {Path(app.instance_path) / 'restored-settings.json'}.")
    if manifest.get("restored_secret_key"):
        click.echo(f"Its secret key was written to {manifest['restored_secret_key']}.")
    elif manifest.get("includes_secret_key"):
        click.echo("It holds a secret key, but instance/secret_key exists already and was kept.")
    click.echo("Next: `gongdan db upgrade` (brings an older archive's schema up to date), then start the servers.")


@click.group("maintenance")
def maintenance_group() -> None:
    """Maintenance mode."""


@maintenance_group.command("read-only")
@click.argument("switch", type=click.Choice(["on", "off", "status"]))
@click.option("--reason", default=None, help="Shown to operators in /healthz (e.g. 'moving to the new server').")
@with_appcontext
def read_only(switch: str, reason: str | None) -> None:
    """Make the instance read-only (`on`), writable again (`off`), or say which it is (`status`).

    Every process sees the change within a few seconds; writes answer 503 with Retry-After meanwhile.
    """
    import getpass

    app = _app()
    if switch == "status":
        state = maintenance.read_only_state(app, fresh=True)
        click.echo(f"Read-only since {state['since']}." if state else "Writable (not read-only).")
        return
    state = maintenance.set_read_only(app, switch == "on", by=f"cli:{getpass.getuser()}", reason=reason)
    if state:
        click.echo(f"Read-only since {state['since']}: writes answer 503 within {maintenance.CACHE_SECONDS:g} s in "
                   "every process; periodic jobs that write pause.")
    else:
        click.echo("Writable again; paused periodic jobs catch up on their next round.")


@click.command("housekeeping")
@with_appcontext
def housekeeping_command() -> None:
    """Run the housekeeping job now and print what it pruned."""
    from platform_core import housekeeping

    click.echo(json.dumps(housekeeping.run(), indent=2, sort_keys=True))


COMMANDS = (backup, restore, maintenance_group, housekeeping_command)

"""Consistent backups of the whole database and their restore (``manage.py backup`` / ``manage.py restore``).

PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot while the site keeps running) and
``pg_restore --clean --if-exists --single-transaction`` (all or nothing: a failed restore leaves the
database as it was). SQLite: SQLite's online backup API, page by page, consistent even while the
site writes. Both cover every table, so history (django-simple-history), status changes, users and
sessions come back too.

A restore brings back the content version of the backup (``pagecache``), a number that the site has
already counted past; so it also gives the content version a new epoch, and no page or result cached
before the restore can be served again, whatever the number climbs back to. SQLite: the epoch is
written into a copy of the backup, which then replaces the database in one step. PostgreSQL: written
right after ``pg_restore``'s commit; in between, the restored version row carries a transaction id
that was never used before, which the cache keys hold too.
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections

from pagecache.models import ContentVersion, new_epoch
from pagecache.state import renew_epoch


class BackupError(Exception):
    pass


def database_settings(alias="default"):
    return connections[alias].settings_dict


def vendor(alias="default"):
    return connections[alias].vendor


def default_backup_path(alias="default", directory=None):
    directory = Path(directory or os.environ.get("FICHETRACKER_BACKUP_DIR") or settings.BASE_DIR / "backups")
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "dump" if vendor(alias) == "postgresql" else "sqlite3"
    return directory / f"fichetracker-{stamp}.{suffix}"


def _pg_environment(alias):
    """libpq environment variables for the database of ``alias`` (the password never appears on a command line)."""
    db = database_settings(alias)
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if db.get(key):
            env[name] = str(db[key])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _tool(name):
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (fixed tools, no shell)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed (exit {result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
    return result


def backup(path, alias="default"):
    """Write a consistent backup of database ``alias`` to ``path``; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        if vendor(alias) == "postgresql":
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"], _pg_environment(alias))
        elif vendor(alias) == "sqlite":
            connection = connections[alias]
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            raise BackupError(f"Backups of {vendor(alias)} databases are not supported.")
        partial.replace(path)  # a backup file that exists is complete
    finally:
        partial.unlink(missing_ok=True)
    return path


def check_backup_file(path, alias="default"):
    """Raise BackupError unless ``path`` is a readable backup for this kind of database."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Backup file {path} does not exist.")
    if vendor(alias) == "postgresql":
        result = subprocess.run([_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"{path} is not a backup made by pg_dump --format=custom ({result.stderr.strip()}).")
    else:
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as source:
                tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not a SQLite database ({error}).") from error
        if "django_migrations" not in tables:
            raise BackupError(f"{path} is a SQLite database but not a fichetracker backup (no django_migrations table).")


def restore(path, alias="default"):
    """Replace the contents of database ``alias`` with the backup at ``path``, all or nothing."""
    check_backup_file(path, alias)
    connection = connections[alias]
    if vendor(alias) == "postgresql":
        connection.close()  # hold no locks while pg_restore drops and recreates the tables
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", f"--dbname={database_settings(alias)['NAME']}", str(path)], _pg_environment(alias))
        renew_epoch(alias)
    elif vendor(alias) == "sqlite":
        connection.ensure_connection()
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "restore.sqlite3"
            shutil.copyfile(path, copy)
            _renew_epoch_in_file(copy)
            source = sqlite3.connect(copy)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
    else:
        raise BackupError(f"Restoring {vendor(alias)} databases is not supported.")


def _renew_epoch_in_file(path):
    """A new content epoch in the SQLite database at ``path`` (unless it predates the epoch: then the
    ``migrate`` that such a backup needs renews it)."""
    table = ContentVersion._meta.db_table
    target = sqlite3.connect(path)
    try:
        columns = {row[1] for row in target.execute(f"PRAGMA table_info({table})")}
        if "epoch" in columns:
            with target:
                target.execute(f"UPDATE {table} SET epoch = ? WHERE id = 1", [new_epoch()])  # noqa: S608 -- our own table name
    finally:
        target.close()

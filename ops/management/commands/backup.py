"""``manage.py backup [--output FILE]``: a consistent backup of the whole database (see ops/backup.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from ops.backup import BackupError, backup, default_backup_path


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the whole database, history included: pg_dump --format=custom on PostgreSQL, "
        "SQLite's online backup API on SQLite. Safe while the site runs. Default file: "
        "backups/fichetracker-<date>-<time>.dump (or .sqlite3), in $FICHETRACKER_BACKUP_DIR when set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: a new dated file in the backup directory).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output, database, verbosity, **options):
        path = output or default_backup_path(database)
        try:
            written = backup(path, database)
        except (BackupError, OSError) as error:
            raise CommandError(f"Backup failed, no file written: {error}") from error
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Backup written to {written} ({written.stat().st_size:,} bytes)."))
        else:
            self.stdout.write(str(written))

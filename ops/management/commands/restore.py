"""``manage.py restore FILE``: replace the database with a backup made by ``manage.py backup``."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from ops.backup import BackupError, check_backup_file, database_settings, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `manage.py backup` (pg_restore --clean --single-transaction on "
        "PostgreSQL: all or nothing). Everything written since the backup is lost, so it asks first unless --noinput."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Backup file (.dump for PostgreSQL, .sqlite3 for SQLite).")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", help="Do not ask for confirmation.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, file, interactive, database, verbosity, **options):
        try:
            check_backup_file(file, database)
        except BackupError as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        name = database_settings(database)["NAME"]
        if interactive:
            answer = input(f"This replaces everything in database {name} with {file}. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            restore(file, database)
        except (BackupError, OSError) as error:
            raise CommandError(f"Restore failed; the database is unchanged: {error}") from error
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Database {name} restored from {file}. Run `manage.py migrate` if the backup is older than the code."))

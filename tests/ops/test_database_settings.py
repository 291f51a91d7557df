"""Connection settings the application relies on."""

import pytest
from django.db import connection

from fichetracker.settings import without_jit


class JitTests:
    @pytest.mark.django_db
    @pytest.mark.skipif(connection.vendor != "postgresql", reason="JIT is a PostgreSQL setting; SQLite has none")
    def test_application_connections_run_without_jit(self):
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"

    def test_options_given_in_the_database_url_are_kept(self):
        assert without_jit({"OPTIONS": {"options": "-c statement_timeout=5000"}})["OPTIONS"]["options"] == "-c statement_timeout=5000 -c jit=off"
        assert without_jit({"OPTIONS": {"options": "-c jit=on"}})["OPTIONS"]["options"] == "-c jit=on"
        assert without_jit({})["OPTIONS"]["options"] == "-c jit=off"

import logging
import sqlite3
import tempfile
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.utils import load_backend
from django.http import HttpResponse
from django.urls import path, reverse

from fichetracker.urls import urlpatterns as project_urlpatterns
from positions.models import Fiche

POSTGRESQL = connection.vendor == "postgresql"


class HealthCheckTests:
    def test_it_answers_ok_when_the_database_answers(self, client, db):
        response = client.get("/healthz")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert body["databases"]["default"]["ok"] is True
        assert "no-cache" in response["Cache-Control"]

    def test_it_answers_503_with_retry_after_when_the_database_is_unreachable(self, client, unreachable_database):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response["Retry-After"] == "5"
        body = response.json()
        assert body["status"] == "unavailable"
        assert body["databases"]["default"] == {"ok": False, "ms": body["databases"]["default"]["ms"], "error": "OperationalError"}

    def test_it_sets_no_cookie_and_refuses_writes(self, client, db):
        assert not client.get("/healthz").cookies
        assert client.post("/healthz").status_code == 405

    def test_its_url_is_stable(self):
        assert reverse("healthz") == "/healthz"


class DatabaseUnavailablePageTests:
    def test_a_public_page_answers_503_with_a_readable_page_and_no_stack_trace(self, client, unreachable_database):
        response = client.get(reverse("public:fiche_list"))
        assert response.status_code == 503
        assert response["Retry-After"] == "5"
        assert response["Cache-Control"] == "no-store"
        text = response.content.decode()
        assert "Tijdelijk niet beschikbaar" in text
        assert "Traceback" not in text and "OperationalError" not in text and "127.0.0.1" not in text

    def test_the_503_page_keeps_the_security_headers(self, client, unreachable_database):
        response = client.get(reverse("public:home"))
        assert response.status_code == 503
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_the_application_recovers_by_itself_when_the_database_is_back(self, client, db):
        from tests.database import database_at_closed_port

        with database_at_closed_port():
            assert client.get(reverse("public:fiche_list")).status_code == 503
        response = client.get(reverse("public:fiche_list"))
        assert response.status_code == 200
        assert Fiche.objects.count() == 0

    def test_other_database_errors_are_not_disguised_as_503(self, rf):
        from django.db import IntegrityError, InterfaceError, OperationalError, ProgrammingError

        from fichetracker.middleware import DatabaseUnavailableMiddleware

        middleware = DatabaseUnavailableMiddleware(lambda request: None)
        request = rf.get("/fiches/")
        # A bug (bad SQL, a broken constraint) stays a 500 that someone must fix; only unavailability is a 503.
        assert middleware.process_exception(request, ProgrammingError("relation does not exist")) is None
        assert middleware.process_exception(request, IntegrityError("duplicate key")) is None
        assert middleware.process_exception(request, ValueError("bug")) is None
        assert middleware.process_exception(request, OperationalError("server closed the connection")).status_code == 503
        assert middleware.process_exception(request, InterfaceError("connection already closed")).status_code == 503

    def test_a_database_error_inside_another_middleware_also_gives_the_503_page(self, client, settings, unreachable_database):
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.ops.test_health.SessionLikeMiddleware"]
        client.raise_request_exception = False
        response = client.get("/healthz")
        assert response.status_code == 503
        assert "Tijdelijk niet beschikbaar" in response.content.decode()


class SessionLikeMiddleware:
    """Writes to the database after the view, as a session save does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        Fiche.objects.exists()
        return response


# Views that meet real database errors, reached through the real middleware (a test URLconf).

def statement_timeout(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '20ms'")
        cursor.execute("SELECT pg_sleep(5)")
    return HttpResponse("not reached")


def deadlock(request):
    # The server's own error with the deadlock's SQLSTATE (a real one needs two sessions waiting on each other).
    with connection.cursor() as cursor:
        cursor.execute("DO $$ BEGIN RAISE EXCEPTION 'deadlock detected' USING ERRCODE = 'deadlock_detected'; END $$")
    return HttpResponse("not reached")


def terminated(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")  # the server ends this very connection
    return HttpResponse("not reached")


def terminated_between_queries(request):
    import psycopg

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
        with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
        cursor.execute("SELECT 1")
    return HttpResponse("not reached")


def sqlite_locked(request):
    """SQLite's "database is locked", raised through Django's own SQLite backend: another connection holds
    the write lock and this one may not wait."""
    with tempfile.TemporaryDirectory() as scratch:
        name = str(Path(scratch) / "locked.sqlite3")
        holder = sqlite3.connect(name, isolation_level=None)
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN IMMEDIATE")
        wrapper = load_backend("django.db.backends.sqlite3").DatabaseWrapper(
            {**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": name, "OPTIONS": {"timeout": 0}}, "locked"
        )
        try:
            with wrapper.cursor() as cursor:
                cursor.execute("INSERT INTO t VALUES (1)")
        finally:
            wrapper.close()
            holder.close()
    return HttpResponse("not reached")


urlpatterns = [
    *project_urlpatterns,
    path("test-errors/statement-timeout", statement_timeout),
    path("test-errors/deadlock", deadlock),
    path("test-errors/terminated", terminated),
    path("test-errors/terminated-between-queries", terminated_between_queries),
    path("test-errors/sqlite-locked", sqlite_locked),
]


@pytest.fixture
def erring_client(client, transactional_db):
    client.raise_request_exception = False
    yield client
    connection.close()  # a terminated connection is replaced on the next use


def logged_500(response, caplog):
    assert response.status_code == 500
    assert "Tijdelijk niet beschikbaar" not in response.content.decode() and "Retry-After" not in response
    return [r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR and r.exc_info]


@pytest.mark.urls("tests.ops.test_health")
class LostConnectionOnlyTests:
    """Only a lost connection is a 503; a database that answered with an error is a logged 500."""

    @pytest.mark.skipif(not POSTGRESQL, reason="statement_timeout is PostgreSQL's")
    def test_a_statement_timeout_is_a_logged_500(self, erring_client, caplog):
        [record] = logged_500(erring_client.get("/test-errors/statement-timeout"), caplog)
        assert record.exc_info[1].__cause__.sqlstate == "57014"

    @pytest.mark.skipif(not POSTGRESQL, reason="SQLSTATEs are PostgreSQL's")
    def test_a_deadlock_is_a_logged_500(self, erring_client, caplog):
        [record] = logged_500(erring_client.get("/test-errors/deadlock"), caplog)
        assert record.exc_info[1].__cause__.sqlstate == "40P01"

    def test_sqlite_database_is_locked_is_a_logged_500(self, erring_client, caplog):
        [record] = logged_500(erring_client.get("/test-errors/sqlite-locked"), caplog)
        assert "database is locked" in str(record.exc_info[1])

    @pytest.mark.skipif(not POSTGRESQL, reason="a connection to lose is PostgreSQL's")
    def test_a_connection_the_server_terminates_during_a_query_is_a_503(self, erring_client):
        response = erring_client.get("/test-errors/terminated")
        assert response.status_code == 503 and response["Retry-After"] == "5"
        assert "Tijdelijk niet beschikbaar" in response.content.decode()

    @pytest.mark.skipif(not POSTGRESQL, reason="a connection to lose is PostgreSQL's")
    def test_a_connection_terminated_between_two_queries_is_a_503(self, erring_client):
        assert erring_client.get("/test-errors/terminated-between-queries").status_code == 503

    def test_a_sqlite_file_that_cannot_be_opened_is_a_503_and_bad_sql_is_not(self, rf, tmp_path, db):
        from django.db import OperationalError

        from fichetracker.middleware import DatabaseUnavailableMiddleware

        def raised(name, statement):
            wrapper = load_backend("django.db.backends.sqlite3").DatabaseWrapper(
                {**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": name, "OPTIONS": {"timeout": 0}}, "probe"
            )
            try:
                with pytest.raises(OperationalError) as caught, wrapper.cursor() as cursor:
                    cursor.execute(statement)
            finally:
                wrapper.close()
            return caught.value

        middleware = DatabaseUnavailableMiddleware(lambda request: None)
        missing = raised(str(tmp_path / "no-such-folder" / "db.sqlite3"), "SELECT 1")
        assert middleware.process_exception(rf.get("/"), missing).status_code == 503
        bad_sql = raised(str(tmp_path / "db.sqlite3"), "SELECT * FROM no_such_table")
        assert middleware.process_exception(rf.get("/"), bad_sql) is None

from django.urls import reverse

from positions.models import Fiche


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

"""Security headers on every public response, and on the admin login: a Content-Security-Policy without
'unsafe-inline' (Django's built-in CSP, SECURE_CSP in settings), no sniffing, no framing."""

import pytest

from . import outputs_builders as build

pytestmark = pytest.mark.django_db


def csp_directives(response):
    header = response.get("Content-Security-Policy", "")
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_secure_headers(response, url):
    directives = csp_directives(response)
    assert directives, f"{url}: no Content-Security-Policy"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
    assert "'unsafe-eval'" not in response["Content-Security-Policy"], url
    assert directives["default-src"] == ["'self'"], url
    assert directives["object-src"] == ["'none'"], url
    assert directives["frame-ancestors"] == ["'none'"], url
    assert directives["base-uri"] == ["'self'"], url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["X-Frame-Options"] == "DENY", url
    assert response["Referrer-Policy"] == "same-origin", url
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


class SecurityHeaderTests:
    def test_every_public_url_sends_the_security_headers(self, client):
        published = build.published_world(2)
        secrets = build.unpublished_world()
        checked = 0
        for urls in build.public_urls(published, secrets).values():
            for path, query in urls:
                assert_secure_headers(client.get(path, query), path)
                checked += 1
        for path in ("/bestaat-niet/", "/api/v1/bestaat/niet/"):
            assert_secure_headers(client.get(path), path)
        assert checked > 100

    def test_the_admin_login_sends_the_security_headers(self, client):
        response = client.get("/admin/login/")
        assert response.status_code == 200
        assert_secure_headers(response, "/admin/login/")

    def test_html_pages_use_no_inline_script_or_style(self, client):
        build.published_world(1)
        for path in ("/", "/fiches/", "/api/v1/", "/toezeggingen/", "/statistieken/", "/over/"):
            html = client.get(path).content.decode()
            assert " style=" not in html and "<style" not in html, path
            assert "<script>" not in html and " onclick=" not in html and " onload=" not in html, path


class HeadRequestTests:
    def test_every_public_url_answers_head_like_get_without_a_body(self, client):
        """Link checkers, crawlers and uptime monitors ask HEAD first; a 405 there reads as a broken link."""
        published = build.published_world(1)
        secrets = build.unpublished_world()
        checked = 0
        for name, urls in build.public_urls(published, secrets).items():
            path, query = urls[0]
            get, head = client.get(path, query), client.head(path, query)
            assert head.status_code == get.status_code, f"{name} {path}: HEAD {head.status_code}, GET {get.status_code}"
            body = b"".join(head.streaming_content) if head.streaming else head.content
            assert body == b"", name
            checked += 1
        assert checked > 25

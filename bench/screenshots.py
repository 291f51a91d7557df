"""Screenshots of every public page type at 1280 and 390 CSS px, for review and the README (``make screenshots``).

Starts its own development server on a demo database (``DATABASE_URL``, by default the 10,000-fiche demo
database ft_demo; only read) unless ``SCREENSHOT_BASE_URL`` names a running one, and drives Debian's
Chromium (``/usr/bin/chromium``) through Playwright. Writes ``screenshots/<page>-<width>.png`` (full page)
and prints each page's height, so a page that grows with the data shows at once.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
CHROMIUM = os.environ.get("FICHETRACKER_CHROMIUM", "/usr/bin/chromium")
DEMO_DATABASE = "postgres://postgres@127.0.0.1:5432/ft_demo"
WIDTHS = (1280, 390)
# Page type -> path; "{fiche}" and "{document}" are filled in from the list pages of the site itself.
PAGES = {
    "home": "/",
    "fiche-list": "/fiches/",
    "fiche-list-filtered": "/fiches/?year=2024&competence=positief",
    "fiche-search": "/fiches/?q=digitale+markt",
    "fiche-list-errors": "/fiches/?year=abc",
    "fiche": "{fiche}",
    "document-list": "/voorstellen/",
    "document": "{document}",
    "commitments": "/toezeggingen/",
    "statistics": "/statistieken/",
    "feeds": "/feeds/",
    "about": "/over/",
    "accessibility": "/toegankelijkheid/",
    "not-found": "/fiches/22112-1/",
    "server-error": None,  # templates/500.html, rendered as Django renders it on an error
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server():
    port = free_port()
    env = {**os.environ, "DATABASE_URL": os.environ.get("DATABASE_URL", DEMO_DATABASE), "DJANGO_DEBUG": "1"}
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT, env=env,  # noqa: S603
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 (our own local server)
            return server, base
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the development server did not start (is the demo database there? DATABASE_URL=...)")


def server_error_html():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fichetracker.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.template import loader

    return loader.get_template("500.html").render()


def first_link(page, base, path, selector):
    page.goto(base + path)
    return page.locator(selector).first.get_attribute("href")


def main():
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    base = os.environ.get("SCREENSHOT_BASE_URL", "").rstrip("/")
    server = None
    if not base:
        server, base = start_server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True)
            for width in WIDTHS:
                context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
                page = context.new_page()
                found = {"fiche": first_link(page, base, "/fiches/", ".fiche-row h3 a"),
                         "document": first_link(page, base, "/voorstellen/", ".doc-row h3 a")}
                for name, path in PAGES.items():
                    if path is None:
                        page.goto(base + "/over/")
                        page.set_content(server_error_html())
                    else:
                        page.goto(base + path.format(**found))
                    height = page.evaluate("document.documentElement.scrollHeight")
                    sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    target = OUT / f"{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(f"{target.relative_to(ROOT)}: {height} px tall{f', SCROLLS SIDEWAYS by {sideways} px' if sideways > 0 else ''}")
                context.close()
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()

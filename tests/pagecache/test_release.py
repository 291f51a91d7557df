"""The release id in every cache key prefix (settings: FICHETRACKER_RELEASE, by default a digest of the
source): pages and results that older code cached are not served by newer code, even from a shared Redis."""

import importlib.util
import re

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured

from fichetracker import settings as project_settings


def settings_with(monkeypatch, release=None, redis=None):
    """A fresh copy of the settings module, loaded under the given environment (the real one is untouched)."""
    for name, value in (("FICHETRACKER_RELEASE", release), ("REDIS_URL", redis)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_copy", project_settings.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_key(caches_setting, alias="default"):
    params = caches_setting[alias]
    return LocMemCache(params["LOCATION"], params).make_key("page:abc.7:nl:https:example.org:2026-12-01:/fiches/")


class ReleaseKeyPrefixTests:
    def test_two_releases_give_different_keys_for_the_same_page(self, monkeypatch):
        first = settings_with(monkeypatch, release="2026.12.1")
        second = settings_with(monkeypatch, release="2026.12.2")
        assert page_key(first.CACHES) != page_key(second.CACHES)
        assert page_key(first.CACHES, "exports") != page_key(second.CACHES, "exports")
        assert "2026.12.1" in page_key(first.CACHES)

    def test_the_same_release_gives_the_same_keys_on_every_server(self, monkeypatch):
        assert page_key(settings_with(monkeypatch, release="abc").CACHES) == page_key(settings_with(monkeypatch, release="abc").CACHES)

    def test_with_redis_the_prefix_holds_the_release_too(self, monkeypatch):
        shared = settings_with(monkeypatch, release="2026.12.1", redis="redis://cache.internal:6379/0")
        assert shared.CACHES["default"]["KEY_PREFIX"] == "fichetracker-2026.12.1"
        assert shared.CACHES["exports"]["KEY_PREFIX"] == "fichetracker-exports-2026.12.1"

    def test_without_the_variable_the_release_is_the_digest_of_the_source(self, monkeypatch):
        fresh = settings_with(monkeypatch)
        assert re.fullmatch(r"[0-9a-f]{12}", fresh.RELEASE)
        assert fresh.source_digest() == fresh.RELEASE
        assert fresh.CACHES["default"]["KEY_PREFIX"] == f"fichetracker-{fresh.RELEASE}"

    def test_a_release_id_that_does_not_fit_in_a_key_stops_the_start(self, monkeypatch):
        with pytest.raises(ImproperlyConfigured, match="FICHETRACKER_RELEASE"):
            settings_with(monkeypatch, release="release 1 / final")


class SourceDigestTests:
    @pytest.fixture
    def tree(self, tmp_path):
        (tmp_path / "app" / "templates").mkdir(parents=True)
        (tmp_path / "app" / "views.py").write_text("def view(): pass\n")
        (tmp_path / "app" / "templates" / "page.html").write_text("<h1>{{ title }}</h1>\n")
        (tmp_path / ".venv" / "lib").mkdir(parents=True)
        (tmp_path / ".venv" / "lib" / "django.py").write_text("VERSION = 1\n")
        (tmp_path / "notes.txt").write_text("not code\n")
        return tmp_path

    def test_an_edited_template_or_module_changes_the_digest(self, tree):
        before = project_settings.source_digest(tree)
        (tree / "app" / "templates" / "page.html").write_text("<h2>{{ title }}</h2>\n")
        after_template = project_settings.source_digest(tree)
        (tree / "app" / "views.py").write_text("def view(): return 1\n")
        after_module = project_settings.source_digest(tree)
        assert len({before, after_template, after_module}) == 3

    def test_a_renamed_module_changes_the_digest(self, tree):
        before = project_settings.source_digest(tree)
        (tree / "app" / "views.py").rename(tree / "app" / "pages.py")
        assert project_settings.source_digest(tree) != before

    def test_the_virtualenv_and_other_files_do_not_count(self, tree):
        before = project_settings.source_digest(tree)
        (tree / ".venv" / "lib" / "django.py").write_text("VERSION = 2\n")
        (tree / "notes.txt").write_text("changed\n")
        (tree / "app" / "__pycache__").mkdir()
        (tree / "app" / "__pycache__" / "views.cpython-313.pyc").write_bytes(b"\x00")
        assert project_settings.source_digest(tree) == before

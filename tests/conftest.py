import pytest
from django.conf import settings
from django.utils import translation

from tests.database import database_at_closed_port


@pytest.fixture(autouse=True)
def dutch_again_after_each_test():
    """A request in English (language cookie) leaves English active in the test thread; later tests, in
    any folder, expect the default language (proposals tests failed after tests/i18n and tests/public)."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def no_version_listener_unless_asked(settings):
    """The content-version listener (pagecache/listener.py) is a thread with a connection of its own, started by the
    first request that reads the content state outside a transaction (a live-server browser test, say) and kept for
    the process. A test that wants it turns it on (tests/pagecache/test_listener.py); otherwise none is started, so
    no test depends on one another test left running (one served a page with the database down: no query needed)."""
    settings.PAGE_CACHE_LISTEN = False


@pytest.fixture
def example(db, django_db_blocker):
    """The fixtures of `make run`: reference data and the published example fiche (22112-3908)."""
    from django.core.management import call_command

    call_command("load_fixtures", verbosity=0)
    from positions.models import Fiche

    return Fiche.objects.get(kamerstuk="22112-3908")


@pytest.fixture
def unreachable_database(db):
    with database_at_closed_port() as connection:
        yield connection

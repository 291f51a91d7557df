import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def dutch_again_after_each_test():
    """A request in English (language cookie) leaves English active in the test thread; tests that run
    later, in any folder, expect the default language."""
    yield
    translation.activate(settings.LANGUAGE_CODE)

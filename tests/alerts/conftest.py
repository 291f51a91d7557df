import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_counters():
    """Throttle counters live in the cache, which outlives a test: each test starts with none."""
    cache.clear()
    yield
    cache.clear()

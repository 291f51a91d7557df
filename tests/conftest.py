import pytest


@pytest.fixture
def example(db, django_db_blocker):
    """The fixtures of `make run`: reference data and the published example fiche (22112-3908)."""
    from django.core.management import call_command

    call_command("load_fixtures", verbosity=0)
    from positions.models import Fiche

    return Fiche.objects.get(kamerstuk="22112-3908")

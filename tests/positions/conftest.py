import datetime

import pytest
from django.contrib.auth.models import Group, User

from positions.models import Fiche, TemplateSection
from positions.permissions import ROLES
from tests import factories

VERDICTS = {
    "competence": "positief", "competence_sentence": "De grondhouding ten aanzien van de bevoegdheid is positief.",
    "subsidiarity": "positief", "subsidiarity_sentence": "Subsidiariteit: positief.",
    "proportionality": "neutraal", "proportionality_sentence": "Proportionaliteit: neutraal.",
}


def staff_user(username, *, role=None, ministries=(), superuser=False):
    user = User.objects.create_user(username=username, password="Een-lang-wachtwoord-2026!", is_staff=True, is_superuser=superuser,
                                    first_name=username.capitalize())
    if role:
        user.groups.add(Group.objects.get(name=role))
    for ministry in ministries:
        ministry.members.add(user)
    return user


def template_with_sections():
    tpl = factories.template()
    for position, (key, number, title) in enumerate(
        [("essence", "2", "Essentie voorstel"), ("position-policy", "3a", "Essentie Nederlands beleid op dit terrein"),
         ("competence", "4a", "Bevoegdheid")], start=1,
    ):
        TemplateSection.objects.get_or_create(template=tpl, key=key, defaults={"number": number, "title": title, "position": position})
    return tpl


def make_fiche(status=Fiche.Status.DRAFT, *, ministry=None, filled=True, **fields):
    tpl = template_with_sections()
    values = {**VERDICTS, **fields} if filled else dict(fields)
    sections = [(s.key, s.number, s.title, "Tekst van het onderdeel." if filled else "") for s in tpl.sections.all()]
    return factories.fiche(status=status, template=tpl, lead_ministry=ministry or factories.ministry(), sections=sections, **values)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The production hasher costs half a second per password; these tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def own_ministry(db):
    return factories.ministry()


@pytest.fixture
def other_ministry(db):
    return factories.ministry(code="fin", abbreviation="FIN", name="Ministerie van Financiën")


@pytest.fixture
def role_users(own_ministry):
    """One user per role, all working for the own ministry (EZK), plus a superuser."""
    users = {role: staff_user(role.replace(" ", "-"), role=role, ministries=[own_ministry]) for role in ROLES}
    users["superuser"] = staff_user("admin", superuser=True)
    return users


@pytest.fixture
def superuser(db):
    return staff_user("beheerder", superuser=True)


@pytest.fixture
def today():
    return datetime.date.today()

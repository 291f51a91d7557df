"""Test data for follow-up, built in code on top of tests/factories.py."""

import datetime
import itertools

from django.contrib.auth.models import Group, User

from positions.models import Fiche
from proposals.models import CouncilMeeting
from tests import factories

_positions = itertools.count(1)
TODAY = datetime.date(2026, 11, 26)


def days(n):
    return TODAY + datetime.timedelta(days=n)


def ezk():
    return factories.ministry()


def fin():
    return factories.ministry(code="fin", abbreviation="FIN", name="Ministerie van Financiën")


def tte():
    return factories.council()


def ecofin():
    return factories.council(code="ECOFIN", name="Raad Economische en Financiële Zaken")


def staff(username, *, role="follow-up officer", ministries=(), email=None, superuser=False, is_staff=True):
    user = User.objects.create_user(
        username=username, password=None, email=f"{username}@minezk.nl" if email is None else email,
        is_staff=is_staff, is_superuser=superuser, first_name=username.capitalize(),
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    for ministry in ministries:
        ministry.members.add(user)
    return user


def fiche(**fields):
    return factories.fiche(**fields)


def commitment(fiche, **fields):
    return factories.commitment(fiche, position=fields.pop("position", next(_positions)), **fields)


def meeting(configuration, date, *, formal=True, end_date=None):
    return CouncilMeeting.objects.create(configuration=configuration, date=date, is_formal=formal, end_date=end_date)


def budget(fiche, **fields):
    return factories.budget(fiche, **fields)


def draft_fiche(**fields):
    return factories.fiche(status=Fiche.Status.DRAFT, **fields)

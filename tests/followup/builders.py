"""Test data for follow-up, built in code on top of tests/factories.py."""

import datetime
import itertools

from django.contrib.auth.models import Group, User

from positions.models import CofinancingBudget, CofinancingPriority, Commitment, Fiche
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
    position = fields.pop("position", next(_positions))
    defaults = {
        "quote": "Het kabinet zal hier aandacht voor vragen.",
        "summary": f"Toezegging {position}",
        "kind": Commitment.Kind.RAISE,
    }
    defaults.update(fields)
    return Commitment.objects.create(fiche=fiche, position=position, **defaults)


def meeting(configuration, date, *, formal=True, end_date=None):
    return CouncilMeeting.objects.create(configuration=configuration, date=date, is_formal=formal, end_date=end_date)


def budget(fiche, *, ministry=None, amount="75000000.00", code="DIGITAL", programme="Digital Europe (DIGITAL)", priorities=()):
    b = CofinancingBudget.objects.create(
        fiche=fiche, programme=programme, programme_code=code, ministry=ministry or fiche.lead_ministry, amount=amount,
        eu_rate_min="50.00", eu_rate_max="75.00",
    )
    for position, (topic, value) in enumerate(priorities, start=1):
        CofinancingPriority.objects.create(budget=b, topic=topic, amount=value, position=position)
    return b


def draft_fiche(**fields):
    return factories.fiche(status=Fiche.Status.DRAFT, **fields)

"""The staff roles' rights on the outcome ledger: follow-up officers and coordinators record outcomes and offer
them for review; every staff role may read them (what each sees is scoped in outcomes/admin.py)."""

from django.db import migrations

ROLES = {
    "follow-up officer": ["view", "add", "change", "delete", "submit"],
    "coordinator": ["view", "add", "change", "delete", "submit"],
    "editor": ["view"],
    "publisher": ["view"],
    "reader-staff": ["view"],
}


def codenames(actions):
    names = []
    for action in actions:
        if action == "submit":
            names.append("submit_outcome")
        else:
            names += [f"{action}_outcome", f"{action}_outcomepoint"]
    return names


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("outcomes")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for role, actions in ROLES.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="outcomes", codename__in=codenames(actions)))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="outcomes"))


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_ledger"),
        ("positions", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

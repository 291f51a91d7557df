"""Every staff role may see the subscription counts per kind in the admin (``alerts.view_subscription``);
the addresses stay for superusers (``alerts.admin``)."""

from django.db import migrations

ROLES = ("editor", "coordinator", "publisher", "follow-up officer", "reader-staff")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("alerts")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permission = Permission.objects.get(content_type__app_label="alerts", codename="view_subscription")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="alerts", codename="view_subscription"))


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_subscriptions_events_and_sent_items"),
        ("positions", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

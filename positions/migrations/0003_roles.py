"""The five staff roles as groups with their permissions. See positions/permissions.py for what each may do."""

from django.db import migrations

CUSTOM = {
    "view_all_fiches": "Mag alle fiches zien, ook concepten van andere ministeries",
    "edit_all_fiches": "Mag alle fiches wijzigen, in elke status",
    "submit_fiche": "Mag een fiche ter review aanbieden",
    "review_fiche": "Mag een fiche in review terugzetten naar concept of als vastgesteld markeren",
    "publish_fiche": "Mag een vastgesteld fiche publiceren",
    "follow_up_commitment": "Mag toezeggingen en cofinanciering van het eigen ministerie opvolgen",
}

FICHE_CONTENT = ["fiche", "fichesection", "footnote", "commitment", "cofinancingbudget", "cofinancingpriority"]
REFERENCE = ["ministry", "ministryalias", "councilconfiguration", "councilconfigurationalias", "councilmeeting",
             "fichetemplate", "templatesection", "batchletter"]
DOCUMENTS = ["commissiondocument", "documentrelation"]
LOGS = ["fichestatuschange", "commitmentstatuschange"]
ALL_MODELS = FICHE_CONTENT + REFERENCE + DOCUMENTS + LOGS


def perms(actions, models):
    return [f"{action}_{model}" for action in actions for model in models]


VIEW_ALL = perms(["view"], ALL_MODELS)
ROLES = {
    "editor": VIEW_ALL + perms(["add", "change", "delete"], FICHE_CONTENT + DOCUMENTS) + ["submit_fiche"],
    "coordinator": VIEW_ALL + perms(["add", "change", "delete"], FICHE_CONTENT + DOCUMENTS + REFERENCE)
    + ["view_all_fiches", "edit_all_fiches", "submit_fiche", "review_fiche"],
    "publisher": VIEW_ALL + ["change_fiche", "add_batchletter", "change_batchletter", "view_all_fiches", "publish_fiche"],
    "follow-up officer": VIEW_ALL + ["change_commitment", "change_cofinancingbudget", "add_cofinancingpriority",
                                     "change_cofinancingpriority", "delete_cofinancingpriority", "add_councilmeeting",
                                     "change_councilmeeting", "follow_up_commitment"],
    "reader-staff": VIEW_ALL,
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Model permissions are normally created after all migrations ran; create them now so the groups get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    fiche_type, _created = ContentType.objects.get_or_create(app_label="positions", model="fiche")
    for codename, name in CUSTOM.items():
        Permission.objects.update_or_create(content_type=fiche_type, codename=codename, defaults={"name": name})

    for role, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=role)
        found = Permission.objects.filter(content_type__app_label__in=["positions", "proposals"], codename__in=codenames)
        missing = set(codenames) - set(found.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions not found for role {role}: {sorted(missing)}")
        group.permissions.set(found)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()
    apps.get_model("auth", "Permission").objects.filter(content_type__app_label="positions", codename__in=CUSTOM).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("proposals", "0001_initial"),
        ("positions", "0002_fiche_search_vector"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

from django.db import migrations, models


def create_row(apps, schema_editor):
    apps.get_model("pagecache", "ContentVersion").objects.using(schema_editor.connection.alias).get_or_create(id=1)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField(default=1)),
            ],
            options={"verbose_name": "inhoudsversie", "verbose_name_plural": "inhoudsversie"},
        ),
        migrations.AddConstraint(
            model_name="contentversion",
            constraint=models.CheckConstraint(condition=models.Q(id=1), name="pagecache_single_content_version"),
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]

"""The three roles of the team as Django groups (see ``articles.roles``)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from articles.roles import ensure_groups


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrate; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_article_fulltext_index"),
        ("entities", "0003_review_permissions_suggested_type"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]

"""Data: the desk reads the review log and reads and adds internal comments (the admin needs model permissions).

Nobody changes or deletes either: the log is append-only by trigger, comments are a history.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("editor", "fact-checker")
CODENAMES = ("view_reviewevent", "view_comment", "add_comment")


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now so the groups can hold them.
    app_config = apps.get_app_config("claims")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="claims", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="claims", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_verdict_one_draft_per_claim"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]

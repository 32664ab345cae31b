"""Data: the desk (editors and fact-checkers) may read the audit trail: the admin's "Events" pages.

Only reading: nobody may add, change or delete events, and the event tables refuse it whatever the permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("editor", "fact-checker")
CODENAME = "view_auditevent"


def _permission(apps):
    # Permissions are normally created after all migrations ran; create audit's now so the groups can hold them.
    app_config = apps.get_app_config("audit")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    return apps.get_model("auth", "Permission").objects.get(content_type__app_label="audit", codename=CODENAME)


def grant(apps, schema_editor):
    permission = _permission(apps)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    permission = _permission(apps)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_event_tables"),
        # The desk's groups.
        ("claims", "0003_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]

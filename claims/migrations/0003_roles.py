"""Data: the desk's two roles as groups, with the model permissions the admin needs.

Workflow steps (triage, approve, publish, ...) are checked by the services against the role itself, not against
these model permissions. Users are never created here: see `manage.py createuser` and `manage.py load_demo`.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "editor"
FACT_CHECKER = "fact-checker"

# (app_label, model, actions) per group. Nobody deletes verdicts, rating history or attribution evidence of
# published work through the admin; editors may delete drafts of reference data.
GRANTS = {
    FACT_CHECKER: [
        ("claims", "claim", ("view", "add", "change")),
        ("claims", "attribution", ("view", "add", "change", "delete")),
        ("claims", "claimvalue", ("view", "add", "change", "delete")),
        ("claims", "evidence", ("view", "add")),
        ("claims", "verdict", ("view", "add", "change")),
        ("claims", "question", ("view", "add", "change")),
        ("claims", "claimrelation", ("view", "add")),
        ("claims", "ratingscale", ("view",)),
        ("claims", "rating", ("view",)),
        ("sources", "source", ("view", "add", "change")),
        ("sources", "appearance", ("view", "add", "change")),
    ],
    EDITOR: [
        ("claims", "claim", ("view", "add", "change")),
        ("claims", "attribution", ("view", "add", "change", "delete")),
        ("claims", "claimvalue", ("view", "add", "change", "delete")),
        ("claims", "evidence", ("view", "add", "change")),
        ("claims", "verdict", ("view", "add", "change")),
        ("claims", "question", ("view", "add", "change", "delete")),
        ("claims", "claimrelation", ("view", "add", "change", "delete")),
        ("claims", "ratingscale", ("view", "add", "change")),
        ("claims", "rating", ("view", "add", "change")),
        ("sources", "source", ("view", "add", "change", "delete")),
        ("sources", "appearance", ("view", "add", "change", "delete")),
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, grants in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, model, actions in grants:
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, FACT_CHECKER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_rating_scales"),
        ("sources", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]

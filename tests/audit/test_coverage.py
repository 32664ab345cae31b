"""Every table of the domain, and the tables that say who may do what, is under audit triggers in the database."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from audit.models import AUDITED_APPS, EVENT_MODELS, UNTRACKED

pytestmark = pytest.mark.django_db

User = get_user_model()
ACCESS_MODELS = {User, User.groups.through, User.user_permissions.through, Group, Group.permissions.through}


def domain_models() -> set[type]:
    """Every table of the audited apps, many-to-many tables included; proxies share their model's table."""
    return {
        model
        for label in AUDITED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def test_every_model_of_the_audited_apps_is_tracked_or_exempt_with_a_reason():
    untracked = {model._meta.label for model in domain_models() - EVENT_MODELS.keys()}
    assert untracked == UNTRACKED.keys()
    assert all(UNTRACKED.values())


def test_accounts_groups_and_permissions_are_tracked():
    assert EVENT_MODELS.keys() >= ACCESS_MODELS


def test_every_tracked_table_has_its_insert_update_and_delete_triggers_installed():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE NOT t.tgisinternal AND t.tgenabled <> 'D'"
        )
        installed: dict[str, set[str]] = {}
        for table, trigger in cursor.fetchall():
            installed.setdefault(table, set()).add(trigger.rpartition("_")[0])

    missing = {
        model._meta.db_table: sorted(
            {"pgtrigger_insert_insert", "pgtrigger_update_update", "pgtrigger_delete_delete"}
            - installed.get(model._meta.db_table, set())
        )
        for model in EVENT_MODELS
    }
    assert {table: names for table, names in missing.items() if names} == {}

"""Audit completeness: every way of writing leaves history rows, with the actor where there is one.

The six write paths of the issue: admin form, admin bulk action, API, QuerySet.update(), bulk import (bulk_create)
and raw SQL; and management commands, which name themselves.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_key_create
from claims.models import Claim, ClaimStatus, ReviewEvent
from factcheck.preconditions import etag_for
from sources.models import Source, SourceKind
from tests.audit.conftest import events_of, history
from tests.factories import ClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def form_data(response: Any) -> dict[str, str]:
    """What a browser posts back for the rendered admin change form, left as it is."""
    data: dict[str, str] = {}
    for field in response.context["adminform"].form:
        value = field.value()
        data[field.html_name] = "" if value is None else str(value)
        if field.field.show_hidden_initial:
            data[field.html_initial_name] = data[field.html_name]
    return data


def test_an_admin_form_records_the_change_with_the_editor_and_the_page(client, editor):
    source = SourceFactory(name="Ministry of Health", country="")
    client.force_login(editor)
    url = reverse("admin:sources_source_change", args=[source.pk])
    data = form_data(client.get(url))
    data["country"] = "PS"

    assert client.post(url, data).status_code == 302

    update = history(source)[-1]
    assert update.pgh_label == "update"
    assert update.country == "PS"
    assert update.pgh_context == {"user": editor.pk, "username": "edna-editor", "method": "POST", "url": url}


def test_an_admin_bulk_action_records_each_row_with_the_editor(client, editor):
    doomed = [SourceFactory(name="Outlet A"), SourceFactory(name="Outlet B")]
    client.force_login(editor)
    changelist = reverse("admin:sources_source_changelist")

    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [s.pk for s in doomed], "post": "yes"}
    )

    assert response.status_code == 302
    assert not Source.objects.filter(pk__in=[s.pk for s in doomed]).exists()
    deletes = [history(source)[-1] for source in doomed]
    assert [(event.pgh_label, event.name) for event in deletes] == [("delete", "Outlet A"), ("delete", "Outlet B")]
    for event in deletes:
        assert event.pgh_context["username"] == "edna-editor"
        assert event.pgh_context["url"] == changelist
    # One request, one context: both rows were removed by the same action.
    assert deletes[0].pgh_context_id == deletes[1].pgh_context_id


def test_an_api_write_records_the_authenticated_user(editor_client, editor):
    response = editor_client.post("/api/v1/sources/", {"name": "TASS", "kind": "news_agency"}, format="json")

    assert response.status_code == 201, response.json()
    insert = history(Source.objects.get(pk=response.json()["id"]))[0]
    assert insert.pgh_label == "insert"
    assert (insert.name, insert.kind) == ("TASS", "news_agency")
    assert insert.pgh_context == {
        "user": editor.pk,
        "username": "edna-editor",
        "method": "POST",
        "url": "/api/v1/sources/",
    }


def test_an_api_write_with_basic_authentication_records_the_user_drf_authenticated(editor):
    # No session: the middleware starts the request as anonymous, and DRF finds the user only in the view.
    client = APIClient()
    credentials = base64.b64encode(f"edna-editor:{PASSWORD}".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {credentials}")

    response = client.post("/api/v1/sources/", {"name": "Reuters", "kind": "news_agency"}, format="json")

    assert response.status_code == 201, response.json()
    insert = history(Source.objects.get(pk=response.json()["id"]))[0]
    assert insert.pgh_context["user"] == editor.pk
    assert insert.pgh_context["username"] == "edna-editor"


def test_an_api_write_with_a_users_key_records_the_user_and_the_key_but_not_the_keys_use(editor):
    issued = api_key_create(user=editor, name="scripts")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.key}")

    response = client.post("/api/v1/sources/", {"name": "Interfax", "kind": "news_agency"}, format="json")

    assert response.status_code == 201, response.json()
    insert = history(Source.objects.get(pk=response.json()["id"]))[0]
    assert insert.pgh_context == {
        "user": editor.pk,
        "username": "edna-editor",
        "method": "POST",
        "url": "/api/v1/sources/",
        "api_key": f"fck_{issued.api_key.prefix}",
    }
    # Authenticating wrote last_used_at, which is usage rather than an edit; the digest is never copied.
    issued.api_key.refresh_from_db()
    assert issued.api_key.last_used_at is not None
    key_events = history(issued.api_key)
    assert [event.pgh_label for event in key_events] == ["insert"]
    assert not hasattr(key_events[0], "secret_hash")


def test_a_workflow_step_over_the_api_records_the_claim_and_its_review_log_in_one_context(editor_client, editor):
    claim = ClaimFactory(status=ClaimStatus.NEW)

    response = editor_client.post(
        f"/api/v1/claims/{claim.pk}/triage/",
        {"comment": "checkable"},
        format="json",
        HTTP_IF_MATCH=etag_for(Claim.objects.get(pk=claim.pk)),
    )

    assert response.status_code == 200, response.json()
    update = history(claim)[-1]
    assert (update.pgh_label, update.status) == ("update", "triaged")
    assert update.pgh_context["username"] == "edna-editor"
    assert update.pgh_context["url"] == f"/api/v1/claims/{claim.pk}/triage/"
    logged = events_of(ReviewEvent).get(claim_id=claim.pk)
    assert (logged.pgh_label, logged.transition, logged.actor_id) == ("insert", "triage", editor.pk)
    assert logged.pgh_context_id == update.pgh_context_id


def test_queryset_update_records_the_change_without_a_user():
    source = SourceFactory(name="Hamas", kind=SourceKind.POLITICAL_GROUP)

    Source.objects.filter(pk=source.pk).update(name="Hamas politburo")

    update = history(source)[-1]
    assert (update.pgh_label, update.name) == ("update", "Hamas politburo")
    assert update.pgh_context is None


def test_bulk_create_records_every_row():
    created = Source.objects.bulk_create(
        [Source(name=name, kind=SourceKind.OUTLET) for name in ("Al Jazeera", "RT", "Haaretz")]
    )

    inserts = events_of(Source).filter(pgh_obj_id__in=[s.pk for s in created])
    assert sorted((event.pgh_label, event.name) for event in inserts) == [
        ("insert", "Al Jazeera"),
        ("insert", "Haaretz"),
        ("insert", "RT"),
    ]


def test_raw_sql_is_recorded_too():
    source = SourceFactory(name="Kremlin", country="")

    with connection.cursor() as cursor:
        cursor.execute("UPDATE sources_source SET country = %s WHERE id = %s", ["RU", source.pk])
        cursor.execute("DELETE FROM sources_source WHERE id = %s", [source.pk])

    assert [(event.pgh_label, event.country) for event in history(source)] == [
        ("insert", ""),
        ("update", "RU"),
        ("delete", "RU"),
    ]
    assert all(event.pgh_context is None for event in history(source))


def test_a_management_command_names_itself_in_the_context():
    call_command("createsuperuser", interactive=False, username="root", email="root@example.org", verbosity=0)

    user = get_user_model().objects.get(username="root")
    insert = history(user)[0]
    assert (insert.pgh_label, insert.username, insert.is_superuser) == ("insert", "root", True)
    assert insert.pgh_context == {"command": "createsuperuser"}


def test_a_save_that_changes_nothing_records_nothing():
    source = SourceFactory()

    source.save()  # bumps updated_at, changes nothing else

    assert [event.pgh_label for event in history(source)] == ["insert"]


def test_deleting_an_object_leaves_a_delete_event_with_its_last_snapshot():
    claim = ClaimFactory(statement="Nearly a thousand were killed.")
    claim.statement = "More than a thousand were killed."
    claim.save()
    claim_id = claim.pk

    claim.delete()

    assert not Claim.objects.filter(pk=claim_id).exists()
    events = list(events_of(Claim).filter(pgh_obj_id=claim_id))
    assert [event.pgh_label for event in events] == ["insert", "update", "delete"]
    assert events[-1].statement == "More than a thousand were killed."
    assert events[-1].pgh_obj_id == events[-1].id == claim_id


def test_a_password_change_is_recorded_without_the_password_and_a_login_not_at_all(client):
    user = UserFactory(username="pat")

    user.set_password("another horse battery staple")
    user.save()
    assert client.login(username="pat", password="another horse battery staple")

    events = history(user)
    assert [event.pgh_label for event in events] == ["insert", "password_change"]
    assert not hasattr(events[0], "password")
    assert not hasattr(events[0], "last_login")


def test_group_membership_is_recorded_both_ways(editor):
    group = Group.objects.create(name="visitors")

    editor.groups.add(group)
    editor.groups.remove(group)

    membership = events_of(get_user_model().groups.through).filter(user_id=editor.pk, group_id=group.pk)
    assert [event.pgh_label for event in membership] == ["insert", "delete"]

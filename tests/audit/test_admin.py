"""The audit trail in the admin: each object's change page links to its history, which says who changed what."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AuditEvent
from claims.models import Claim
from sources.models import Source
from tests.audit.conftest import history
from tests.audit.test_write_paths import form_data
from tests.factories import ClaimFactory, SourceFactory, StaffFactory, VerdictFactory

pytestmark = pytest.mark.django_db

EVENTS = reverse("admin:audit_auditevent_changelist")


def history_link(page: Any) -> str:
    """The href of the change page's "Events" button."""
    match = re.search(r'href="([^"]*)" class="events-admin"', page.content.decode())
    assert match, "no Events button on the page"
    return match.group(1).replace("&amp;", "&")


def test_a_change_page_links_to_a_history_that_shows_who_changed_what(client, editor):
    source = SourceFactory(name="Ministry of Health", country="")
    client.force_login(editor)
    change_url = reverse("admin:sources_source_change", args=[source.pk])
    data = form_data(client.get(change_url))
    data["country"] = "PS"
    client.post(change_url, data)

    link = history_link(client.get(change_url))
    assert link.startswith(f"{EVENTS}?method=tracks&obj=sources.Source:{source.pk}&back=")
    page = client.get(link)

    assert page.status_code == 200
    rows = list(page.context["cl"].result_list)
    assert [row.pgh_label for row in rows] == ["update", "insert"]  # newest first
    html = page.content.decode()
    assert "Ministry of Health" in html  # the page names the object
    assert "<li><strong>country</strong>: (empty) → PS</li>" in html
    assert "edna-editor" in html
    assert f"POST {change_url}" in html
    assert f'href="{change_url}" class="back"' in html


@pytest.mark.parametrize(
    "make",
    [ClaimFactory, VerdictFactory, lambda: StaffFactory(username="sam")],
    ids=["claim, with workflow buttons", "verdict, with workflow buttons", "user"],
)
def test_every_tracked_change_page_has_the_events_button(client, admin_user, make):
    obj = make()
    opts = obj._meta
    client.force_login(admin_user)
    page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert f"obj={opts.label}:{obj.pk}&" in history_link(page)


def test_a_change_made_outside_the_application_shows_without_a_user(client, editor):
    claim = ClaimFactory(statement="Nearly a thousand were killed.")
    Claim.objects.filter(pk=claim.pk).update(statement="Over a thousand were killed.")
    client.force_login(editor)

    page = client.get(EVENTS, {"method": "tracks", "obj": f"claims.Claim:{claim.pk}"})

    assert page.status_code == 200
    html = page.content.decode()
    assert "outside the application (raw SQL or a script)" in html
    assert "<strong>statement</strong>: Nearly a thousand were killed. → Over a thousand were killed." in html


def test_the_history_of_a_deleted_object_still_shows(client, editor):
    source = SourceFactory(name="Defunct outlet")
    source_id = source.pk
    source.delete()
    client.force_login(editor)

    page = client.get(EVENTS, {"method": "tracks", "obj": f"sources.Source:{source_id}"})

    assert page.status_code == 200
    assert [row.pgh_label for row in page.context["cl"].result_list] == ["delete", "insert"]
    assert f"source {source_id} (deleted)" in page.content.decode()


def test_an_event_opens_read_only_with_its_snapshot(client, editor):
    source = SourceFactory(name="Hamas")
    event = history(source)[0]
    client.force_login(editor)

    page = client.get(reverse("admin:audit_auditevent_change", args=[quote(f"audit.SourceEvent:{event.pk}")]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Hamas" in html
    assert 'name="_save"' not in html


def test_fact_checkers_read_the_history_too(client, fact_checker):
    source = SourceFactory()
    client.force_login(fact_checker)
    assert client.get(EVENTS, {"method": "tracks", "obj": f"sources.Source:{source.pk}"}).status_code == 200


def test_staff_outside_the_desk_cannot_read_the_history(client):
    source = SourceFactory()
    client.force_login(StaffFactory(roles=[]))
    assert client.get(EVENTS, {"method": "tracks", "obj": f"sources.Source:{source.pk}"}).status_code == 403


def test_the_back_link_only_leads_back_into_the_site(client, editor):
    source = SourceFactory()
    client.force_login(editor)
    page = client.get(EVENTS, {"method": "tracks", "obj": f"sources.Source:{source.pk}", "back": "javascript:alert(1)"})
    assert page.status_code == 200
    assert "javascript:" not in page.content.decode()


def test_a_model_list_links_to_the_history_of_all_its_objects(client, editor):
    reuters = SourceFactory(name="Reuters")
    tass = SourceFactory(name="TASS")
    Source.objects.filter(pk=tass.pk).update(country="RU")
    client.force_login(editor)

    page = client.get(history_link(client.get(reverse("admin:sources_source_changelist"))))

    assert page.status_code == 200
    assert [(row.pgh_obj_id, row.pgh_label) for row in page.context["cl"].result_list] == [
        (str(tass.pk), "update"),
        (str(tass.pk), "insert"),
        (str(reuters.pk), "insert"),
    ]
    change_url = reverse("admin:sources_source_change", args=[tass.pk])
    assert f'<a href="{change_url}">source {tass.pk}</a>' in page.content.decode()


def test_group_membership_shows_in_the_history_that_references_the_user(client, editor):
    groups = dict(Group.objects.values_list("name", "pk"))  # EditorFactory put the editor in "editor"
    client.force_login(editor)

    page = client.get(EVENTS, {"method": "references", "obj": f"auth.User:{editor.pk}"})

    assert page.status_code == 200
    assert sorted((row.pgh_obj_model, row.pgh_label) for row in page.context["cl"].result_list) == [
        ("audit.TrackedUser", "insert"),
        ("audit.TrackedUserGroups", "insert"),
    ]
    assert f"added: group_id {groups['editor']}, user_id {editor.pk}" in page.content.decode()


def test_the_admin_offers_no_way_to_add_change_or_delete_events(admin_user):
    events_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/")
    request.user = admin_user
    assert not events_admin.has_add_permission(request)
    assert not events_admin.has_change_permission(request)
    assert not events_admin.has_delete_permission(request)
    assert events_admin.has_view_permission(request)
    assert events_admin.get_actions(request) == {}

"""The application cannot edit or delete audit rows: the database refuses, whichever way it is asked.

That the admin offers no way to try is in test_admin.py.
"""

from __future__ import annotations

import pytest
from django.db import ProgrammingError, connection, transaction

from audit.models import EVENT_MODELS
from sources.models import Source
from tests.audit.conftest import history
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded():
    source = SourceFactory(name="Ministry of Defence")
    return source, history(source)[0]


def test_it_refuses_to_update_an_event_through_the_orm(recorded):
    source, event = recorded
    with (
        pytest.raises(ProgrammingError, match="Cannot update or delete rows from audit_sourceevent"),
        transaction.atomic(),
    ):
        type(event).objects.filter(pk=event.pk).update(name="Ministry of Peace")
    assert history(source)[0].name == "Ministry of Defence"


def test_it_refuses_to_delete_an_event_through_the_orm(recorded):
    source, event = recorded
    with (
        pytest.raises(ProgrammingError, match="Cannot update or delete rows from audit_sourceevent"),
        transaction.atomic(),
    ):
        event.delete()
    assert len(history(source)) == 1


@pytest.mark.parametrize(
    "statement",
    [
        'UPDATE audit_sourceevent SET pgh_context = \'{"username": "someone-else"}\' WHERE pgh_id = %s',
        "DELETE FROM audit_sourceevent WHERE pgh_id = %s",
    ],
)
def test_it_refuses_raw_sql_that_edits_or_deletes_events(recorded, statement):
    source, event = recorded
    with (
        pytest.raises(ProgrammingError, match="Cannot update or delete rows"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])
    assert history(source)[0].pgh_context is None


def test_every_event_table_is_append_only():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname LIKE 'pgtrigger_append_only_%%' AND NOT t.tgisinternal"
        )
        protected = {row[0] for row in cursor.fetchall()}
    assert {model._meta.db_table for model in EVENT_MODELS.values()} <= protected


def test_source_deletes_are_unaffected_by_the_protection_of_their_history(recorded):
    source, _ = recorded
    Source.objects.filter(pk=source.pk).delete()
    assert [event.pgh_label for event in history(source)] == ["insert", "delete"]

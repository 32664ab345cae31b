"""History of every change to every domain model, written by PostgreSQL triggers (django-pghistory).

Each tracked model gets an event table in this app, named `<Model>Event`. The domain apps carry no audit code and
their migrations no audit triggers: pghistory tracks a proxy of each model declared here, so the triggers and the
event tables migrate with `audit` (the way pghistory's documentation tracks third-party models).

The triggers fire for every write that reaches PostgreSQL — model save(), QuerySet.update(), bulk_create(), the
admin, the API, the shell, raw SQL — so no path can skip the record. Each event row holds:

- `pgh_label`: `insert`, `update` (only when a recorded column changed) or `delete`; users also `password_change`.
- a snapshot of the row: the new row for inserts and updates, the last one for deletes.
- `pgh_context`: who and where, as set by `audit.middleware` (user id and name, request method and path, API key)
  or by the management command wrapper in `audit.commands` (command name); empty for writes outside both (SQL from
  a database console, a script). It is copied into the row rather than referenced, so it cannot be edited later.

Event tables are append-only: a trigger refuses every UPDATE and DELETE on them.
"""

from __future__ import annotations

import pghistory
import pghistory.models
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models

from accounts.models import ApiClient, ApiKey
from claims.models import (
    Attribution,
    Claim,
    ClaimRelation,
    ClaimValue,
    Comment,
    Evidence,
    Question,
    Rating,
    RatingScale,
    ReviewEvent,
    Verdict,
)
from sources.models import Appearance, Source

User = get_user_model()

# Tracked model -> its event model, for code and tests that look the history of a model up.
EVENT_MODELS: dict[type[models.Model], type[pghistory.models.Event]] = {}

# Apps all of whose models are tracked, but for these (label -> why not).
AUDITED_APPS = ("sources", "claims", "accounts")
UNTRACKED: dict[str, str] = {
    "accounts.RateCounter": (
        "request counters for rate limits, upserted on every API request and worthless after a crash (an UNLOGGED"
        " table): a history of them would be a second, logged, request log"
    ),
}


def _trackers() -> tuple[pghistory.RowEvent, ...]:
    # A tracker belongs to the one event model it is set up for, so every model gets fresh instances.
    return (
        pghistory.InsertEvent(),
        # A save() that writes the same values again (bumping only updated_at) is not a change worth a row.
        pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude_auto=True)),
        pghistory.DeleteEvent(),
    )


def track(
    model: type[models.Model],
    *,
    name: str | None = None,
    exclude: tuple[str, ...] = (),
    extra_trackers: tuple[pghistory.Tracker, ...] = (),
    per_object: bool = True,
) -> type[models.Model]:
    """Record every insert, update and delete of `model` in the event table `audit.<name>Event`.

    Columns in `exclude` are left out of the snapshots, and a change to them alone records nothing. Generated
    columns (a claim's search vector) are left out always: PostgreSQL derives them from the others. `per_object`
    is False for Django's automatic many-to-many tables, which a foreign key (the event's link to its object) may
    not point to.
    """
    name = name or model.__name__
    proxy = type(
        f"Tracked{name}",
        (model,),
        {
            "__module__": __name__,
            "Meta": type(
                "Meta",
                (),
                {
                    "proxy": True,
                    "app_label": "audit",
                    "default_permissions": (),
                    "verbose_name": f"tracked {model._meta.verbose_name}",
                },
            ),
        },
    )
    generated = tuple(field.name for field in model._meta.concrete_fields if field.generated)
    pghistory.track(
        *_trackers(),
        *extra_trackers,
        exclude=[*exclude, *generated],
        model_name=f"{name}Event",
        # No reverse accessor on the tracked model: a domain model may well have an `events` relation of its own.
        obj_field=pghistory.ObjForeignKey(related_name="+", related_query_name="+") if per_object else None,
        context_field=pghistory.ContextJSONField(),
        append_only=True,
        app_label="audit",
    )(proxy)
    EVENT_MODELS[model] = globals()[f"{name}Event"]
    return proxy


# The domain: sources, then claims and what hangs off them.
track(Source)
track(Appearance)
track(Question)
track(Claim)
track(Attribution)
track(ClaimValue)
track(ClaimRelation)
track(RatingScale)
track(Rating)
track(Verdict)
track(Evidence)
# The review log refuses updates and deletes itself; its inserts are recorded here like every other row's.
track(ReviewEvent)
track(Comment)

# Who may do what: accounts, their roles (group membership) and direct permissions. A password hash has no place in
# a history that many people read; its change is recorded as a `password_change` event without it. last_login
# changes at every login, which is not an edit.
track(
    User,
    exclude=("password", "last_login"),
    extra_trackers=(pghistory.UpdateEvent("password_change", condition=pghistory.AnyChange("password")),),
)
track(User.groups.through, name="UserGroups", per_object=False)
track(User.user_permissions.through, name="UserPermissions", per_object=False)
track(Group)
track(Group.permissions.through, name="GroupPermissions", per_object=False)
# API access: clients and keys (issued, renamed, re-rated, revoked). A key's secret digest is credential material,
# and last_used_at is written as the key is used (once a minute at most), which is not an edit.
track(ApiClient)
track(ApiKey, exclude=("secret_hash", "last_used_at"))


class AuditEvent(pghistory.models.Events):
    """One recorded change to any tracked row, read across all event tables, with who made it and where."""

    user = pghistory.ProxyField(
        "pgh_context__user",
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.DO_NOTHING,
            null=True,
            related_name="+",
            db_constraint=False,
            help_text="The signed-in user whose request made the change.",
        ),
    )
    username = pghistory.ProxyField(
        "pgh_context__username",
        models.TextField(null=True, help_text="The user's name at the time (kept if the user is renamed)."),
    )
    method = pghistory.ProxyField("pgh_context__method", models.TextField(null=True, help_text="HTTP method."))
    url = pghistory.ProxyField("pgh_context__url", models.TextField(null=True, help_text="Request path."))
    command = pghistory.ProxyField(
        "pgh_context__command", models.TextField(null=True, help_text="The management command that made the change.")
    )

    class Meta:
        proxy = True
        verbose_name = "event"
        verbose_name_plural = "events"

# The append-only log of the review workflow; a trigger refuses updates and deletes from any path.

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReviewEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "transition",
                    models.CharField(
                        choices=[
                            ("triage", "Triage"),
                            ("dismiss", "Dismiss"),
                            ("mark_duplicate", "Mark duplicate"),
                            ("assign", "Assign"),
                            ("draft", "Draft verdict"),
                            ("submit", "Submit for review"),
                            ("approve", "Approve"),
                            ("reject", "Reject"),
                            ("publish", "Publish"),
                            ("reopen", "Reopen for a correction"),
                        ],
                        max_length=32,
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
                        choices=[
                            ("new", "New"),
                            ("triaged", "Triaged"),
                            ("dismissed", "Dismissed (not checkable)"),
                            ("duplicate", "Duplicate"),
                            ("researching", "Researching"),
                            ("in_review", "In review"),
                            ("published", "Published"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[
                            ("new", "New"),
                            ("triaged", "Triaged"),
                            ("dismissed", "Dismissed (not checkable)"),
                            ("duplicate", "Duplicate"),
                            ("researching", "Researching"),
                            ("in_review", "In review"),
                            ("published", "Published"),
                        ],
                        max_length=16,
                    ),
                ),
                ("comment", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="review_events",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="review_events", to="claims.claim"
                    ),
                ),
                (
                    "verdict",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="review_events",
                        to="claims.verdict",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "indexes": [models.Index(fields=["claim", "-created_at"], name="reviewevent_claim_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "transition__in",
                                [
                                    "triage",
                                    "dismiss",
                                    "mark_duplicate",
                                    "assign",
                                    "draft",
                                    "submit",
                                    "approve",
                                    "reject",
                                    "publish",
                                    "reopen",
                                ],
                            )
                        ),
                        name="reviewevent_transition_valid",
                        violation_error_message="Unknown workflow transition.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "from_status__in",
                                ["new", "triaged", "dismissed", "duplicate", "researching", "in_review", "published"],
                            ),
                            (
                                "to_status__in",
                                ["new", "triaged", "dismissed", "duplicate", "researching", "in_review", "published"],
                            ),
                        ),
                        name="reviewevent_status_valid",
                        violation_error_message="Unknown claim status.",
                    ),
                ],
            },
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="reviewevent",
            trigger=pgtrigger.compiler.Trigger(
                name="reviewevent_append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="3d7892444fcda29f4665055c168857d1f46fbff2",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_reviewevent_append_only_f8783",
                    table="claims_reviewevent",
                    when="BEFORE",
                ),
            ),
        ),
    ]

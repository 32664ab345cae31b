# At most one unpublished verdict per claim, so "the claim's draft" that the workflow acts on is one row.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_comment"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="verdict",
            constraint=models.UniqueConstraint(
                condition=models.Q(("published_at__isnull", True)),
                fields=("claim",),
                name="verdict_one_draft_per_claim",
                violation_error_message="This claim already has an unpublished verdict draft; edit that one.",
            ),
        ),
    ]

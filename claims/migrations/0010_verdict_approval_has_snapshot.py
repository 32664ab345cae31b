# Every approval carries the claim as approved, and nothing else does: readers are never served a version without it.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_fill_verdict_claim_snapshot"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="verdict",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("approved_at__isnull", True), ("claim_snapshot__isnull", True)),
                    models.Q(("approved_at__isnull", False), ("claim_snapshot__isnull", False)),
                    _connector="OR",
                ),
                name="verdict_approval_has_snapshot",
                violation_error_message="An approval records the claim as it was approved, and only an approval does.",
            ),
        ),
    ]

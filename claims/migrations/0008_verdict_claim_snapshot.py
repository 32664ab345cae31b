# The claim as the approver saw it, kept with each verdict version; readers are shown it instead of the live rows.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_desk_permissions_for_comments_and_events"),
    ]

    operations = [
        migrations.AddField(
            model_name="verdict",
            name="claim_snapshot",
            field=models.JSONField(
                blank=True,
                editable=False,
                help_text="The claim as the approver saw it (claims.snapshot), which readers are shown with this version: taken at approval, dropped by a rejection, never changed once published.",
                null=True,
            ),
        ),
    ]

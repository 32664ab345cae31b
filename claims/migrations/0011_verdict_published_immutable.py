# A published verdict version is never rewritten: only superseded_at and updated_at may change, by any path.

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_verdict_approval_has_snapshot"),
    ]

    operations = [
        pgtrigger.migrations.AddTrigger(
            model_name="verdict",
            trigger=pgtrigger.compiler.Trigger(
                name="verdict_published_immutable",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (OLD."published_at" IS NOT NULL AND (OLD."claim_id" IS DISTINCT FROM (NEW."claim_id") OR OLD."version" IS DISTINCT FROM (NEW."version") OR OLD."rating_id" IS DISTINCT FROM (NEW."rating_id") OR OLD."summary" IS DISTINCT FROM (NEW."summary") OR OLD."explanation" IS DISTINCT FROM (NEW."explanation") OR OLD."author_id" IS DISTINCT FROM (NEW."author_id") OR OLD."approver_id" IS DISTINCT FROM (NEW."approver_id") OR OLD."approved_at" IS DISTINCT FROM (NEW."approved_at") OR OLD."published_at" IS DISTINCT FROM (NEW."published_at") OR OLD."correction_kind" IS DISTINCT FROM (NEW."correction_kind") OR OLD."correction_note" IS DISTINCT FROM (NEW."correction_note") OR OLD."claim_snapshot" IS DISTINCT FROM (NEW."claim_snapshot") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at")))',
                    func="RAISE EXCEPTION 'Version % of the verdict on claim % is published and is never changed; a correction is a new version.', OLD.version, OLD.claim_id USING ERRCODE = 'integrity_constraint_violation';",
                    hash="1fd4a992dcfda346496757bcfdb147691a6ef7cd",
                    operation="UPDATE",
                    pgid="pgtrigger_verdict_published_immutable_46c0e",
                    table="claims_verdict",
                    when="BEFORE",
                ),
            ),
        ),
    ]

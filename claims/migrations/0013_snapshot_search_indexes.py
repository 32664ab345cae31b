"""Indexes on what readers are shown: the current published versions' snapshots (Verdict.claim_snapshot).

Readers never search the claims' live columns (an unpublished rewording would show through), so their related-claims
search (claims.related) and the sources' track records (claims.trackrecord) read the snapshots. Without these, each
such request scans every current version. Partial: only current published versions are ever read this way. Written
in SQL because the expressions must match the queries' own text exactly for PostgreSQL to use them.
"""

from django.db import migrations

CURRENT = "WHERE published_at IS NOT NULL AND superseded_at IS NULL"

INDEXES = {
    # claims.related, readers' "terms" arm: to_tsvector('english', statement as approved) @@ pairs of rare terms.
    "verdict_current_statement_fts": (
        f"USING gin (to_tsvector('english', (claim_snapshot ->> 'statement'))) {CURRENT}"
    ),
    # claims.related, readers' "wording" arm: text <% statement as approved (trigram word similarity).
    "verdict_current_statement_trgm": f"USING gin ((claim_snapshot ->> 'statement') gin_trgm_ops) {CURRENT}",
    # claims.trackrecord: snapshot @> {"claimant": {"id": n}} and the like, to find the claims naming a source.
    "verdict_current_snapshot_path": f"USING gin (claim_snapshot jsonb_path_ops) {CURRENT}",
}


class Migration(migrations.Migration):
    dependencies = [("claims", "0012_relation_symmetric_and_snapshot_question")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX {name} ON claims_verdict {definition};",
            reverse_sql=f"DROP INDEX {name};",
        )
        for name, definition in INDEXES.items()
    ]

"""Every write with a rule goes through here, whether it comes from the admin, the API or a command.

Each service is keyword-only, validates with full_clean (so the database constraints' messages reach the user
as field errors before the database has to refuse), and writes inside one transaction. `editing` holds the
claim's own fields and parts and the questions; `review` the workflow steps, verdict versions and comments.
"""

from __future__ import annotations

from claims.services.editing import (
    CLAIM_EDITABLE_FIELDS,
    QUESTION_EDITABLE_FIELDS,
    Chain,
    Hop,
    attribution_chain_set,
    claim_attributions_set,
    claim_create,
    claim_parts_set,
    claim_update,
    claim_value_add,
    claim_values_changed,
    claim_values_set,
    evidence_add,
    question_create,
    question_update,
    touch,
)
from claims.services.imports import ImportedReview, import_account, review_import
from claims.services.ingest import IngestResult, article_ingest
from claims.services.relations import relation_confirm, relation_dismiss
from claims.services.review import (
    VERDICT_EDITABLE_FIELDS,
    claim_assign,
    claim_dismiss,
    claim_draft,
    claim_mark_duplicate,
    claim_publish,
    claim_reopen,
    claim_triage,
    comment_add,
    verdict_approve,
    verdict_draft,
    verdict_publish,
    verdict_reject,
    verdict_submit,
    verdict_update,
)

__all__ = [
    "CLAIM_EDITABLE_FIELDS",
    "QUESTION_EDITABLE_FIELDS",
    "VERDICT_EDITABLE_FIELDS",
    "Chain",
    "Hop",
    "ImportedReview",
    "IngestResult",
    "article_ingest",
    "attribution_chain_set",
    "claim_assign",
    "claim_attributions_set",
    "claim_create",
    "claim_dismiss",
    "claim_draft",
    "claim_mark_duplicate",
    "claim_parts_set",
    "claim_publish",
    "claim_reopen",
    "claim_triage",
    "claim_update",
    "claim_value_add",
    "claim_values_changed",
    "claim_values_set",
    "comment_add",
    "evidence_add",
    "import_account",
    "question_create",
    "question_update",
    "relation_confirm",
    "relation_dismiss",
    "review_import",
    "touch",
    "verdict_approve",
    "verdict_draft",
    "verdict_publish",
    "verdict_reject",
    "verdict_submit",
    "verdict_update",
]

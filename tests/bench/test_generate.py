"""The benchmark's data generator: its rows satisfy the schema, its snapshots are the app's, and a seed repeats."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from django.db import connection, transaction

from bench.generate import dump_digest, load, validate_foreign_keys
from claims.models import Attribution, Claim, ClaimStatus, Verdict
from claims.snapshot import claim_snapshot

CLAIMS = 200


def _raw() -> psycopg.Connection:
    """The test's own psycopg connection, inside the test's transaction: what load() writes rolls back with it."""
    connection.ensure_connection()
    return connection.connection


@pytest.fixture
def loaded(db):
    return load(_raw(), claims=CLAIMS, seed=1)


def test_it_loads_claims_with_chains_values_and_a_fifth_unpublished(loaded):
    assert loaded.rows["claim"] == CLAIMS
    assert Claim.objects.count() == CLAIMS
    unpublished = Claim.objects.exclude(status=ClaimStatus.PUBLISHED).count()
    assert 0.1 * CLAIMS < unpublished < 0.3 * CLAIMS
    # Unpublished claims have no published verdict; every published one exactly one current version.
    assert not Verdict.objects.filter(published_at__isnull=False).exclude(claim__status="published").exists()
    assert Verdict.objects.current().count() == CLAIMS - unpublished
    hops = {len(chain) for chain in _chains()}
    assert hops == {1, 2, 3}
    assert Claim.objects.filter(values__kind="quantity").exists()
    assert Claim.objects.filter(values__kind="date").exists()


def _chains() -> list[list[str]]:
    chains: dict[int, list[str]] = {}
    for hop in Attribution.objects.order_by("claim_id", "position"):
        chains.setdefault(hop.claim_id, []).append(hop.relation)
    return list(chains.values())


def test_its_snapshots_are_what_claim_snapshot_takes_of_the_same_claims(loaded):
    verdicts = list(Verdict.objects.current().select_related("claim").order_by("claim_id"))
    # Cover each shape: a quantity value, a date value, a three-hop chain, a chain ending in unnamed sources.
    for verdict in verdicts:
        assert verdict.claim_snapshot == claim_snapshot(verdict.claim), verdict.claim_id


def test_its_foreign_keys_hold_under_the_triggers_too(db):
    """With every trigger on (audit and FK), the deferred FK checks pass when forced and the audit trail fills."""
    stats = load(_raw(), claims=50, seed=2, audit=True)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT count(*) FROM audit_claimevent")
        assert cursor.fetchone()[0] == stats.rows["claim"]


def test_it_finds_a_dangling_foreign_key_the_replica_load_skipped(loaded):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE claims_attribution SET source_id = -1 WHERE id = (SELECT min(id) FROM claims_attribution)"
        )
    with pytest.raises(psycopg.errors.ForeignKeyViolation, match=r"claims_attribution\.source_id"):
        validate_foreign_keys(_raw().cursor())


def test_the_same_seed_and_size_give_the_same_bytes(db):
    digests = []
    for seed in (1, 1, 2):
        with transaction.atomic():
            load(_raw(), claims=CLAIMS, seed=seed)
            digests.append(dump_digest(_raw()))
            transaction.set_rollback(True)
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


def test_the_api_serves_a_generated_published_claim_to_readers(loaded, anon_client):
    verdict = Verdict.objects.current().order_by("claim_id").first()
    response = anon_client.get(f"/api/v1/claims/{verdict.claim_id}/")
    assert response.status_code == 200
    assert response.json()["statement"] == verdict.claim_snapshot["statement"]
    hidden = Claim.objects.exclude(status=ClaimStatus.PUBLISHED).order_by("id").first()
    assert anon_client.get(f"/api/v1/claims/{hidden.pk}/").status_code == 404


def test_without_the_liar_files_only_tiny_sets_are_built(db, tmp_path: Path):
    stats = load(_raw(), claims=20, seed=1, liar_dir=tmp_path)
    assert stats.rows["claim"] == 20
    with pytest.raises(SystemExit, match="LIAR"):
        load(_raw(), claims=100_000, seed=1, liar_dir=tmp_path)

"""The claims API: who sees what, what the bodies look like, how writes go through the services, paging."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.postgres.fields.ranges import DateRange, NumericRange
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Attribution, Claim, ClaimStatus, ClaimValue, Verdict
from factcheck.preconditions import etag_for
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    ClaimValueFactory,
    EvidenceFactory,
    QuestionFactory,
    SourceFactory,
    VerdictFactory,
    claim_with_parts,
    default_rating,
    published_verdict,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/claims/"


def detail(claim: Claim) -> str:
    return f"/api/v1/claims/{claim.pk}/"


def if_match(claim: Claim) -> dict[str, str]:
    """The If-Match header a client that just read the claim sends with its change."""
    return {"HTTP_IF_MATCH": etag_for(Claim.objects.get(pk=claim.pk))}


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def published_claim() -> Claim:
    return claim_with_parts(published=True)


@pytest.fixture
def unpublished_claim() -> Claim:
    return claim_with_parts(published=False)


# Who sees what ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["anon_client", "outsider_client"])
def test_readers_list_only_published_claims(request, client_name, published_claim, unpublished_claim):
    response = request.getfixturevalue(client_name).get(LIST)

    assert response.status_code == 200
    assert ids(response) == [published_claim.pk]


@pytest.mark.parametrize("client_name", ["editor_client", "fact_checker_client"])
def test_the_desk_lists_every_claim(request, client_name, published_claim, unpublished_claim):
    response = request.getfixturevalue(client_name).get(LIST)

    assert response.status_code == 200
    assert sorted(ids(response)) == sorted([published_claim.pk, unpublished_claim.pk])


@pytest.mark.parametrize("client_name", ["anon_client", "outsider_client"])
def test_readers_get_404_not_403_for_an_unpublished_claim(request, client_name, unpublished_claim):
    response = request.getfixturevalue(client_name).get(detail(unpublished_claim))

    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "detail": "Not found.",
        "errors": [{"field": None, "code": "not_found", "message": "Not found."}],
    }


@pytest.mark.parametrize("client_name", ["anon_client", "outsider_client", "editor_client"])
def test_everyone_reads_a_published_claim(request, client_name, published_claim):
    response = request.getfixturevalue(client_name).get(detail(published_claim))

    assert response.status_code == 200
    assert response.json()["id"] == published_claim.pk


def test_the_desk_reads_an_unpublished_claim(fact_checker_client, unpublished_claim):
    response = fact_checker_client.get(detail(unpublished_claim))

    assert response.status_code == 200
    assert response.json()["status"] == "new"
    assert response.json()["current_verdict"] is None


# Bodies -------------------------------------------------------------------------------------------------------


def test_the_list_shows_a_claim_with_its_claimant_question_first_appearance_and_current_verdict(anon_client):
    claim = claim_with_parts(published=True, tags=["moscow", "hamas"], quote="We invited them all.")
    verdict = claim.verdicts.get()

    row = anon_client.get(LIST).json()["results"][0]

    assert row == {
        "id": claim.pk,
        "url": f"http://testserver/api/v1/claims/{claim.pk}/",
        "statement": claim.statement,
        "quote": "We invited them all.",
        "kind": "quantity",
        "status": "published",
        "claimant": {"id": claim.claimant.pk, "name": claim.claimant.name, "kind": "person"},
        "claim_date": "2024-02-29",
        "language": "en",
        "tags": ["moscow", "hamas"],
        "question": {"id": claim.question.pk, "text": claim.question.text},
        "first_appearance": {
            "id": claim.first_appearance.pk,
            "url": claim.first_appearance.url,
            "title": claim.first_appearance.title,
            "publisher_name": claim.first_appearance.publisher.name,
            "published_on": "2024-02-29",
        },
        "current_verdict": {
            "version": 1,
            "rating": {"slug": "false", "label": "False", "bucket": "false", "scale": "default"},
            "summary": verdict.summary,
            "published_at": verdict.published_at.isoformat().replace("+00:00", "Z"),
        },
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def test_the_list_shows_nulls_for_a_claim_without_claimant_question_or_appearance(editor_client):
    claim = ClaimFactory(claimant=None)

    row = editor_client.get(LIST).json()["results"][0]

    assert row["id"] == claim.pk
    assert row["claimant"] is None
    assert row["question"] is None
    assert row["first_appearance"] is None
    assert row["current_verdict"] is None


def test_the_detail_groups_hops_into_chains_by_appearance_with_their_origin(anon_client):
    claim = claim_with_parts(published=False, hops=3)
    hops = list(claim.attributions.order_by("position"))
    # A second chain, from a page that cites unnamed sources: it has no origin.
    other_page = AppearanceFactory(publisher=None)
    Attribution.objects.create(
        claim=claim, appearance=other_page, position=0, source=SourceFactory(), relation="cites_unnamed"
    )
    published_verdict(claim)

    chains = anon_client.get(detail(claim)).json()["attributions"]

    assert len(chains) == 2
    first, second = sorted(chains, key=lambda chain: chain["appearance"]["id"])
    assert first["appearance"]["id"] == claim.first_appearance_id
    assert [hop["position"] for hop in first["hops"]] == [0, 1, 2]
    assert [hop["relation"] for hop in first["hops"]] == ["cites", "cites", "publishes"]
    assert first["hops"][0]["source"] == {"id": hops[0].source_id, "name": hops[0].source.name, "kind": "outlet"}
    assert first["origin"] == {"id": claim.claimant_id, "name": claim.claimant.name}
    assert second["appearance"]["publisher_name"] is None
    assert second["origin"] is None


def test_the_detail_shows_quantity_and_date_values_as_stored(anon_client, published_claim):
    values = anon_client.get(detail(published_claim)).json()["values"]

    quantity, date = values
    assert quantity == {
        "id": quantity["id"],
        "kind": "quantity",
        "expression": "over ten",
        "low": "10",
        "high": None,
        "low_inclusive": False,
        "high_inclusive": False,
        "qualifier": "more_than",
        "unit": "organisations",
        "precision": "",
        "as_of": None,
        "place": "",
    }
    assert date["kind"] == "date"
    assert (date["low"], date["high"], date["low_inclusive"], date["high_inclusive"]) == (
        "2024-02-29",
        "2024-03-01",
        True,
        False,
    )
    assert date["precision"] == "day"


def test_readers_see_published_verdict_versions_newest_first_and_no_drafts(anon_client, editor_client):
    claim = ClaimFactory()
    first = published_verdict(claim)
    now = dt.datetime.now(dt.UTC)
    Verdict.objects.filter(pk=first.pk).update(superseded_at=now)
    second = published_verdict(
        claim, version=2, correction_kind="update", correction_note="New figures.", published_at=now
    )
    draft = VerdictFactory(claim=claim, version=3, correction_kind="update")

    public = anon_client.get(detail(claim)).json()
    desk = editor_client.get(detail(claim)).json()

    assert [v["id"] for v in public["verdicts"]] == [second.pk, first.pk]
    assert [v["id"] for v in desk["verdicts"]] == [draft.pk, second.pk, first.pk]
    assert public["current_verdict"]["version"] == 2
    assert public["verdicts"][0]["correction_note"] == "New figures."
    assert public["verdicts"][1]["superseded_at"] is not None


def test_the_detail_shows_evidence(anon_client, published_claim):
    evidence = published_claim.evidence.get()

    body = anon_client.get(detail(published_claim)).json()

    assert body["evidence"] == [
        {
            "id": evidence.pk,
            "url": evidence.url,
            "appearance": None,
            "title": "",
            "stance": "refutes",
            "note": "The official record.",
            "archive_url": "",
            "created_at": evidence.created_at.isoformat().replace("+00:00", "Z"),
        }
    ]


# Writes: who may --------------------------------------------------------------------------------------------


def test_anonymous_writes_get_401_with_a_challenge(anon_client):
    response = anon_client.post(LIST, {"statement": "Anything."}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    assert response.json()["code"] == "not_authenticated"
    assert not Claim.objects.exists()


def test_outsiders_may_not_create_claims(outsider_client):
    response = outsider_client.post(LIST, {"statement": "Anything."}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Claim.objects.exists()


@pytest.mark.parametrize("which", ["published_claim", "unpublished_claim"])
def test_anonymous_patches_get_401_whether_or_not_the_claim_is_public(request, anon_client, which):
    claim = request.getfixturevalue(which)

    response = anon_client.patch(detail(claim), {"statement": "Changed."}, format="json")

    assert response.status_code == 401
    claim.refresh_from_db()
    assert claim.statement != "Changed."


@pytest.mark.parametrize("which", ["published_claim", "unpublished_claim"])
def test_outsiders_get_403_on_patch_whether_or_not_the_claim_is_public(request, outsider_client, which):
    claim = request.getfixturevalue(which)

    response = outsider_client.patch(detail(claim), {"statement": "Changed."}, format="json")

    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.statement != "Changed."


@pytest.mark.parametrize("which", ["published_claim", "unpublished_claim"])
def test_the_desk_patches_any_claim(request, editor_client, which):
    claim = request.getfixturevalue(which)

    response = editor_client.patch(detail(claim), {"statement": "Changed."}, format="json", **if_match(claim))

    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.statement == "Changed."


def test_put_and_delete_are_not_offered(editor_client, published_claim):
    assert editor_client.put(detail(published_claim), {"statement": "x"}, format="json").status_code == 405
    assert editor_client.delete(detail(published_claim)).status_code == 405
    assert Claim.objects.filter(pk=published_claim.pk).exists()


# Writes: create -----------------------------------------------------------------------------------------------


def test_the_desk_creates_a_claim_and_gets_its_detail(editor_client, editor):
    claimant = SourceFactory(kind="person")
    question = QuestionFactory()

    response = editor_client.post(
        LIST,
        {
            "statement": "  Nearly a thousand delegates came.  ",
            "kind": "quantity",
            "claimant": claimant.pk,
            "claim_date": "2024-02-29",
            "language": "pt-BR",
            "tags": ["Moscow", "moscow", " talks "],
            "question": question.pk,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    claim = Claim.objects.get()
    body = response.json()
    assert response["Location"] == body["url"] == f"http://testserver/api/v1/claims/{claim.pk}/"
    assert body["statement"] == claim.statement == "Nearly a thousand delegates came."
    assert claim.tags == ["moscow", "talks"]
    assert claim.language == "pt-BR"
    assert claim.created_by == editor
    assert claim.status == ClaimStatus.NEW
    assert body["attributions"] == body["values"] == body["evidence"] == body["verdicts"] == []


def test_read_only_fields_cannot_be_set_by_the_client(editor_client, outsider):
    response = editor_client.post(
        LIST,
        {
            "statement": "A claim.",
            "status": "published",
            "created_by": outsider.pk,
            "created_at": "2001-01-01T00:00:00Z",
            "updated_at": "2001-01-01T00:00:00Z",
            "verdicts": [{"version": 1, "summary": "True."}],
            "id": 999999,
        },
        format="json",
    )

    assert response.status_code == 201
    claim = Claim.objects.get()
    assert claim.pk != 999999
    assert claim.status == ClaimStatus.NEW
    assert claim.created_by != outsider
    assert claim.created_at.year > 2001
    assert not Verdict.objects.exists()


def test_read_only_fields_cannot_be_changed_by_patch(editor_client, unpublished_claim, outsider):
    response = editor_client.patch(
        detail(unpublished_claim),
        {"status": "published", "created_by": outsider.pk, "created_at": "2001-01-01T00:00:00Z"},
        format="json",
        **if_match(unpublished_claim),
    )

    assert response.status_code == 200
    unpublished_claim.refresh_from_db()
    assert unpublished_claim.status == ClaimStatus.NEW
    assert unpublished_claim.created_by != outsider
    assert unpublished_claim.created_at.year > 2001


def test_a_claim_is_created_with_its_chains_values_and_evidence_in_one_request(editor_client):
    site, agency, group = SourceFactory(), SourceFactory(kind="news_agency"), SourceFactory(kind="political_group")
    page = AppearanceFactory(publisher=site)

    response = editor_client.post(
        LIST,
        {
            "statement": "Nearly a thousand people attended.",
            "claimant": None,
            "attributions": [
                {
                    "appearance": page.pk,
                    "hops": [
                        {"source": site.pk, "relation": "cites", "quote_excerpt": "TASS reports"},
                        {"source": agency.pk, "relation": "cites", "quote_excerpt": "citing Hamas"},
                        {"source": group.pk, "relation": "publishes"},
                    ],
                },
                {"appearance": None, "hops": [{"source": agency.pk, "relation": "cites_unnamed"}]},
            ],
            "values": [
                {
                    "kind": "quantity",
                    "expression": "nearly a thousand",
                    "low": "900",
                    "high": "1000",
                    "low_inclusive": True,
                    "high_inclusive": False,
                    "qualifier": "nearly",
                    "unit": "people",
                    "as_of": None,
                    "place": "",
                },
                {
                    "kind": "date",
                    "expression": "on 29 February",
                    "low": "2024-02-29",
                    "high": "2024-02-29",
                    "high_inclusive": True,
                    "precision": "day",
                },
            ],
            "evidence": [{"url": "https://records.example.org/1", "stance": "refutes", "note": "Register."}],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    claim = Claim.objects.get()
    # The chain names the original speaker and the page, which the claim had neither of.
    assert claim.claimant == group
    assert claim.first_appearance == page
    assert list(claim.attributions.filter(appearance=page).values_list("source", "relation", "position")) == [
        (site.pk, "cites", 0),
        (agency.pk, "cites", 1),
        (group.pk, "publishes", 2),
    ]
    assert claim.attributions.filter(appearance__isnull=True).count() == 1
    quantity = claim.values.get(kind="quantity")
    assert quantity.quantity == NumericRange(Decimal(900), Decimal(1000), "[)")
    assert quantity.qualifier == "nearly"
    date = claim.values.get(kind="date")
    assert date.dates == DateRange(dt.date(2024, 2, 29), dt.date(2024, 3, 1), "[)")
    assert claim.evidence.get().note == "Register."
    body = response.json()
    assert len(body["attributions"]) == 2
    # The inclusive one-day interval reads back the way PostgreSQL stores it.
    date_body = next(value for value in body["values"] if value["kind"] == "date")
    assert (date_body["low"], date_body["high"], date_body["high_inclusive"]) == ("2024-02-29", "2024-03-01", False)


def test_a_failing_part_leaves_nothing_behind(editor_client, monkeypatch):
    from django.core.exceptions import ValidationError

    import claims.services.editing

    def refuse(**kwargs):
        raise ValidationError({"note": "Refused."})

    monkeypatch.setattr(claims.services.editing, "evidence_add", refuse)

    response = editor_client.post(
        LIST,
        {
            "statement": "A claim.",
            "values": [{"kind": "quantity", "expression": "ten", "low": "10", "high": "10", "high_inclusive": True}],
            "evidence": [{"url": "https://records.example.org/1", "stance": "refutes"}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "evidence.0.note", "code": "invalid", "message": "Refused."}]
    assert not Claim.objects.exists()
    assert not ClaimValue.objects.exists()


def test_it_rejects_a_claim_without_a_statement(editor_client):
    response = editor_client.post(LIST, {"kind": "quantity"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "statement", "code": "required", "message": "This field is required."}
    ]


def test_it_rejects_a_blank_statement_on_patch(editor_client, unpublished_claim):
    response = editor_client.patch(
        detail(unpublished_claim), {"statement": "   "}, format="json", **if_match(unpublished_claim)
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "statement"


def test_it_rejects_a_language_that_is_not_bcp47(editor_client):
    response = editor_client.post(LIST, {"statement": "A claim.", "language": "English"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "language"


def test_it_rejects_a_chain_whose_shape_is_broken_naming_the_hop(editor_client):
    source = SourceFactory()

    response = editor_client.post(
        LIST,
        {
            "statement": "A claim.",
            "attributions": [
                {"hops": [{"source": source.pk, "relation": "publishes"}, {"source": source.pk, "relation": "cites"}]}
            ],
        },
        format="json",
    )

    assert response.status_code == 400
    fields = [error["field"] for error in response.json()["errors"]]
    assert fields == ["attributions.0.hops.0.relation", "attributions.0.hops.1.relation"]
    assert not Claim.objects.exists()


def test_it_rejects_a_hop_from_an_unknown_source(editor_client):
    response = editor_client.post(
        LIST,
        {"statement": "A claim.", "attributions": [{"hops": [{"source": 999999, "relation": "publishes"}]}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "attributions.0.hops.0.source",
            "code": "does_not_exist",
            "message": 'Invalid pk "999999" - object does not exist.',
        }
    ]


def test_it_rejects_two_chains_for_one_appearance(editor_client):
    source, page = SourceFactory(), AppearanceFactory()
    chain = {"appearance": page.pk, "hops": [{"source": source.pk, "relation": "publishes"}]}

    response = editor_client.post(LIST, {"statement": "A claim.", "attributions": [chain, chain]}, format="json")

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["attributions.1.appearance"]


def test_it_rejects_a_chain_without_hops(editor_client):
    response = editor_client.post(LIST, {"statement": "A claim.", "attributions": [{"hops": []}]}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "attributions.0.hops"


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"kind": "quantity", "expression": "x", "low": "1000", "high": "900"}, "values.0.high"),
        ({"kind": "quantity", "expression": "x", "low": "5", "high": "5"}, "values.0.high"),
        ({"kind": "quantity", "expression": "x"}, "values.0.low"),
        ({"kind": "quantity", "expression": "x", "low": "lots"}, "values.0.low"),
        ({"kind": "quantity", "expression": "x", "low": "NaN"}, "values.0.low"),
        ({"kind": "quantity", "expression": "x", "low": "1e30"}, "values.0.low"),
        ({"kind": "quantity", "expression": "x", "low": "0.0000001"}, "values.0.low"),
        ({"kind": "quantity", "expression": "x", "low": True}, "values.0.low"),
        ({"kind": "quantity", "expression": "x", "low": "1", "precision": "day"}, "values.0.precision"),
        ({"kind": "date", "expression": "x", "low": "2024-02-01", "precision": "month"}, "values.0.high"),
        (
            {"kind": "date", "expression": "x", "low": "2024-02-30", "high": "2024-03-01", "precision": "day"},
            "values.0.low",
        ),
        ({"kind": "date", "expression": "x", "low": "2024-02-01", "high": "2024-03-01"}, "values.0.precision"),
        ({"kind": "weight", "expression": "x", "low": "1"}, "values.0.kind"),
        ({"kind": "quantity", "low": "1"}, "values.0.expression"),
        ({"kind": "quantity", "expression": "x", "low": "1", "qualifier": "roughly"}, "values.0.qualifier"),
    ],
)
def test_it_rejects_a_malformed_value_naming_the_field(editor_client, value, field):
    response = editor_client.post(LIST, {"statement": "A claim.", "values": [value]}, format="json")

    assert response.status_code == 400, response.json()
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Claim.objects.exists()


def test_it_accepts_an_unbounded_quantity_and_numbers_as_json_numbers(editor_client):
    response = editor_client.post(
        LIST,
        {
            "statement": "Over a thousand, fewer than 2.5 million.",
            "values": [
                {"kind": "quantity", "expression": "over a thousand", "low": 1000, "low_inclusive": False},
                {"kind": "quantity", "expression": "fewer than 2.5 million", "high": "2500000.5"},
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    over, under = response.json()["values"]
    assert (over["low"], over["high"], over["low_inclusive"]) == ("1000", None, False)
    assert (under["low"], under["high"], under["high_inclusive"]) == (None, "2500000.5", False)


def test_it_rejects_evidence_without_a_url_or_appearance(editor_client):
    response = editor_client.post(LIST, {"statement": "A claim.", "evidence": [{"stance": "refutes"}]}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "evidence.0", "code": "invalid", "message": "Evidence needs a URL or an appearance."}
    ]


def test_nested_items_are_checked_whole_in_a_patch(editor_client, unpublished_claim):
    response = editor_client.patch(
        detail(unpublished_claim),
        {"values": [{"expression": "ten", "low": "10"}]},
        format="json",
        **if_match(unpublished_claim),
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "values.0.kind", "code": "required", "message": "This field is required."}
    ]


# Writes: patch ----------------------------------------------------------------------------------------------


def test_a_patch_changes_only_the_fields_sent(editor_client, unpublished_claim):
    before = Claim.objects.get(pk=unpublished_claim.pk)

    response = editor_client.patch(
        detail(unpublished_claim), {"quote": "The words."}, format="json", **if_match(unpublished_claim)
    )

    assert response.status_code == 200
    after = Claim.objects.get(pk=unpublished_claim.pk)
    assert after.quote == "The words."
    assert (after.statement, after.claimant_id, after.question_id, after.tags) == (
        before.statement,
        before.claimant_id,
        before.question_id,
        before.tags,
    )
    assert after.values.count() == 2
    assert after.attributions.count() == 2
    assert after.updated_at > before.updated_at


def test_a_patch_with_values_replaces_them(editor_client, unpublished_claim):
    response = editor_client.patch(
        detail(unpublished_claim),
        {"values": [{"kind": "quantity", "expression": "dozens", "low": "24", "high": "100", "qualifier": "vague"}]},
        format="json",
        **if_match(unpublished_claim),
    )

    assert response.status_code == 200
    assert list(unpublished_claim.values.values_list("expression", flat=True)) == ["dozens"]
    assert [value["expression"] for value in response.json()["values"]] == ["dozens"]


def test_a_patch_with_an_empty_list_removes_all_values(editor_client, unpublished_claim):
    response = editor_client.patch(
        detail(unpublished_claim), {"values": []}, format="json", **if_match(unpublished_claim)
    )

    assert response.status_code == 200
    assert not unpublished_claim.values.exists()


def test_a_patch_with_attributions_replaces_every_chain(editor_client, unpublished_claim):
    new_page, speaker = AppearanceFactory(), SourceFactory()

    response = editor_client.patch(
        detail(unpublished_claim),
        {"attributions": [{"appearance": new_page.pk, "hops": [{"source": speaker.pk, "relation": "publishes"}]}]},
        format="json",
        **if_match(unpublished_claim),
    )

    assert response.status_code == 200
    assert list(unpublished_claim.attributions.values_list("appearance", "source")) == [(new_page.pk, speaker.pk)]
    assert [chain["appearance"]["id"] for chain in response.json()["attributions"]] == [new_page.pk]


def test_a_patch_with_evidence_adds_to_it(editor_client, unpublished_claim):
    response = editor_client.patch(
        detail(unpublished_claim),
        {"evidence": [{"url": "https://records.example.org/new", "stance": "context"}]},
        format="json",
        **if_match(unpublished_claim),
    )

    assert response.status_code == 200
    assert unpublished_claim.evidence.count() == 2


def test_the_desk_gets_404_patching_a_claim_that_does_not_exist(editor_client):
    response = editor_client.patch("/api/v1/claims/999999/", {"quote": "x"}, format="json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# Query counts -----------------------------------------------------------------------------------------------


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("client_name", ["anon_client", "editor_client"])
def test_the_list_takes_one_query_for_readers_however_many_claims(request, client_name, django_assert_num_queries):
    # Readers (claims.api.readers), one query: the page of claims joined to the version shown, its rating and scale,
    # with the list's keys of the claim as approved (never its parts).
    # The desk: 0. the user's desk roles; 1. the page of claims joined to claimant, question, first appearance and its
    # publisher; 2. the current verdicts of those claims, joined to rating and scale.
    client = request.getfixturevalue(client_name)
    expected = 1 if client_name == "anon_client" else 3
    for _ in range(3):
        claim_with_parts(published=True)
    with django_assert_num_queries(expected):
        assert len(client.get(LIST).json()["results"]) == 3
    for _ in range(27):
        claim_with_parts(published=True)
    with django_assert_num_queries(expected):
        assert len(client.get(LIST).json()["results"]) == 30


@pytest.mark.parametrize(
    ("client_name", "expected"), [("anon_client", 1), ("outsider_client", 2), ("editor_client", 7)]
)
def test_the_detail_takes_a_fixed_number_of_queries_however_many_hops_values_and_verdicts(
    request, client_name, expected, django_assert_num_queries
):
    # Readers (claims.api.readers): 0. the user's desk roles (signed-in users only); 1. every published version, joined
    # to rating, scale, publisher and the claim, the one shown with the claim as approved, parts and all.
    # The desk:
    # 0. the user's desk roles
    # 1. the claim, joined to claimant, question, first appearance and its publisher
    # 2. its current verdict with rating and scale (readers: with the claim as approved, parts and all)
    # 3. the desk only: its hops, joined to source, appearance and publisher
    # 4. the desk only: its values
    # 5. the desk only: its evidence, joined to appearance and publisher
    # 6. its visible verdicts, joined to rating, scale, author and approver
    client = request.getfixturevalue(client_name)
    small = claim_with_parts(published=True, hops=1)
    big = claim_with_parts(published=False, hops=6)
    for _ in range(5):
        ClaimValueFactory(claim=big)
        EvidenceFactory(claim=big, appearance=AppearanceFactory())
    now = dt.datetime.now(dt.UTC)
    published_verdict(big, approved_at=now - dt.timedelta(days=2), published_at=now - dt.timedelta(days=1))
    Verdict.objects.filter(claim=big).update(superseded_at=now)
    published_verdict(big, version=2, correction_kind="update", published_at=now)

    with django_assert_num_queries(expected):
        client.get(detail(small))
    with django_assert_num_queries(expected):
        body = client.get(detail(big)).json()
    assert len(body["attributions"][0]["hops"]) == 6
    assert len(body["values"]) == 7
    assert len(body["evidence"]) == 8  # the claim's, five more, and one added with each published version
    assert len(body["verdicts"]) == 2


# Paging -----------------------------------------------------------------------------------------------------


def _walk(client, url: str) -> list[int]:
    seen: list[int] = []
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    return seen


def test_cursor_pages_cover_every_claim_once_newest_first(editor_client):
    claims = [ClaimFactory() for _ in range(7)]

    seen = _walk(editor_client, LIST + "?page_size=3")

    assert seen == [claim.pk for claim in reversed(claims)]


def test_cursor_pages_stay_correct_on_a_client_ordering_with_ties_and_nulls(editor_client):
    # Many claims share a date, some have none: DRF's own cursor would lose rows here.
    dated = [ClaimFactory(claim_date=dt.date(2024, 1, 1 + i % 2)) for i in range(9)]
    undated = [ClaimFactory(claim_date=None) for _ in range(3)]

    ascending = _walk(editor_client, LIST + "?ordering=claim_date&page_size=2")
    descending = _walk(editor_client, LIST + "?ordering=-claim_date&page_size=4")

    expected = sorted(dated, key=lambda c: (c.claim_date, c.pk)) + sorted(undated, key=lambda c: c.pk)
    assert ascending == [claim.pk for claim in expected]
    expected = sorted(dated, key=lambda c: (c.claim_date, c.pk), reverse=True) + sorted(
        undated, key=lambda c: c.pk, reverse=True
    )
    assert descending == [claim.pk for claim in expected]


@pytest.mark.parametrize("ordering", ["claim_date", "-claim_date", "-created_at"])
def test_previous_links_walk_back_through_the_same_rows(editor_client, ordering):
    for i in range(8):
        ClaimFactory(claim_date=None if i % 3 == 0 else dt.date(2024, 1, 1 + i % 2))
    pages, url = [], LIST + f"?ordering={ordering}&page_size=3"
    while url:
        body = editor_client.get(url).json()
        pages.append([row["id"] for row in body["results"]])
        url = body["next"]

    back, url = [], body["previous"]
    while url:
        body = editor_client.get(url).json()
        back.insert(0, [row["id"] for row in body["results"]])
        url = body["previous"]

    assert back == pages[:-1]


def test_the_previous_link_leads_back_to_the_same_page(editor_client):
    for day in range(1, 8):
        ClaimFactory(claim_date=dt.date(2024, 1, day % 3 + 1))

    first = editor_client.get(LIST + "?ordering=claim_date&page_size=3").json()
    second = editor_client.get(first["next"]).json()
    back = editor_client.get(second["previous"]).json()

    assert first["previous"] is None
    assert [row["id"] for row in back["results"]] == [row["id"] for row in first["results"]]


def test_search_results_page_by_rank_without_losing_ties(anon_client):
    strong = [claim_with_parts(statement="Moscow talks in Moscow about Moscow.") for _ in range(3)]
    weak = [claim_with_parts(statement="Talks were held in Moscow.") for _ in range(4)]
    claim_with_parts(statement="Nothing to do with it.")

    seen = _walk(anon_client, LIST + "?q=moscow&page_size=2")

    assert seen == [c.pk for c in sorted(strong, key=lambda c: -c.pk)] + [
        c.pk for c in sorted(weak, key=lambda c: -c.pk)
    ]


def test_search_with_an_explicit_ordering_uses_that_ordering(anon_client):
    older = claim_with_parts(statement="Moscow talks in Moscow about Moscow.")
    newer = claim_with_parts(statement="Talks were held in Moscow.")

    response = anon_client.get(LIST + "?q=moscow&ordering=-created_at")

    assert ids(response) == [newer.pk, older.pk]


def test_a_cursor_made_for_another_ordering_is_refused(editor_client):
    for _ in range(3):
        ClaimFactory()
    next_link = editor_client.get(LIST + "?page_size=1").json()["next"]

    response = editor_client.get(next_link + "&ordering=claim_date")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "cursor"


def test_the_rating_of_a_current_verdict_shows_its_scale(anon_client):
    claim = ClaimFactory()
    published_verdict(claim, rating=default_rating("mostly-true"))

    row = anon_client.get(LIST).json()["results"][0]

    assert row["current_verdict"]["rating"] == {
        "slug": "mostly-true",
        "label": "Mostly true",
        "bucket": "mostly_true",
        "scale": "default",
    }

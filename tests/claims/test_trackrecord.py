"""A source's track record: the ratings of the claims it originated and relayed, as readers are shown them.

Claims are taken to publication through the services, as the desk would, so the snapshots counted are the real ones.
"""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

import pytest
from django.contrib import admin

from claims.admin.sources import SourceWithTrackRecordAdmin
from claims.models import Claim, CorrectionKind, Verdict
from claims.services import (
    Hop,
    attribution_chain_set,
    claim_assign,
    claim_create,
    claim_reopen,
    claim_triage,
    claim_update,
    evidence_add,
    verdict_approve,
    verdict_draft,
    verdict_publish,
    verdict_submit,
)
from claims.trackrecord import track_record
from sources.models import Source, SourceKind
from sources.services import appearance_create, source_create
from tests.factories import EditorFactory, StaffFactory, default_rating

pytestmark = pytest.mark.django_db

ZERO = {"true": 0, "mostly_true": 0, "mixed": 0, "mostly_false": 0, "false": 0, "unverifiable": 0, "other": 0}
_pages = count()


def buckets(**counts: int) -> dict[str, int]:
    return {**ZERO, **counts}


class Desk:
    """A fact-checker who researches and drafts, and a chief editor who triages, approves and publishes."""

    def __init__(self) -> None:
        self.checker = StaffFactory(username="tr-fact-checker")
        self.chief = EditorFactory(username="tr-chief-editor")

    def source(self, name: str, kind: str = SourceKind.OUTLET, **fields: Any) -> Source:
        return source_create(actor=self.chief, name=name, kind=kind, **fields)

    def claim(
        self,
        statement: str,
        *chains: list[tuple[Source, str]],
        claimant: Source | None = None,
        claim_date: dt.date | None = dt.date(2024, 2, 29),
    ) -> Claim:
        claim = claim_create(
            actor=self.checker, statement=statement, kind="quantity", claimant=claimant, claim_date=claim_date
        )
        for chain in chains:
            page = next(_pages)
            appearance = appearance_create(
                actor=self.checker, url=f"https://news.example.org/track/{page}", title=f"Page {page}"
            )
            hops = [Hop(source=source, relation=relation) for source, relation in chain]
            attribution_chain_set(claim=claim, appearance=appearance, hops=hops, actor=self.checker)
        return claim

    def approve(self, claim: Claim, rating: str = "false") -> Verdict:
        claim_triage(claim=claim, actor=self.chief)
        claim_assign(claim=claim, actor=self.chief, assignee=self.checker)
        evidence_add(
            claim=claim, actor=self.checker, url="https://records.example.org/register", stance="refutes", note="."
        )
        verdict = verdict_draft(
            claim=claim, author=self.checker, rating=default_rating(rating), explanation="The register says so."
        )
        verdict_submit(verdict=verdict, actor=self.checker)
        return verdict_approve(verdict=verdict, approver=self.chief)

    def publish(self, claim: Claim, rating: str = "false") -> Claim:
        verdict_publish(verdict=self.approve(claim, rating), actor=self.chief)
        return claim

    def correct(self, claim: Claim, *, rating: str | None, kind: str = CorrectionKind.RATING_CHANGED) -> Verdict:
        """Publish a correction: the chief reopens (and so writes the new version); a second editor approves it."""
        fields = {} if rating is None else {"rating": default_rating(rating)}
        draft = claim_reopen(
            claim=claim, actor=self.chief, correction_kind=kind, correction_note="A newer count.", **fields
        )
        second = EditorFactory(username=f"tr-second-editor-{draft.pk}")
        verdict_approve(verdict=draft, approver=second)
        return verdict_publish(verdict=draft, actor=second)


@pytest.fixture
def desk() -> Desk:
    return Desk()


@pytest.fixture
def chain(desk):
    """A news site, TASS citing Hamas: the hops site -> TASS -> Hamas."""
    site = desk.source("Regional News Site")
    tass = desk.source("TASS", SourceKind.NEWS_AGENCY)
    hamas = desk.source("Hamas", SourceKind.POLITICAL_GROUP)
    return site, tass, hamas


def roles(source: Source, **kwargs: Any) -> dict[str, tuple[int, dict[str, int]]]:
    record = track_record(source, **kwargs)
    return {
        "originated": (record.originated.total, record.originated.buckets),
        "relayed": (record.relayed.total, record.relayed.buckets),
    }


# Roles ------------------------------------------------------------------------------------------------------------


def test_it_counts_the_chains_origin_as_originator_and_the_hops_before_it_as_relays(desk, chain):
    site, tass, hamas = chain
    desk.publish(
        desk.claim("Over a thousand were killed.", [(site, "cites"), (tass, "cites"), (hamas, "publishes")]), "false"
    )

    assert roles(hamas) == {"originated": (1, buckets(false=1)), "relayed": (0, ZERO)}
    assert roles(tass) == {"originated": (0, ZERO), "relayed": (1, buckets(false=1))}
    assert roles(site) == {"originated": (0, ZERO), "relayed": (1, buckets(false=1))}


def test_a_page_that_publishes_first_hand_originates_and_one_that_cites_unnamed_sources_relays(desk, chain):
    site, tass, hamas = chain
    desk.publish(desk.claim("The site's own count is 900.", [(site, "publishes")]), "mostly-true")
    desk.publish(desk.claim("Sources say 1,200.", [(tass, "cites_unnamed")], claimant=None), "unverifiable")

    assert roles(site) == {"originated": (1, buckets(mostly_true=1)), "relayed": (0, ZERO)}
    assert roles(tass) == {"originated": (0, ZERO), "relayed": (1, buckets(unverifiable=1))}
    assert roles(hamas) == {"originated": (0, ZERO), "relayed": (0, ZERO)}


def test_a_claimant_without_a_chain_originates(desk, chain):
    _, _, hamas = chain
    desk.publish(desk.claim("A thousand fighters took part.", claimant=hamas), "mixed")

    assert roles(hamas)["originated"] == (1, buckets(mixed=1))


def test_a_source_that_originates_a_claim_and_relays_it_elsewhere_counts_once_as_originator(desk, chain):
    site, tass, hamas = chain
    desk.publish(
        desk.claim(
            "Over a thousand were killed.",
            [(site, "cites"), (hamas, "publishes")],
            [(hamas, "quotes"), (tass, "publishes")],
        ),
        "false",
    )

    assert roles(hamas) == {"originated": (1, buckets(false=1)), "relayed": (0, ZERO)}
    assert roles(tass) == {"originated": (1, buckets(false=1)), "relayed": (0, ZERO)}


def test_ten_relays_of_one_claim_count_the_claim_once(desk, chain):
    site, tass, hamas = chain
    desk.publish(
        desk.claim(
            "Over a thousand were killed.",
            *[[(site, "cites"), (tass, "cites"), (hamas, "publishes")] for _ in range(3)],
        ),
        "false",
    )

    assert roles(tass)["relayed"] == (1, buckets(false=1))
    assert roles(hamas)["originated"] == (1, buckets(false=1))


# What counts: the current published version, with the claim as approved -------------------------------------------


def test_a_corrected_verdict_counts_with_its_current_version_only(desk, chain):
    _, tass, hamas = chain
    claim = desk.publish(desk.claim("Over a thousand were killed.", [(tass, "cites"), (hamas, "publishes")]), "false")
    desk.correct(claim, rating="true")

    assert roles(hamas)["originated"] == (1, buckets(true=1))
    assert roles(tass)["relayed"] == (1, buckets(true=1))


def test_a_correction_in_progress_leaves_the_current_version_counted(desk, chain):
    _, tass, hamas = chain
    claim = desk.publish(desk.claim("Over a thousand were killed.", [(tass, "cites"), (hamas, "publishes")]), "false")
    claim_reopen(
        claim=claim,
        actor=desk.chief,
        correction_kind=CorrectionKind.RATING_CHANGED,
        correction_note="Newer figures.",
        rating=default_rating("true"),
    )

    assert roles(hamas)["originated"] == (1, buckets(false=1))


def test_a_voided_verdict_counts_in_no_bucket(desk, chain):
    _, _, hamas = chain
    claim = desk.publish(desk.claim("A thousand fighters took part.", claimant=hamas), "false")
    desk.correct(claim, rating=None, kind=CorrectionKind.VOID)

    assert roles(hamas)["originated"] == (0, ZERO)


def test_claims_not_published_do_not_count(desk, chain):
    site, tass, hamas = chain
    hops = [(site, "cites"), (tass, "cites"), (hamas, "publishes")]
    desk.claim("New, not triaged.", hops)
    desk.approve(desk.claim("Approved, not yet published.", hops))
    desk.publish(desk.claim("Published.", hops), "mostly-false")

    assert roles(hamas) == {"originated": (1, buckets(mostly_false=1)), "relayed": (0, ZERO)}
    assert roles(tass) == {"originated": (0, ZERO), "relayed": (1, buckets(mostly_false=1))}


def test_a_claimant_changed_after_publication_counts_for_the_approved_claimant_only(desk, chain):
    site, tass, hamas = chain
    claim = desk.publish(desk.claim("A thousand fighters took part.", claimant=hamas), "false")
    claim_update(claim=claim, actor=desk.checker, claimant=tass)
    attribution_chain_set(claim=claim, appearance=None, hops=[Hop(site, "cites"), Hop(tass, "publishes")])

    assert roles(hamas)["originated"] == (1, buckets(false=1))
    assert roles(tass) == {"originated": (0, ZERO), "relayed": (0, ZERO)}
    assert roles(site) == {"originated": (0, ZERO), "relayed": (0, ZERO)}


def test_a_claimant_changed_between_approval_and_publication_counts_as_approved(desk, chain):
    _, tass, hamas = chain
    claim = desk.claim("A thousand fighters took part.", claimant=hamas)
    verdict = desk.approve(claim)
    claim_update(claim=claim, actor=desk.checker, claimant=tass)
    verdict_publish(verdict=verdict, actor=desk.chief)

    assert roles(hamas)["originated"] == (1, buckets(false=1))
    assert roles(tass)["originated"] == (0, ZERO)


def test_a_corrected_version_counts_the_claimant_approved_with_it(desk, chain):
    _, tass, hamas = chain
    claim = desk.publish(desk.claim("A thousand fighters took part.", claimant=hamas), "false")
    claim_update(claim=claim, actor=desk.checker, claimant=tass)
    desk.correct(claim, rating="false", kind=CorrectionKind.NOT_AFFECTING_RATING)

    assert roles(hamas)["originated"] == (0, ZERO)
    assert roles(tass)["originated"] == (1, buckets(false=1))


# Per rating, over time, with the children ---------------------------------------------------------------------------


def test_it_counts_per_rating_truest_first(desk, chain):
    _, _, hamas = chain
    for rating in ("false", "true", "false"):
        desk.publish(desk.claim(f"A claim rated {rating}.", claimant=hamas), rating)

    record = track_record(hamas)

    assert [(r.scale, r.rating, r.bucket, r.count) for r in record.originated.ratings] == [
        ("default", "true", "true", 1),
        ("default", "false", "false", 2),
    ]
    assert record.originated.ratings[0].label == default_rating("true").label


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("month", [("2023-12", 1), ("2024-02", 2), ("2024-05", 1), (None, 1)]),
        ("quarter", [("2023-Q4", 1), ("2024-Q1", 2), ("2024-Q2", 1), (None, 1)]),
        ("year", [("2023", 1), ("2024", 3), (None, 1)]),
    ],
)
def test_it_counts_by_period_of_the_claim_date_as_approved(desk, chain, period, expected):
    _, _, hamas = chain
    for day in (dt.date(2024, 2, 10), dt.date(2024, 2, 20), dt.date(2024, 5, 1), dt.date(2023, 12, 31), None):
        desk.publish(desk.claim(f"A claim made on {day}.", claimant=hamas, claim_date=day), "false")

    record = track_record(hamas, period=period)

    assert [(row.label, row.originated.total) for row in record.periods] == expected
    assert all(row.relayed.total == 0 for row in record.periods)
    assert sum(row.originated.buckets["false"] for row in record.periods) == 5


def test_include_children_counts_a_bodys_parts_with_it_and_each_claim_once(desk):
    government = desk.source("Government of Examplestan", SourceKind.GOVERNMENT)
    ministry = desk.source("Ministry of Health", SourceKind.MINISTRY, parent=government)
    department = desk.source("Department of Statistics", SourceKind.GOVERNMENT, parent=ministry)
    outlet = desk.source("Examplestan Times")
    desk.publish(desk.claim("The ministry counts 900.", [(outlet, "cites"), (ministry, "publishes")]), "false")
    desk.publish(desk.claim("The department counts 50.", claimant=department), "true")
    desk.publish(
        desk.claim("The government, citing the ministry, says 900.", [(government, "cites"), (ministry, "publishes")]),
        "false",
    )

    assert roles(government) == {"originated": (0, ZERO), "relayed": (1, buckets(false=1))}
    with_children = track_record(government, include_children=True)
    assert sorted(with_children.source_ids) == sorted([government.pk, ministry.pk, department.pk])
    assert (with_children.originated.total, with_children.originated.buckets) == (3, buckets(false=2, true=1))
    assert with_children.relayed.total == 0


# The API ----------------------------------------------------------------------------------------------------------


def url(source: Source | int, query: str = "") -> str:
    pk = source.pk if isinstance(source, Source) else source
    return f"/api/v1/sources/{pk}/track-record/{query}"


def test_the_api_answers_with_counts_ratings_periods_and_the_latest_claims(desk, chain, anon_client):
    _, tass, hamas = chain
    first = desk.publish(
        desk.claim("Over a thousand were killed.", [(tass, "cites"), (hamas, "publishes")]), "mostly-false"
    )
    second = desk.publish(desk.claim("Fighters numbered 3,000.", claimant=hamas, claim_date=None), "false")
    claim_update(claim=second, actor=desk.checker, statement="Fighters numbered 4,000.")

    body = anon_client.get(url(hamas, "?period=quarter")).json()

    false, mostly_false = default_rating("false"), default_rating("mostly-false")
    verdicts = {v.claim_id: v for v in Verdict.objects.current()}
    assert body == {
        "source": {"id": hamas.pk, "name": "Hamas", "kind": "political_group"},
        "source_ids": [hamas.pk],
        "period": "quarter",
        "include_children": False,
        "originated": {
            "total": 2,
            "buckets": buckets(false=1, mostly_false=1),
            "ratings": [
                {
                    "scale": "default",
                    "rating": "mostly-false",
                    "label": mostly_false.label,
                    "bucket": "mostly_false",
                    "count": 1,
                },
                {"scale": "default", "rating": "false", "label": false.label, "bucket": "false", "count": 1},
            ],
            "recent": [
                {
                    "id": second.pk,
                    "url": f"http://testserver/api/v1/claims/{second.pk}/",
                    "statement": "Fighters numbered 3,000.",
                    "claim_date": None,
                    "published_at": verdicts[second.pk].published_at.isoformat().replace("+00:00", "Z"),
                    "rating": {"scale": "default", "rating": "false", "label": false.label, "bucket": "false"},
                },
                {
                    "id": first.pk,
                    "url": f"http://testserver/api/v1/claims/{first.pk}/",
                    "statement": "Over a thousand were killed.",
                    "claim_date": "2024-02-29",
                    "published_at": verdicts[first.pk].published_at.isoformat().replace("+00:00", "Z"),
                    "rating": {
                        "scale": "default",
                        "rating": "mostly-false",
                        "label": mostly_false.label,
                        "bucket": "mostly_false",
                    },
                },
            ],
        },
        "relayed": {"total": 0, "buckets": ZERO, "ratings": [], "recent": []},
        "periods": [
            {
                "label": "2024-Q1",
                "start": "2024-01-01",
                "originated": {"total": 1, "buckets": buckets(mostly_false=1)},
                "relayed": {"total": 0, "buckets": ZERO},
            },
            {
                "label": None,
                "start": None,
                "originated": {"total": 1, "buckets": buckets(false=1)},
                "relayed": {"total": 0, "buckets": ZERO},
            },
        ],
    }


def test_the_api_lists_at_most_recent_claims_per_role(desk, chain, anon_client):
    _, tass, hamas = chain
    claims = [desk.publish(desk.claim(f"Claim {n}.", [(tass, "cites"), (hamas, "publishes")])) for n in range(3)]

    body = anon_client.get(url(tass, "?recent=2")).json()

    assert body["relayed"]["total"] == 3
    assert [row["id"] for row in body["relayed"]["recent"]] == [claims[2].pk, claims[1].pk]
    assert anon_client.get(url(tass, "?recent=0")).json()["relayed"]["recent"] == []


@pytest.mark.parametrize("pk", [999_999, 2**63, 10**30])
def test_the_api_answers_404_in_the_envelope_for_an_unknown_source(anon_client, pk):
    response = anon_client.get(url(pk))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?period=week", "period"),
        ("?recent=11", "recent"),
        ("?recent=x", "recent"),
        ("?include_children=maybe", "include_children"),
    ],
)
def test_the_api_refuses_a_bad_parameter_naming_it(desk, chain, anon_client, query, field):
    response = anon_client.get(url(chain[0], query))

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]


@pytest.mark.parametrize("client_name", ["outsider_client", "fact_checker_client", "editor_client"])
def test_readers_and_the_desk_get_the_same_record(request, desk, chain, anon_client, client_name):
    site, tass, hamas = chain
    published = desk.publish(desk.claim("Published.", [(site, "cites"), (tass, "cites"), (hamas, "publishes")]))
    claim_update(claim=published, actor=desk.checker, statement="Reworded, not approved yet.")
    desk.approve(desk.claim("Approved only.", [(site, "cites"), (tass, "cites"), (hamas, "publishes")]))
    other = request.getfixturevalue(client_name)

    for source in chain:
        reader = anon_client.get(url(source, "?include_children=true"))
        assert reader.status_code == 200
        assert other.get(url(source, "?include_children=true")).json() == reader.json()
        assert "Approved only." not in reader.content.decode()
        assert "Reworded" not in reader.content.decode()


@pytest.mark.parametrize("claims", [2, 20])
def test_the_query_count_does_not_grow_with_the_claims(desk, chain, anon_client, django_assert_num_queries, claims):
    site, tass, hamas = chain
    for n in range(claims):
        claimant = hamas if n % 2 else tass
        desk.publish(
            desk.claim(f"Claim {n}.", [(site, "cites"), (claimant, "publishes")], claim_date=dt.date(2020 + n, 1, 1))
        )

    # The source; the counts per role, period and rating; the latest claims of each role.
    with django_assert_num_queries(3):
        body = anon_client.get(url(site, "?recent=10")).json()
    # And the source's descendants, with include_children.
    with django_assert_num_queries(4):
        anon_client.get(url(site, "?include_children=true"))

    assert body["relayed"]["total"] == claims
    assert len(body["relayed"]["recent"]) == min(claims, 10)
    assert len(body["periods"]) == claims


# The admin --------------------------------------------------------------------------------------------------------


def test_the_source_page_is_the_claims_apps_subclass():
    assert isinstance(admin.site._registry[Source], SourceWithTrackRecordAdmin)


def test_the_source_page_shows_the_track_record_with_links_to_the_claims(desk, chain, client, editor):
    _, tass, hamas = chain
    claim = desk.publish(desk.claim("Over a thousand were killed.", [(tass, "cites"), (hamas, "publishes")]), "false")
    client.force_login(editor)

    page = client.get(f"/admin/sources/source/{tass.pk}/change/").content.decode()

    assert "Track record" in page
    assert f'href="/admin/claims/claim/{claim.pk}/change/"' in page
    assert "Over a thousand were killed." in page
    assert (
        "<th>Relayed</th><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td><td>0</td><td>0</td><td><strong>1</strong>"
        in page
    )
    assert "<td>2024</td><td>0</td><td>1: false 1</td>" in page


def test_the_add_page_has_no_track_record(client, editor):
    client.force_login(editor)

    response = client.get("/admin/sources/source/add/")

    assert response.status_code == 200
    assert "Track record" not in response.content.decode()

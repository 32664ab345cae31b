"""ClaimReview import: the command and the editors' endpoint, the rating mapping, idempotence, and the round trip."""

from __future__ import annotations

import copy
import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from claims.claimreview import ItemError, ParsedReview, Party, RatingMapper, normalise_rating, parse_review
from claims.models import Claim, Rating, RatingScale, Verdict
from claims.services.claimreview import claimreview_import
from sources.models import Appearance, Source, SourceKind
from tests.claims.test_claimreview_export import correct, tass_citing_hamas
from tests.factories import ClaimFactory, SourceFactory, default_rating, published_verdict

pytestmark = pytest.mark.django_db

EXAMPLES = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "claimreview"
    / "schemaorg_examples_claimreview_claim_mediareview.json"
)
IMPORT = "/api/v1/claimreview/import/"


def review(n: int = 1, rating: str = "Mostly False", **extra: Any) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://checker.example.org/reviews/{n}",
        "claimReviewed": f"The bridge cost {n} billion.",
        "datePublished": "2024-03-01",
        "author": {"@type": "Organization", "name": "Example Checker", "url": "https://checker.example.org/"},
        "reviewRating": {"@type": "Rating", "alternateName": rating},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "A Mayor", "sameAs": "https://www.wikidata.org/wiki/Q42"},
            "datePublished": "2024-02-20",
            "appearance": [
                {
                    "@type": "CreativeWork",
                    "url": "https://news.example.org/bridge?utm_source=x",
                    "headline": "Bridge opens",
                    "author": {"@type": "Organization", "name": "Daily Example"},
                }
            ],
        },
        **extra,
    }


# Rating mapping (no database beyond the scales) -----------------------------------------------------------------


def _parsed(text: str = "", value: str | None = None, best: str | None = None, worst: str | None = None):
    from decimal import Decimal

    number = lambda raw: None if raw is None else Decimal(raw)  # noqa: E731
    return ParsedReview(
        index=0,
        identifier="x",
        url="",
        statement="s",
        published_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        author=Party("P", "Organization"),
        rating_text=text,
        rating_value=number(value),
        best=number(best),
        worst=number(worst),
    )


def _mapper(slug: str = "default", mapping: dict[str, str] | None = None) -> RatingMapper:
    return RatingMapper(list(Rating.objects.filter(scale__slug=slug).select_related("scale")), mapping)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("TRUE", "true"),
        ("Mostly True.", "mostly-true"),
        ("Half-True", "mixed"),
        ("Misleading", "mostly-false"),
        ("Pants on Fire!", "false"),
        ("Four Pinocchios", "false"),
        ("Unproven", "unverifiable"),
        ("  mostly   FALSE ", "mostly-false"),
    ],
)
def test_common_verdict_words_map_onto_the_default_scale(text, slug):
    assert _mapper().resolve(_parsed(text)).slug == slug


def test_a_scales_own_labels_map_without_a_mapping():
    assert _mapper("truth-o-meter").resolve(_parsed("Pants on Fire!")).slug == "pants-fire"
    assert _mapper("truth-o-meter").resolve(_parsed("Barely True")).slug == "barely-true"


def test_a_rating_value_maps_only_on_the_scales_own_axis():
    assert _mapper().resolve(_parsed(value="4", best="5", worst="1")).slug == "mostly-true"
    assert _mapper().resolve(_parsed(value="4", best="5")).slug == "mostly-true"  # worstRating defaults to 1
    with pytest.raises(ItemError) as caught:
        _mapper().resolve(_parsed(value="4", best="10", worst="1"))  # another axis: converting would be a guess
    assert caught.value.field == "reviewRating.ratingValue"


def test_unknown_words_are_refused_not_guessed():
    with pytest.raises(ItemError) as caught:
        _mapper().resolve(_parsed("Spicy"))

    assert caught.value.field == "reviewRating.alternateName"
    assert "Unknown rating 'Spicy'" in caught.value.message


def test_words_and_number_that_disagree_are_refused():
    with pytest.raises(ItemError, match="contradicts itself"):
        _mapper().resolve(_parsed("True", value="1", best="5", worst="1"))


def test_a_callers_mapping_overrides_the_defaults():
    mapper = _mapper(mapping={normalise_rating("Misleading"): "mixed", "spicy": "false"})

    assert mapper.resolve(_parsed("misleading!")).slug == "mixed"
    assert mapper.resolve(_parsed("Spicy")).slug == "false"
    with pytest.raises(ValueError, match="not a rating of the scale"):
        _mapper(mapping={"spicy": "pants-fire"})


# The service ----------------------------------------------------------------------------------------------------


def test_it_creates_sources_appearances_claims_and_published_verdicts(editor, anon_client):
    report = claimreview_import(payload=review(), actor=editor)

    assert (len(report.created), report.present, report.skipped) == (1, [], [])
    claim = Claim.objects.get(pk=report.created[0]["claim"])
    verdict = Verdict.objects.current().get(claim=claim)
    assert (claim.statement, claim.claim_date, claim.claimant.name, claim.claimant.kind) == (
        "The bridge cost 1 billion.",
        dt.date(2024, 2, 20),
        "A Mayor",
        SourceKind.PERSON,
    )
    assert claim.claimant.wikidata_id == "Q42"
    assert claim.first_appearance.url == "https://news.example.org/bridge"  # normalised: no tracking parameter
    assert claim.first_appearance.publisher.name == "Daily Example"
    assert [(hop.source.name, hop.relation) for hop in claim.attributions.order_by("position")] == [
        ("Daily Example", "cites"),
        ("A Mayor", "publishes"),
    ]
    assert (verdict.rating.slug, verdict.textual_rating, verdict.review_url) == (
        "mostly-false",
        "Mostly False",
        "https://checker.example.org/reviews/1",
    )
    assert verdict.published_at == dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    assert (verdict.publisher.name, verdict.publisher.homepage) == ("Example Checker", "https://checker.example.org/")
    assert anon_client.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()["url"] == verdict.review_url


def test_it_reuses_sources_and_appearances_it_already_has(editor):
    mayor = SourceFactory(name="a mayor", kind=SourceKind.PERSON)
    existing = Appearance.objects.create(url="https://news.example.org/bridge", title="Known")

    report = claimreview_import(payload=[review(1), review(2)], actor=editor)

    assert len(report.created) == 2
    assert set(Claim.objects.values_list("claimant", flat=True)) == {mayor.pk}
    assert set(Claim.objects.values_list("first_appearance", flat=True)) == {existing.pk}
    assert Source.objects.filter(name="Example Checker").count() == 1


def test_importing_again_creates_nothing(editor):
    payload = {"@type": "DataFeed", "dataFeedElement": [review(1), {"@type": "DataFeedItem", "item": review(2)}]}
    claimreview_import(payload=payload, actor=editor)
    counts = (Claim.objects.count(), Verdict.objects.count(), Source.objects.count(), Appearance.objects.count())

    again = claimreview_import(payload=payload, actor=editor)

    assert (len(again.created), len(again.present), again.skipped) == (0, 2, [])
    assert counts == (2, 2, 3, 1)
    assert (
        Claim.objects.count(),
        Verdict.objects.count(),
        Source.objects.count(),
        Appearance.objects.count(),
    ) == counts


def test_a_review_without_url_is_identified_by_its_id(editor):
    document = review(7, **{"@id": "https://checker.example.org/reviews/7#review"})
    del document["url"]

    first = claimreview_import(payload=document, actor=editor)
    again = claimreview_import(payload=document, actor=editor)

    assert (len(first.created), len(again.created), len(again.present)) == (1, 0, 1)
    assert Verdict.objects.get().review_url == "https://checker.example.org/reviews/7#review"


def test_a_review_with_neither_address_nor_evidence_is_refused_saying_why(editor):
    document = review(8, identifier="checker-8")
    del document["url"]

    report = claimreview_import(payload=document, actor=editor)

    assert [(row["index"], row["field"]) for row in report.skipped] == [(0, "review_url")]
    assert not Claim.objects.exists()


def test_a_bad_item_is_reported_and_the_others_land(editor):
    broken = review(2, rating="Spicy")
    no_text = review(3)
    del no_text["claimReviewed"]
    bad_date = review(4, datePublished="last week")
    impossible = review(6, datePublished="2024-02-30")

    report = claimreview_import(payload=[review(1), broken, no_text, bad_date, review(5), impossible], actor=editor)

    assert [row["index"] for row in report.created] == [0, 4]
    assert report.skipped == [
        {
            "index": 1,
            "url": "https://checker.example.org/reviews/2",
            "field": "reviewRating.alternateName",
            "message": "Unknown rating 'Spicy' for the scale 'default': add it to the mapping.",
        },
        {
            "index": 2,
            "url": "https://checker.example.org/reviews/3",
            "field": "claimReviewed",
            "message": "This property is required.",
        },
        {
            "index": 3,
            "url": "https://checker.example.org/reviews/4",
            "field": "datePublished",
            "message": "'last week' is not an ISO 8601 date.",
        },
        {
            "index": 5,
            "url": "https://checker.example.org/reviews/6",
            "field": "datePublished",
            "message": "'2024-02-30' is not an ISO 8601 date.",
        },
    ]
    assert Claim.objects.count() == 2


def test_a_dry_run_writes_nothing(editor):
    report = claimreview_import(payload=[review(1), review(2, rating="Spicy")], actor=editor, dry_run=True)

    assert (len(report.created), len(report.skipped), report.dry_run) == (1, 1, True)
    assert not Claim.objects.exists()
    assert not Source.objects.exists()


# schema.org's own examples ---------------------------------------------------------------------------------------


def _examples() -> list[dict[str, Any]]:
    if not EXAMPLES.exists():
        pytest.skip(f"ClaimReview examples not found at {EXAMPLES} (the shared data folder is absent)")
    # The file wraps each example's JSON-LD with where it came from: {example_id, types_line, types_found, jsonld}.
    return [example["jsonld"] for example in json.loads(EXAMPLES.read_text())]


def test_it_imports_schema_orgs_claimreview_example_and_skips_the_others_with_reasons(editor):
    examples = _examples()

    report = claimreview_import(payload=examples, actor=editor)

    # eg-0324 (PolitiFact on Rick Perry) lands; eg-0325 has no rating; eg-0467 is a MediaReview, eg-0248 a Review.
    assert [row["index"] for row in report.created] == [0]
    assert [(row["index"], row["field"]) for row in report.skipped] == [
        (1, "reviewRating"),
        (2, "@type"),
        (3, "@type"),
    ]
    assert "MediaReview" in report.skipped[1]["message"]
    claim = Claim.objects.get()
    verdict = claim.verdicts.get()
    assert claim.statement.startswith("More than 3,000 homicides")
    assert (claim.claimant.name, claim.claimant.kind, claim.claim_date) == (
        "Rich Perry",
        SourceKind.PERSON,
        dt.date(2014, 7, 17),
    )
    assert claim.claimant.homepage == "https://en.wikipedia.org/wiki/Rick_Perry"
    # Its author is an organisation named only by its site.
    assert (verdict.publisher.name, verdict.publisher.homepage) == ("politifact.com", "http://www.politifact.com/")
    # "True" on the default scale; its ratingValue 1 of bestRating 6 is another axis, so it does not count.
    assert verdict.rating.slug == "true"
    assert verdict.published_at == dt.datetime(2014, 7, 23, tzinfo=dt.UTC)


def test_on_the_truth_o_meter_the_examples_words_and_number_disagree_and_it_is_skipped(editor):
    examples = _examples()

    report = claimreview_import(payload=examples[:1], actor=editor, scale=RatingScale.objects.get(slug="truth-o-meter"))

    assert report.created == []
    assert report.skipped[0]["field"] == "reviewRating"
    assert "'true'" in report.skipped[0]["message"]
    assert "'pants-fire'" in report.skipped[0]["message"]


# Round trip ------------------------------------------------------------------------------------------------------


def _feed(client) -> list[dict[str, Any]]:
    elements, url = [], "/api/v1/claimreview/?page_size=2"
    while url:
        page = client.get(url).json()
        elements += page["dataFeedElement"]
        url = page.get("next")
    return elements


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    """What an import must reproduce: a correction's history is the publisher's own, not carried by the review."""
    document = copy.deepcopy(document)
    document.pop("correction", None)
    document.pop("dateModified", None)
    document["itemReviewed"].get("appearance", []).sort(key=lambda appearance: appearance["url"])
    return document


def test_export_then_import_into_an_empty_database_reproduces_every_review(editor, anon_client, settings):
    # The test client's host, testserver, is no valid URL host: the reviews need an address to rest on.
    settings.FACTCHECK_REVIEW_URL = "https://desk.example.org/checks/{id}"
    with transaction.atomic():
        tass_citing_hamas(summary="It began on the 29th.")
        corrected = published_verdict(
            ClaimFactory(claimant=SourceFactory(name="A Senator", kind="person", homepage="https://s.example/"))
        ).claim
        correct(corrected, note="New figures.", rating=default_rating("mostly-true"))
        published_verdict(rating=default_rating("unverifiable"))
        ClaimFactory()  # unpublished: not exported
        exported = _feed(anon_client)
        assert len(exported) == 3
        assert any("correction" in document for document in exported)
        transaction.set_rollback(True)
    assert not Claim.objects.exists()
    assert not Source.objects.exists()
    assert not Appearance.objects.exists()

    report = claimreview_import(payload={"@type": "DataFeed", "dataFeedElement": exported}, actor=editor)

    assert (len(report.created), report.skipped) == (3, [])
    reexported = _feed(anon_client)
    assert sorted(map(json.dumps, map(_comparable, reexported))) == sorted(map(json.dumps, map(_comparable, exported)))
    again = claimreview_import(payload=reexported, actor=editor)
    assert (len(again.created), len(again.present)) == (0, 3)


# The command -----------------------------------------------------------------------------------------------------


def test_the_command_imports_files_with_a_mapping_and_reports_what_it_skipped(editor, tmp_path):
    (tmp_path / "a.json").write_text(json.dumps([review(1), review(2, rating="Spicy")]))
    (tmp_path / "b.json").write_text(json.dumps({"@type": "DataFeed", "dataFeedElement": [review(3, rating="Spicy")]}))
    (tmp_path / "mapping.json").write_text(json.dumps({"SPICY!": "false"}))
    out, err = StringIO(), StringIO()

    call_command("import_claimreview", str(tmp_path / "a.json"), "--as", editor.username, stdout=out, stderr=err)
    call_command(
        "import_claimreview",
        str(tmp_path / "a.json"),
        str(tmp_path / "b.json"),
        "--as",
        editor.username,
        "--mapping",
        str(tmp_path / "mapping.json"),
        stdout=out,
        stderr=err,
    )

    assert "a.json #1 https://checker.example.org/reviews/2: skipped, reviewRating.alternateName: Unknown rating" in (
        err.getvalue()
    )
    assert "a.json: 1 created, 0 already present, 1 skipped" in out.getvalue()
    assert "a.json: 1 created, 1 already present, 0 skipped" in out.getvalue()
    assert "Total: 2 created, 1 already present, 0 skipped" in out.getvalue()
    assert Verdict.objects.filter(rating__slug="false").count() == 2


def test_the_command_dry_run_writes_nothing(editor, tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(review()))
    out = StringIO()

    call_command("import_claimreview", str(tmp_path / "a.json"), "--as", editor.username, "--dry-run", stdout=out)

    assert "1 created" in out.getvalue()
    assert "dry run" in out.getvalue()
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--as", "nobody"], "is not an editor"),
        (["--as", "{fact_checker}"], "is not an editor"),
        (["--as", "{editor}", "--scale", "nope"], "no rating scale"),
        (["--as", "{editor}", "--mapping", "{bad_mapping}"], "not a rating of the scale"),
        (["--as", "{editor}", "--mapping", "{missing}"], "--mapping"),
    ],
)
def test_the_command_refuses_bad_arguments(editor, fact_checker, tmp_path, arguments, message):
    (tmp_path / "a.json").write_text(json.dumps(review()))
    (tmp_path / "bad.json").write_text(json.dumps({"spicy": "pants-fire"}))
    names = {
        "editor": editor.username,
        "fact_checker": fact_checker.username,
        "bad_mapping": str(tmp_path / "bad.json"),
        "missing": str(tmp_path / "missing.json"),
    }

    with pytest.raises(CommandError, match=message):
        call_command("import_claimreview", str(tmp_path / "a.json"), *[a.format(**names) for a in arguments])
    assert not Claim.objects.exists()


def test_the_command_refuses_a_file_that_is_not_claimreview(editor, tmp_path):
    (tmp_path / "movie.json").write_text(json.dumps({"@type": "Movie", "name": "Alien"}))

    with pytest.raises(CommandError, match="@type: Expected ClaimReview or DataFeed"):
        call_command("import_claimreview", str(tmp_path / "movie.json"), "--as", editor.username)


# The endpoint ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("anon_client", 401), ("outsider_client", 403), ("fact_checker_client", 403), ("editor_client", 200)],
)
def test_only_editors_import_over_the_api(request, who, status):
    response = request.getfixturevalue(who).post(IMPORT, review(), format="json")

    assert response.status_code == status, response.content
    assert Claim.objects.count() == (1 if status == 200 else 0)


def test_the_endpoint_reports_per_item_and_is_idempotent(editor_client):
    body = [review(1), review(2, rating="Spicy"), {"@type": "MediaReview"}]

    first = editor_client.post(IMPORT, body, format="json").json()
    again = editor_client.post(IMPORT, body, format="json").json()

    assert (first["created"], first["present"]) == (1, 0)
    assert [(row["index"], row["field"]) for row in first["skipped"]] == [
        (1, "reviewRating.alternateName"),
        (2, "@type"),
    ]
    assert first["claims"] == [
        {
            "index": 0,
            "url": "https://checker.example.org/reviews/1",
            "claim": Claim.objects.get().pk,
            "status": "created",
        }
    ]
    assert (again["created"], again["present"], len(again["skipped"])) == (0, 1, 2)


def test_the_endpoint_takes_a_mapping_and_a_scale(editor_client):
    body = {"reviews": [review(1, rating="Spicy"), review(2, rating="Pants on Fire")], "mapping": {"Spicy": "false"}}
    body["scale"] = "truth-o-meter"

    report = editor_client.post(IMPORT, body, format="json").json()

    assert (report["created"], report["skipped"]) == (2, [])
    assert sorted(Verdict.objects.values_list("rating__slug", flat=True)) == ["false", "pants-fire"]
    assert set(Verdict.objects.values_list("rating__scale__slug", flat=True)) == {"truth-o-meter"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"@type": "Movie", "name": "Alien"}, "@type"),
        (42, "@type"),
        ("a ClaimReview", "@type"),
        ({"reviews": [], "mapping": {"spicy": "pants-fire"}}, "mapping"),
        ({"reviews": [], "mapping": ["spicy"]}, "mapping"),
        ({"reviews": [], "scale": "nope"}, "scale"),
        ({"reviews": [], "dry_run": "yes"}, "dry_run"),
    ],
)
def test_a_body_that_is_not_claimreview_is_a_400_naming_the_field(editor_client, body, field):
    response = editor_client.post(IMPORT, body, format="json")

    assert response.status_code == 400, response.content
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_a_body_over_the_size_limit_is_refused_unread(editor_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048

    response = editor_client.post(IMPORT, [review(n) for n in range(20)], format="json")

    assert response.status_code == 413
    assert not Claim.objects.exists()


def test_a_dry_run_over_the_api_writes_nothing(editor_client):
    report = editor_client.post(IMPORT, {"reviews": [review()], "dry_run": True}, format="json").json()

    assert (report["created"], report["dry_run"]) == (1, True)
    assert not Claim.objects.exists()


# Whatever a document holds, reading it either works or names the property that stops it -------------------------

_KEYS = [
    "@type",
    "@id",
    "url",
    "identifier",
    "claimReviewed",
    "datePublished",
    "author",
    "name",
    "sameAs",
    "reviewRating",
    "alternateName",
    "ratingValue",
    "bestRating",
    "worstRating",
    "itemReviewed",
    "appearance",
    "firstAppearance",
    "headline",
    "inLanguage",
    "description",
]
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(["ClaimReview", "Person", "2024-02-30", "2024-03-01T10:00:00+02:00", "https://a.example/", "NaN"]),
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=6),
    max_leaves=20,
)


@given(
    document=st.dictionaries(st.sampled_from(_KEYS), _JSON, max_size=10).map(lambda d: {**d, "@type": "ClaimReview"})
)
@hypothesis_settings(max_examples=300, derandomize=True, deadline=None)
def test_reading_any_document_either_works_or_names_what_stops_it(document):
    refusal = None
    try:
        parse_review(0, document)
    except ItemError as error:  # anything else (TypeError, ValueError...) fails the test
        refusal = error
    assert refusal is None or refusal.field


def test_the_demos_published_verdicts_survive_the_round_trip(editor, anon_client, settings):
    from claims.demo.loader import load_demo

    settings.FACTCHECK_REVIEW_URL = "https://desk.example.org/checks/{id}"
    with transaction.atomic():
        load_demo()
        exported = _feed(anon_client)
        published = Claim.objects.published().count()
        transaction.set_rollback(True)
    assert published >= 2
    assert len(exported) == published

    report = claimreview_import(payload=exported, actor=editor)

    assert (len(report.created), report.skipped) == (published, [])
    assert sorted(map(json.dumps, map(_comparable, _feed(anon_client)))) == sorted(
        map(json.dumps, map(_comparable, exported))
    )

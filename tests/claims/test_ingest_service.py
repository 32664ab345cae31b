"""Article ingestion with the database: claims.services.article_ingest, manage.py ingest_article and
POST /api/v1/articles/ingest/."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from claims.models import Attribution, Claim, ClaimStatus, ClaimValue
from claims.services import article_ingest
from claims.services.ingest import INGEST_ORIGIN, external_id
from sources.models import Appearance, Source, SourceKind
from tests.claims.ingest_labels import SEED_ARTICLE, SEED_PUBLISHED
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

URL = "https://river.example/2024/03/07/flood"
PUBLISHED = dt.date(2024, 3, 7)
ARTICLE = """Flood kills dozens in river town
At least 42 people died on Tuesday, March 5, according to the Regional Health Ministry.
"More than 300 homes were destroyed. We need help," Mayor Ana Ruiz told reporters.
The mayor visited the dam in March 2019 and May 2021, her office said.
Many residents believe the dam should have been opened earlier.
"""
ENDPOINT = "/api/v1/articles/ingest/"


def ingest(actor, **overrides):
    arguments = {
        "actor": actor,
        "text": ARTICLE,
        "url": URL,
        "publisher": "River Daily",
        "published": PUBLISHED,
    }
    return article_ingest(**(arguments | overrides))


def _chain(claim: Claim) -> list[tuple[str, str]]:
    return [(a.source.name, a.relation) for a in claim.attributions.select_related("source").order_by("position")]


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Claim.objects.count(),
        Source.objects.count(),
        Appearance.objects.count(),
        Attribution.objects.count(),
        ClaimValue.objects.count(),
    )


# The service ---------------------------------------------------------------------------------------------------------


def test_it_creates_new_claims_on_the_articles_appearance(editor):
    result = ingest(editor, url="https://River.example/2024/03/07/flood?utm_source=feed#top", title="Flood")

    appearance = Appearance.objects.get()
    assert result.appearance == appearance
    assert result.appearance_created
    assert (appearance.url, appearance.title, appearance.published_on) == (URL, "Flood", PUBLISHED)
    assert (appearance.publisher.name, appearance.publisher.kind) == ("River Daily", SourceKind.OUTLET)
    assert len(appearance.content_hash) == 64
    claims = list(Claim.objects.order_by("id"))
    assert [c.statement.split()[0] for c in claims] == ["Flood", "At", '"More', "We", "The"]
    assert result.created == len(claims) == 5
    assert {(c.status, c.external_origin, c.first_appearance_id, c.claim_date, c.created_by) for c in claims} == {
        (ClaimStatus.NEW, INGEST_ORIGIN, appearance.pk, PUBLISHED, editor)
    }
    assert claims[1].external_id == external_id(URL, claims[1].statement)


def test_it_writes_the_chain_and_the_claimant(editor):
    ingest(editor)

    toll = Claim.objects.get(statement__startswith="At least 42")
    assert _chain(toll) == [("River Daily", "cites"), ("Regional Health Ministry", "publishes")]
    assert toll.attributions.get(position=0).quote_excerpt == "according to the Regional Health Ministry"
    assert toll.claimant is not None
    assert (toll.claimant.name, toll.claimant.kind) == ("Regional Health Ministry", SourceKind.MINISTRY)
    homes = Claim.objects.get(statement__startswith='"More than 300')
    assert _chain(homes) == [("River Daily", "quotes"), ("Ana Ruiz", "publishes")]
    # The quotation runs over two sentences: each is a claim with its own words, and both are the mayor's.
    assert homes.quote == "More than 300 homes were destroyed."
    assert _chain(Claim.objects.get(statement__startswith="We need help")) == _chain(homes)
    assert homes.kind == "quantity"
    visit = Claim.objects.get(statement__startswith="The mayor visited")
    assert _chain(visit) == [("River Daily", "cites_unnamed")]
    assert visit.claimant is None


def test_it_writes_the_values_as_intervals(editor):
    ingest(editor)

    toll = Claim.objects.get(statement__startswith="At least 42")
    day, count = toll.values.order_by("kind")  # date, then quantity
    assert (count.kind, count.expression, count.qualifier, count.unit) == (
        "quantity",
        "At least 42",
        "at_least",
        "people",
    )
    assert (count.quantity.lower, count.quantity.upper, count.quantity.bounds) == (Decimal(42), None, "[)")
    assert (day.kind, day.dates.lower, day.dates.upper, day.precision) == (
        "date",
        dt.date(2024, 3, 5),
        dt.date(2024, 3, 6),
        "day",
    )
    visit = Claim.objects.get(statement__startswith="The mayor visited")
    # A list of dates is one value per date, as the desk records them.
    assert [(v.expression, v.dates.lower) for v in visit.values.order_by("id")] == [
        ("March 2019", dt.date(2019, 3, 1)),
        ("May 2021", dt.date(2021, 5, 1)),
    ]


def test_ingesting_the_same_article_again_creates_nothing(editor):
    first = ingest(editor)
    before = _counts()

    again = ingest(editor, url="https://RIVER.example/2024/03/07/flood?utm_campaign=x", publisher="river daily")

    assert _counts() == before
    assert (again.created, again.present, again.appearance_created) == (0, first.created, False)
    assert [item.claim for item in again.claims] == [item.claim for item in first.claims]


def test_it_finds_sources_by_name_or_alias_ignoring_case(editor):
    publisher = SourceFactory(name="RIVER DAILY", kind=SourceKind.OUTLET)
    ministry = SourceFactory(
        name="Ministry of Health of the Region", kind=SourceKind.MINISTRY, aliases=["regional health ministry"]
    )
    ruiz = SourceFactory(name="Ana Ruiz", kind=SourceKind.PERSON)
    sources = Source.objects.count()

    ingest(editor)

    assert Source.objects.count() == sources
    assert Appearance.objects.get().publisher == publisher
    assert Claim.objects.get(statement__startswith="At least 42").claimant == ministry
    assert Claim.objects.get(statement__startswith='"More than 300').claimant == ruiz


def test_a_dry_run_proposes_and_writes_nothing(editor):
    before = _counts()

    result = ingest(editor, dry_run=True)

    assert _counts() == before
    assert result.appearance is None
    assert len(result.claims) == 5
    assert all(item.claim is None and not item.created for item in result.claims)


def test_a_dry_run_of_an_ingested_article_shows_its_claims(editor):
    first = ingest(editor)

    result = ingest(editor, dry_run=True)

    assert result.appearance == first.appearance
    assert [item.claim for item in result.claims] == [item.claim for item in first.claims]


def test_only_editors_ingest(fact_checker):
    with pytest.raises(PermissionDenied):
        ingest(fact_checker)
    assert _counts() == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"url": "ftp://river.example/flood"}, "url"),
        ({"text": "   "}, "text"),
        ({"publisher": " "}, "publisher"),
        ({"min_score": 1.5}, "min_score"),
        ({"language": "not a tag"}, "language"),
    ],
)
def test_it_names_the_field_it_refuses(editor, overrides, field):
    with pytest.raises(ValidationError) as refused:
        ingest(editor, **overrides)
    assert field in refused.value.message_dict
    assert _counts() == (0, 0, 0, 0, 0)


def test_the_seed_article_is_ingested_with_its_chains(editor):
    if not SEED_ARTICLE.exists():
        pytest.skip(f"The seed article is not at {SEED_ARTICLE} (../shared next to the repository).")
    ministry = SourceFactory(
        name="Ministry of Health in Gaza", kind=SourceKind.MINISTRY, aliases=["Hamas's Ministry of Health"]
    )

    result = ingest(
        editor, text=SEED_ARTICLE.read_text(encoding="utf-8"), publisher="Example News", published=SEED_PUBLISHED
    )

    assert result.created >= 25
    tass = Claim.objects.get(statement__contains="TASS, citing Hamas, reports")
    assert _chain(tass) == [("Example News", "quotes"), ("TASS", "cites"), ("Hamas", "publishes")]
    assert Source.objects.get(name="TASS").kind == SourceKind.NEWS_AGENCY
    toll = Claim.objects.get(statement__startswith="According to Hamas's Ministry of Health")
    assert _chain(toll) == [("Example News", "cites"), ("Ministry of Health in Gaza", "publishes")]
    assert toll.claimant == ministry
    rakab = Claim.objects.get(statement__startswith="According to Aiman Rakab")
    assert _chain(rakab) == [("Example News", "quotes"), ("TASS", "paraphrases"), ("Aiman Rakab", "publishes")]


# The command ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "flood.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("ingest_article", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_a_dry_run_without_a_user(article_file, editor):
    output = _command(
        str(article_file), "--url", URL, "--publisher", "River Daily", "--published", "2024-03-07", "--dry-run"
    )

    assert "[proposed]" in output
    assert "River Daily cites → Regional Health Ministry publishes" in output
    assert "values: At least 42; Tuesday, March 5" in output
    assert output.rstrip().endswith("nothing written.")
    assert _counts() == (0, 0, 0, 0, 0)


def test_the_command_writes_as_the_editor_named(article_file, editor):
    args = [str(article_file), "--url", URL, "--publisher", "River Daily", "--published", "2024-03-07"]

    output = _command(*args, "--as", editor.username, "--min-score", "0.5")

    created = Claim.objects.count()
    assert 0 < created < 5  # the higher threshold leaves some out
    assert f"{created} claims created, 0 already present" in output
    assert f"0 claims created, {created} already present" in _command(
        *args, "--as", editor.username, "--min-score", "0.5"
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ((), "--as USERNAME is required"),
        (("--as", "nobody"), "No user 'nobody'"),
        (("--as", "{fact_checker}"), "Only editors"),
        (("--as", "{editor}", "--min-score", "2"), "--min-score"),
        (("--as", "{editor}", "--url", "not a url"), "url"),
    ],
)
def test_the_command_refuses_with_a_message(article_file, editor, fact_checker, extra, message):
    extra = tuple(e.format(editor=editor.username, fact_checker=fact_checker.username) for e in extra)
    with pytest.raises(CommandError, match=message):
        _command(str(article_file), "--url", URL, "--publisher", "River Daily", "--published", "2024-03-07", *extra)
    assert Claim.objects.count() == 0


# The API -------------------------------------------------------------------------------------------------------------


def _body(**overrides):
    return {"text": ARTICLE, "url": URL, "publisher": "River Daily", "published": "2024-03-07"} | overrides


def test_the_api_creates_the_claims_and_answers_the_candidates(editor_client):
    response = editor_client.post(ENDPOINT, _body(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["url"], body["dry_run"], body["appearance_created"], body["created"], body["present"]) == (
        URL,
        False,
        True,
        5,
        0,
    )
    assert body["appearance"] == Appearance.objects.get().pk
    toll = body["candidates"][1]
    claim = Claim.objects.get(pk=toll["claim"])
    assert toll["outcome"] == "created"
    assert toll["sentence"] == claim.statement == ARTICLE[toll["start"] : toll["end"]]
    assert toll["kind"] == "quantity"
    assert [v["expression"] for v in toll["values"]] == ["At least 42", "Tuesday, March 5"]
    assert toll["values"][0] | {"expression": None} == {
        "expression": None,
        "kind": "quantity",
        "low": "42",
        "high": None,
        "low_inclusive": True,
        "high_inclusive": False,
        "qualifier": "at_least",
        "unit": "people",
        "precision": "",
        "weekday": None,
    }
    assert [(h["position"], h["source"], h["relation"]) for h in toll["hops"]] == [
        (0, "River Daily", "cites"),
        (1, "Regional Health Ministry", "publishes"),
    ]
    assert [h["source_id"] for h in toll["hops"]] == [a.source_id for a in claim.attributions.order_by("position")]


def test_the_api_answers_200_and_the_present_claims_when_nothing_is_new(editor_client):
    first = editor_client.post(ENDPOINT, _body(), format="json").json()

    response = editor_client.post(ENDPOINT, _body(), format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["present"]) == (0, 5)
    assert [c["claim"] for c in body["candidates"]] == [c["claim"] for c in first["candidates"]]
    assert {c["outcome"] for c in body["candidates"]} == {"present"}


def test_the_api_dry_run_writes_nothing(editor_client):
    response = editor_client.post(ENDPOINT, _body(dry_run=True, min_score=0.5), format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["appearance"] is None
    assert {c["outcome"] for c in body["candidates"]} == {"proposed"}
    assert all(c["score"] >= 0.5 for c in body["candidates"])
    assert _counts() == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("client_name", "status"), [("anon_client", 401), ("fact_checker_client", 403), ("outsider_client", 403)]
)
def test_the_api_is_for_editors_only(request, client_name, status):
    client = request.getfixturevalue(client_name)

    response = client.post(ENDPOINT, _body(dry_run=True), format="json")

    assert response.status_code == status
    assert _counts() == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"url": "not a url"}, "url"),
        ({"published": "29 February"}, "published"),
        ({"min_score": 3}, "min_score"),
        ({"text": ""}, "text"),
        ({"language": "not a tag"}, "language"),
    ],
)
def test_the_api_names_the_field_it_refuses(editor_client, overrides, field):
    response = editor_client.post(ENDPOINT, _body(**overrides), format="json")

    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]
    assert _counts() == (0, 0, 0, 0, 0)

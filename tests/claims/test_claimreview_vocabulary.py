"""Every property and type our ClaimReview JSON-LD uses exists in schema.org release 30.0, where we use it.

The vocabulary is read from ../shared/data/schemaorg/schemaorg-current-https.jsonld (see its PROVENANCE.md); the
tests skip, saying so, where that folder is absent. Each emitted node is walked: every key but @-keys and the
feed's own Hydra terms must be a schema.org property whose domainIncludes holds the node's @type or a supertype;
every nested @type must be in the property's rangeIncludes (or a subtype of one); every literal must fit a data
type of the range (Text, URL, Date, DateTime, Number, Integer).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.utils.dateparse import parse_date, parse_datetime

from claims.models import RatingScale
from tests.claims.test_claimreview_export import correct, tass_citing_hamas
from tests.factories import ClaimFactory, SourceFactory, default_rating, published_verdict

VOCABULARY = Path(__file__).resolve().parents[3] / "shared" / "data" / "schemaorg" / "schemaorg-current-https.jsonld"
# The feed's paging links: Hydra terms, defined in its own @context (claims.claimreview.FEED_CONTEXT).
LOCAL_TERMS = {"next", "previous"}


@dataclass(frozen=True)
class Vocabulary:
    parents: dict[str, set[str]]  # class -> direct superclasses
    domains: dict[str, set[str]]  # property -> domainIncludes
    ranges: dict[str, set[str]]  # property -> rangeIncludes
    superseded: set[str]

    def ancestors(self, name: str) -> set[str]:
        seen, todo = {name}, [name]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen


def _ids(value: Any) -> set[str]:
    values = value if isinstance(value, list) else [value] if value else []
    return {item["@id"].removeprefix("schema:") for item in values}


@cache
def vocabulary() -> Vocabulary:
    if not VOCABULARY.exists():
        pytest.skip(f"schema.org vocabulary not found at {VOCABULARY} (the shared data folder is absent)")
    graph = json.loads(VOCABULARY.read_text())["@graph"]
    parents, domains, ranges, superseded = {}, {}, {}, set()
    for node in graph:
        name = node["@id"].removeprefix("schema:")
        types = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if "rdfs:Class" in types:
            parents[name] = _ids(node.get("rdfs:subClassOf"))
        if "rdf:Property" in types:
            domains[name] = _ids(node.get("schema:domainIncludes"))
            ranges[name] = _ids(node.get("schema:rangeIncludes"))
        if node.get("schema:supersededBy"):
            superseded.add(name)
    return Vocabulary(parents, domains, ranges, superseded)


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _literal_fits(value: Any, ranges: set[str]) -> bool:
    """A JSON literal fits a range that names a data type it is written in."""
    if isinstance(value, bool):
        return "Boolean" in ranges
    if isinstance(value, (int, float)):
        return bool(ranges & {"Number", "Integer", "Float"})
    if not isinstance(value, str):
        return False
    return (
        "Text" in ranges
        or ("URL" in ranges and value.startswith(("http://", "https://")))
        or ("Date" in ranges and bool(DATE.match(value)) and parse_date(value) is not None)
        or ("DateTime" in ranges and "T" in value and parse_datetime(value) is not None)
    )


def problems(node: Any, path: str = "$", *, parent_range: set[str] | None = None) -> list[str]:
    """What in `node` (a JSON-LD document) is not schema.org, each with its path."""
    vocab = vocabulary()
    found: list[str] = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            found += problems(item, f"{path}[{index}]", parent_range=parent_range)
        return found
    if not isinstance(node, dict):
        return found
    kind = node.get("@type")
    if not isinstance(kind, str) or kind not in vocab.parents:
        return [f"{path}: @type {kind!r} is not a schema.org type"]
    if parent_range is not None and not (vocab.ancestors(kind) & parent_range):
        found.append(f"{path}: {kind} is not in the property's range {sorted(parent_range)}")
    lineage = vocab.ancestors(kind)
    for key, value in node.items():
        where = f"{path}.{key}"
        if key.startswith("@") or (path == "$" and key in LOCAL_TERMS):
            continue
        if key not in vocab.domains:
            found.append(f"{where}: not a schema.org property")
            continue
        if key in vocab.superseded:
            found.append(f"{where}: superseded in schema.org")
        if not (vocab.domains[key] & lineage):
            found.append(f"{where}: not a property of {kind} (domain {sorted(vocab.domains[key])})")
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            item_path = f"{where}[{index}]" if isinstance(value, list) else where
            if isinstance(item, dict):
                found += problems(item, item_path, parent_range=vocab.ranges[key])
            elif not _literal_fits(item, vocab.ranges[key]):
                found.append(f"{item_path}: {item!r} does not fit the range {sorted(vocab.ranges[key])}")
    return found


def test_the_checker_catches_what_is_not_schema_org():
    assert problems(
        {
            "@type": "ClaimReview",
            "claimReviewed": "x",
            "ratingValue": 3,  # a Rating's property on a review
            "verdict": "false",  # no such property
            "datePublished": "last week",  # not a Date
            "author": {"@type": "Rating"},  # not in author's range
            "itemReviewed": {"@type": "Claim", "appearance": "https://a.example/"},  # a URL where a CreativeWork goes
        }
    ) == [
        "$.ratingValue: not a property of ClaimReview (domain ['Rating'])",
        "$.verdict: not a schema.org property",
        "$.datePublished: 'last week' does not fit the range ['Date', 'DateTime']",
        "$.author: Rating is not in the property's range ['Organization', 'Person']",
        "$.itemReviewed.appearance: 'https://a.example/' does not fit the range ['CreativeWork']",
    ]


@pytest.mark.django_db
def test_every_property_and_type_we_emit_is_schema_org(anon_client):
    vocabulary()  # skips here, before any row is written, when the vocabulary is absent
    corrected = tass_citing_hamas()
    correct(corrected, note="The meeting began a day later.", rating=default_rating("mostly-false"))
    tass_citing_hamas_off_axis = ClaimFactory(claimant=SourceFactory(kind="person", homepage="https://p.example/"))
    published_verdict(tass_citing_hamas_off_axis, rating=default_rating("unverifiable"))
    truth_o_meter = RatingScale.objects.get(slug="truth-o-meter").ratings.get(slug="pants-fire")
    published_verdict(rating=truth_o_meter, textual_rating="Pants on Fire!")

    feed = anon_client.get("/api/v1/claimreview/?page_size=2").json()
    documents = [anon_client.get(f"/api/v1/claims/{claim}/claimreview/").json() for claim in (corrected.pk,)]

    emitted = json.dumps([feed, documents])
    for key in ("correction", "CorrectionComment", "sameAs", "appearance", "firstAppearance", "dateModified", "next"):
        assert key in emitted, f"the sample no longer emits {key}: the test would not check it"
    assert problems(feed) == []
    assert [problems(document) for document in documents] == [[]]
    assert problems(anon_client.get(feed["next"]).json()) == []

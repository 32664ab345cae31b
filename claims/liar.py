"""Reading the LIAR data set (Wang, 2017) and LIAR-PLUS (Alhindi et al., 2018) into plain rows, without the database.

LIAR is PolitiFact's statements with their Truth-O-Meter labels, as tab-separated files without a header:
id ("2635.json"), label, statement, subjects (comma-separated), speaker (a slug, "dwayne-bohac"), speaker's job
title, state, party, five counts of the speaker's earlier labels, and the context ("a mailer"). Quotes in the text
are literal characters, not CSV quoting: read with quoting on, a statement opening with a quote swallows the lines up
to the next quote and rows merge. So every line is split on tabs alone (csv.QUOTE_NONE).

LIAR-PLUS adds the justification (sentences from PolitiFact's ruling) and comes in two shapes:
- TSV: a leading row index, LIAR's 14 columns, the justification. It was written by a CSV writer that *did* quote
  fields containing quotes ("Says X ""said"" Y"): such fields are unwrapped here. Rows whose justification is
  missing have 15 columns; in test2.tsv each is followed by a stray line holding one tab, reported as malformed.
- JSONL: named fields, id json_file_id, label, claim, topics (a list), originator (the speaker), title (the job)
  and `party`, which holds the *state* (checked against LIAR: all 2,567 rows), no party, context or counts.

The mapping onto our records (rating, source, tags, evidence) is here too, as plain values; claims.management.
commands.import_liar resolves them to rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.text import slugify

# The labels, falsest first; the Truth-O-Meter scale's rating slugs are the same (claims/0002_rating_scales).
LIAR_LABELS = ("pants-fire", "false", "barely-true", "half-true", "mostly-true", "true")
TRUTH_O_METER = "truth-o-meter"
# PolitiFact's own wording where it differs from the rating's label on our scale (Verdict.textual_rating).
TEXTUAL_RATINGS = {"pants-fire": "Pants on Fire!", "barely-true": "Barely True"}

ORIGIN = "liar"
LIAR_URL = "https://www.cs.ucsb.edu/~william/data/liar_dataset.zip"
LIAR_PLUS_URL = "https://github.com/Tariq60/LIAR-PLUS"
PUBLISHER_NAME = "PolitiFact"
PUBLISHER_HOMEPAGE = "https://www.politifact.com/"

# LIAR has no dates: every imported verdict is dated the data set's release (v1.0, 23 April 2017, its README), so
# imports are deterministic and no label looks newer than the data set that carries it.
PUBLISHED_AT = dt.datetime(2017, 4, 23, tzinfo=dt.UTC)

LIAR_COLUMNS = 14
_ID = re.compile(r"^\d+\.json$")
_COUNT = re.compile(r"^\d*$")


@dataclass(frozen=True)
class LiarRow:
    """One statement of the data set, as read; `line` is where it starts in its file (1-based)."""

    id: str
    label: str
    statement: str
    subjects: tuple[str, ...] = ()
    speaker: str = ""
    job: str = ""
    state: str = ""
    party: str = ""
    context: str = ""
    justification: str = ""
    plus: bool = False  # read from LIAR-PLUS
    line: int = 0


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass
class ParseResult:
    rows: list[LiarRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def csv_unquote(value: str) -> str:
    """Undo a CSV writer's quoting of one field ("a ""b"" c" -> a "b" c); anything else is returned as it is."""
    if len(value) >= 2 and value[0] == value[-1] == '"' and '"' not in value[1:-1].replace('""', ""):
        return value[1:-1].replace('""', '"')
    return value


def _row(fields: list[str], line: int, *, justification: str = "", plus: bool = False) -> LiarRow | RowError:
    """LIAR's 14 columns (already unquoted) to a row, or what is wrong with them."""
    row_id, label, statement, subjects, speaker, job, state, party, *counts, context = (f.strip() for f in fields)
    if not _ID.match(row_id):
        return RowError(line, f"the id {row_id!r} is not like 2635.json")
    if label not in LIAR_LABELS:
        return RowError(line, f"unknown label {label!r} (expected one of {', '.join(LIAR_LABELS)})")
    if not statement:
        return RowError(line, "the statement is empty")
    if not all(_COUNT.match(count) for count in counts):
        return RowError(line, "columns 9-13 (the speaker's label counts) are not numbers: the columns are shifted")
    return LiarRow(
        id=row_id,
        label=label,
        statement=statement,
        subjects=tuple(s.strip() for s in subjects.split(",") if s.strip()),
        speaker=speaker,
        job=job,
        state=state,
        party=party,
        context=context,
        justification=justification.strip(),
        plus=plus,
        line=line,
    )


def parse_tsv(lines: Iterable[str]) -> Iterator[LiarRow | RowError]:
    """Rows of a LIAR (14 columns) or LIAR-PLUS (index, 14 columns, justification) TSV, told apart row by row."""
    for line, fields in enumerate(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
        if len(fields) == LIAR_COLUMNS:
            yield _row(fields, line)
        elif len(fields) in (LIAR_COLUMNS + 1, LIAR_COLUMNS + 2) and fields[0].strip().isdigit():
            fields = [csv_unquote(f) for f in fields[1:]]
            yield _row(fields[:LIAR_COLUMNS], line, justification="".join(fields[LIAR_COLUMNS:]), plus=True)
        elif not any(f.strip() for f in fields):
            yield RowError(line, "empty row")
        else:
            yield RowError(line, f"{len(fields)} columns; LIAR rows have 14, LIAR-PLUS rows 15 or 16")


def parse_jsonl(lines: Iterable[str]) -> Iterator[LiarRow | RowError]:
    """Rows of a LIAR-PLUS JSONL file (see the module docstring for its fields)."""
    for line, text in enumerate(lines, start=1):
        if not text.strip():
            yield RowError(line, "empty row")
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            yield RowError(line, f"not JSON: {error.msg}")
            continue
        if not isinstance(data, dict):
            yield RowError(line, "not a JSON object")
            continue
        topics = data.get("topics") or []
        if isinstance(topics, str):
            topics = topics.split(",")
        fields = [
            str(data.get("json_file_id") or ""),
            str(data.get("label") or ""),
            csv_unquote(str(data.get("claim") or "")),
            ",".join(str(t) for t in topics),
            str(data.get("originator") or ""),
            str(data.get("title") or ""),
            str(data.get("party") or ""),  # the state, despite the name
            "",
            *([""] * 5),
            "",
        ]
        yield _row(fields, line, justification=csv_unquote(str(data.get("justification") or "")), plus=True)


def parse_file(name: str, lines: Iterable[str]) -> Iterator[LiarRow | RowError]:
    return parse_jsonl(lines) if name.endswith((".jsonl", ".json")) else parse_tsv(lines)


# ---- mapping -------------------------------------------------------------------------------------------------------

# Speakers are slugs; these words in one make it an organisation (the Source kind), checked in this order.
_ORGANISATION_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "political_group",
        frozenset({"party", "gop", "democrats", "republicans", "dnc", "rnc", "pac", "campaign", "committee", "caucus"}),
    ),
    (
        "outlet",
        frozenset(
            {"news", "times", "post", "blog", "posting", "tv", "radio", "magazine", "journal", "tribune", "herald"}
        ),
    ),
    (
        "government",
        frozenset({"department", "administration", "agency", "commission", "county", "city", "government", "office"}),
    ),
    (
        "ngo",
        frozenset({"association", "foundation", "institute", "council", "coalition", "center", "fund", "union"}),
    ),
    (
        "other",
        frozenset(
            {"chain", "email", "emails", "facebook", "posts", "viral", "image", "twitter", "tweets", "group", "club"}
        ),
    ),
)

US_STATES = frozenset(
    s.lower()
    for s in [
        "Alabama",
        "Alaska",
        "Arizona",
        "Arkansas",
        "California",
        "Colorado",
        "Connecticut",
        "Delaware",
        "Florida",
        "Georgia",
        "Hawaii",
        "Idaho",
        "Illinois",
        "Indiana",
        "Iowa",
        "Kansas",
        "Kentucky",
        "Louisiana",
        "Maine",
        "Maryland",
        "Massachusetts",
        "Michigan",
        "Minnesota",
        "Mississippi",
        "Missouri",
        "Montana",
        "Nebraska",
        "Nevada",
        "Ohio",
        "Oklahoma",
        "Oregon",
        "Pennsylvania",
        "Tennessee",
        "Texas",
        "Utah",
        "Vermont",
        "Virginia",
        "Washington",
        "Wisconsin",
        "Wyoming",
    ]
) | frozenset(
    {
        "new hampshire",
        "new jersey",
        "new mexico",
        "new york",
        "north carolina",
        "north dakota",
        "rhode island",
        "south carolina",
        "south dakota",
        "west virginia",
        "washington state",
        "washington, d.c.",
        "washington d.c.",
        "washington dc",
        "district of columbia",
        "the united states",
    }
)


def speaker_name(slug: str) -> str:
    """'dwayne-bohac' -> 'Dwayne Bohac' (LIAR gives speakers as PolitiFact's URL slugs only)."""
    return " ".join(part[:1].upper() + part[1:] for part in slug.replace("_", "-").split("-") if part)


def speaker_kind(slug: str) -> str:
    """A person unless a word of the slug names an organisation (see _ORGANISATION_WORDS)."""
    words = set(slug.lower().replace("_", "-").split("-"))
    for kind, markers in _ORGANISATION_WORDS:
        if words & markers:
            return kind
    return "person"


def speaker_description(row: LiarRow) -> str:
    """The job title, party and state in one documented form: 'State representative; party: republican; state:
    Texas' (parts that are empty are left out; Source has no fields for party or state)."""
    parts = [row.job] if row.job else []
    if row.party and row.party.lower() != "none":
        parts.append(f"party: {row.party}")
    if row.state:
        parts.append(f"state: {row.state}")
    return "; ".join(parts)[:300]


def speaker_country(row: LiarRow) -> str:
    """US when the state column names a US state (or DC), else unknown: the column also holds 'Russia', 'Qatar'."""
    return "US" if row.state.strip().lower() in US_STATES else ""


def tags(row: LiarRow) -> list[str]:
    """Subjects as tags: slugified, at most 64 characters (Claim.tags), in their order, without repeats."""
    return list(dict.fromkeys(t for t in (slugify(s)[:64] for s in row.subjects) if t))


def evidence_note(row: LiarRow) -> str:
    data_set = "LIAR-PLUS data set (Alhindi et al., 2018)" if row.plus else "LIAR data set (Wang, 2017)"
    note = f"PolitiFact label via the {data_set}, row {row.id}."
    if row.context:
        note += f" Context: {row.context}."
    return note


def evidence(row: LiarRow) -> dict[str, str]:
    """What the imported verdict rests on: the data set the label came from (LIAR has no review addresses)."""
    return {
        "url": LIAR_PLUS_URL if row.plus else LIAR_URL,
        "title": "LIAR-PLUS (Alhindi et al., 2018)" if row.plus else "LIAR (Wang, 2017)",
        "stance": "context",
        "note": evidence_note(row),
    }

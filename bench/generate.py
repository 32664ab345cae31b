"""The benchmark's data set: deterministic, seeded, loaded through COPY into a migrated database.

    python -m bench.generate --size S|M|L|<claims> --seed 1 --database-url postgres://...

Sizes S, M and L are 10k, 100k and 1M claims, each with its appearance and attribution chain (1 to 3 hops: an
outlet quotes a person, or cites an agency that cites a ministry), values (quantity and date intervals) on about a
third, and about 80% published with a current verdict (some with a superseded first version) whose claim_snapshot is
built here in the shape claims.snapshot.claim_snapshot() gives (tests/bench/test_generate.py compares them); the rest
are new, triaged, researching or in review, some with an unpublished draft.

Text is real English: the statements of the LIAR data set (../shared/data/liar/*.tsv, or $BENCH_LIAR_DIR), verbatim
on the first pass through them and spliced from two statements (first half of one, second half of another) after,
so term frequencies stay those of real text. Without the files only tiny sets (tests) can be built, from a few
sentences below.

Same seed and size on the same migrated database give byte-identical rows: ids are assigned here from each table's
maximum, times derive from a fixed epoch, and one random.Random drives everything in claim order.

Loading: every row goes through COPY inside one transaction with `session_replication_role = replica`, which turns
off triggers but not CHECK, UNIQUE or EXCLUDE constraints. Triggers are pghistory's audit inserts (one event row per
row, which roughly doubles the write and is the import path's cost, measured separately as E8) and the deferred
foreign-key checks, which validate_foreign_keys() then does itself, one anti-join per foreign key of the loaded
tables, before the transaction commits. `--audit` keeps every trigger instead (and the audit trail), and
the indexes, which the default load drops (but for the unique and exclusion ones) and builds again at the end.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

SIZES = {"S": 10_000, "M": 100_000, "L": 1_000_000}
# Beyond this many claims the built-in sentences would repeat too often to be realistic text.
FALLBACK_MAX_CLAIMS = 1_000
BATCH = 10_000
LIAR_DIR = Path(os.environ.get("BENCH_LIAR_DIR", Path(__file__).resolve().parents[2] / "shared" / "data" / "liar"))
EPOCH = dt.datetime(2007, 1, 1, tzinfo=dt.UTC)
DAYS = 18 * 365
UTC = dt.UTC

# Real sentences (LIAR statements) for tiny sets when the data set is absent: (statement, subjects, speaker, job).
FALLBACK_ROWS = (
    (
        "Says the Annies List political group supports third-trimester abortions on demand.",
        "abortion",
        "dwayne-bohac",
        "State representative",
    ),
    (
        "Health care reform legislation is likely to mandate free sex change surgeries.",
        "health-care",
        "blog-posting",
        "",
    ),
    ("The economic turnaround started at the end of my term.", "economy,jobs", "charlie-crist", ""),
    (
        "The Chicago Bears have had more starting quarterblacks in the last 10 years than the total number of tenured "
        "(UW) faculty fired during the last two decades.",
        "education",
        "robin-vos",
        "Wisconsin Assembly speaker",
    ),
    (
        "Jim Dunnam has not lived in the district he represents for years now.",
        "candidates-biography",
        "republican-party-texas",
        "",
    ),
    (
        "I'm the only person on this stage who has worked actively just last year passing, along with Russ Feingold, "
        "some of the toughest ethics reform since Watergate.",
        "ethics",
        "barack-obama",
        "President",
    ),
    (
        "However, it took $19.5 million in Oregon Lottery funds for the Port of Newport to eventually land the new "
        "NOAA Marine Operations Center-Pacific.",
        "jobs",
        "oregon-lottery",
        "",
    ),
    (
        "Says GOP primary opponents Glenn Grothman and Joe Leibham cast a compromise vote that cost $788 million in "
        "higher electricity costs.",
        "energy,message-machine-2014",
        "duey-stroebel",
        "State representative",
    ),
    (
        "For the first time in history, the share of the national gross domestic product from federal spending is "
        "less than 20 percent of that from state and local spending.",
        "economy,federal-budget",
        "mitt-romney",
        "Former governor",
    ),
    (
        "Since 2000, nearly 12 million Americans have slipped out of the middle class and into poverty.",
        "economy,poverty",
        "hillary-clinton",
        "Presidential candidate",
    ),
    (
        "When Mitt Romney was governor of Massachusetts, we didnt just slow the rate of growth of our government, "
        "we actually cut it.",
        "history,state-budget",
        "kerry-healey",
        "",
    ),
    (
        "The number of illegal immigrants could be 3 million. It could be 30 million.",
        "immigration",
        "donald-trump",
        "President-Elect",
    ),
)

GOVERNMENTS = (
    ("United States", "US"),
    ("United Kingdom", "GB"),
    ("France", "FR"),
    ("Germany", "DE"),
    ("Italy", "IT"),
    ("Spain", "ES"),
    ("Canada", "CA"),
    ("Australia", "AU"),
    ("India", "IN"),
    ("Japan", "JP"),
    ("Brazil", "BR"),
    ("Mexico", "MX"),
    ("Russia", "RU"),
    ("Ukraine", "UA"),
    ("Israel", "IL"),
    ("Turkey", "TR"),
)
MINISTRIES = (
    "Ministry of Health",
    "Ministry of Defence",
    "Ministry of Finance",
    "Ministry of the Interior",
    "Ministry of Foreign Affairs",
    "Ministry of Education",
    "Ministry of Labour",
    "Ministry of Energy",
    "Statistics Office",
    "Central Bank",
)
AGENCIES = (
    "Reuters",
    "Associated Press",
    "Agence France-Presse",
    "TASS",
    "Xinhua",
    "ANSA",
    "EFE",
    "dpa",
    "Kyodo News",
    "Press Trust of India",
    "Anadolu Agency",
    "Yonhap",
)
INTERNATIONAL = (
    ("World Health Organization", "international_body"),
    ("United Nations", "international_body"),
    ("International Monetary Fund", "international_body"),
    ("Amnesty International", "ngo"),
    ("Human Rights Watch", "ngo"),
    ("Doctors Without Borders", "ngo"),
)
CITIES = (
    "Austin",
    "Boston",
    "Chicago",
    "Dallas",
    "Denver",
    "Detroit",
    "Houston",
    "Miami",
    "Milwaukee",
    "Nashville",
    "Orlando",
    "Portland",
    "Richmond",
    "Sacramento",
    "Seattle",
    "Tampa",
    "Phoenix",
    "Atlanta",
    "Cleveland",
    "Tulsa",
)
PAPERS = ("Herald", "Tribune", "Courier", "Gazette", "Post", "Chronicle", "Ledger", "Observer", "Sentinel", "Times")
UNITS = ("people", "dollars", "jobs", "percent", "votes", "students", "acres", "barrels")
DESK_USERS = 8


@dataclass(frozen=True)
class Row:
    statement: str
    subjects: tuple[str, ...]
    speaker: str
    job: str


@dataclass
class Stats:
    claims: int
    rows: dict[str, int] = field(default_factory=dict)
    # Seconds spent building rows in Python, in each table's COPY, and checking foreign keys.
    phases: dict[str, float] = field(default_factory=dict)
    indexes: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def summary(self) -> str:
        rate = self.total_rows / self.seconds if self.seconds else 0.0
        tables = ", ".join(f"{table} {count}" for table, count in self.rows.items())
        slowest = ", ".join(
            f"{name} {seconds:.1f}" for name, seconds in sorted(self.indexes.items(), key=lambda kv: -kv[1])[:4]
        )
        phases = ", ".join(f"{phase} {seconds:.1f}" for phase, seconds in self.phases.items())
        return (
            f"{self.claims} claims, {self.total_rows} rows in {self.seconds:.1f} s "
            f"({rate:,.0f} rows/s, {self.claims / self.seconds if self.seconds else 0:,.0f} claims/s): {tables}; "
            f"seconds: {phases}; slowest indexes: {slowest}"
        )


def size_claims(size: str) -> int:
    if size.upper() in SIZES:
        return SIZES[size.upper()]
    claims = int(size)
    if claims < 1:
        raise ValueError("size must be S, M, L or a positive number of claims")
    return claims


def load_corpus(claims: int, liar_dir: Path = LIAR_DIR) -> list[Row]:
    """LIAR's statements in file order (train, valid, test); the built-in sentences only for tiny sets."""
    files = sorted(liar_dir.glob("*.tsv")) if liar_dir.is_dir() else []
    if not files:
        if claims > FALLBACK_MAX_CLAIMS:
            raise SystemExit(
                f"bench.generate: the LIAR statements are needed for more than {FALLBACK_MAX_CLAIMS} claims and "
                f"{liar_dir} has no *.tsv; put the data set there or point BENCH_LIAR_DIR at it."
            )
        return [Row(s, tuple(t for t in subj.split(",") if t), sp, job) for s, subj, sp, job in FALLBACK_ROWS]
    rows = []
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            # Quotes are literal characters in LIAR (claims/liar.py): split on tabs alone.
            for cells in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(cells) < 6 or not cells[2].strip():
                    continue
                subjects = tuple(t[:64] for t in cells[3].split(",") if t)
                rows.append(Row(" ".join(cells[2].split()), subjects, cells[4].strip(), cells[5].strip()[:300]))
    return rows


def slug(text: str, words: int = 8) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())[:words]) or "item"


def person_name(speaker: str) -> str:
    return " ".join(part.capitalize() for part in speaker.split("-") if part)


def iso(moment: dt.datetime) -> str:
    """As DRF's DateTimeField renders an aware UTC time (claims.snapshot stores the rendered JSON)."""
    return moment.isoformat().replace("+00:00", "Z")


class Generator:
    """Builds the rows; `ids` are each table's first free id, read by load() from the database."""

    def __init__(self, *, claims: int, seed: int, corpus: list[Row], ids: dict[str, int], ratings: list[int]):
        self.claims = claims
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        self.corpus = corpus
        self.order = list(range(len(corpus)))
        self.rng.shuffle(self.order)
        self.ids = ids
        # The default scale's ratings, truest first; the last is Unverifiable.
        self.ratings = ratings
        self.sources: list[tuple] = []
        self.source_info: dict[int, dict[str, Any]] = {}
        self.users: list[int] = []
        # Rows of the per-claim tables already handed out in earlier batches, for their ids.
        self.done = {"attribution": 0, "value": 0, "evidence": 0, "verdict": 0}

    # --- fixed cast -------------------------------------------------------------------------------------------
    def _source(
        self,
        name: str,
        kind: str,
        *,
        description: str = "",
        country: str = "",
        parent: int | None = None,
        homepage: str = "",
    ) -> int:
        source_id = self.ids["source"] + len(self.sources)
        created = EPOCH - dt.timedelta(days=30)
        self.sources.append(
            (source_id, name, kind, description[:300], country, [], parent, "", homepage, created, created)
        )
        self.source_info[source_id] = {
            "id": source_id,
            "name": name,
            "kind": kind,
            "domain": slug(name, 3) + ".example",
        }
        return source_id

    def build_sources(self) -> None:
        self.governments = []
        self.ministries = []
        for country, code in GOVERNMENTS:
            government = self._source(f"Government of {country}", "government", country=code)
            self.governments.append(government)
            for ministry in MINISTRIES:
                self.ministries.append(
                    self._source(f"{ministry} ({code})", "ministry", country=code, parent=government)
                )
        self.agencies = [self._source(name, "news_agency") for name in AGENCIES]
        self.international = [self._source(name, kind) for name, kind in INTERNATIONAL]
        self.outlets = [
            self._source(
                f"The {city} {paper}",
                "outlet",
                country="US",
                homepage=f"https://www.{slug(city + ' ' + paper)}.example/",
            )
            for city in CITIES
            for paper in PAPERS
        ]
        self.people: dict[str, int] = {}
        seen: set[str] = set()
        for row in self.corpus:
            name = person_name(row.speaker)
            if row.speaker in self.people or not name or name.lower() in seen:
                continue
            seen.add(name.lower())
            self.people[row.speaker] = self._source(name[:200], "person", description=row.job, country="US")
        self.people_ids = list(self.people.values())

    def build_users(self, existing: dict[str, int]) -> list[tuple]:
        rows = []
        next_id = self.ids["user"]
        for n in range(1, DESK_USERS + 1):
            username = f"bench-checker-{n:02d}"
            if username in existing:
                self.users.append(existing[username])
                continue
            rows.append((next_id, "!", None, False, username, "Bench", f"Checker {n}", "", True, True, EPOCH))
            self.users.append(next_id)
            next_id += 1
        return rows

    # --- per claim --------------------------------------------------------------------------------------------
    def statement(self, i: int) -> tuple[str, Row]:
        n = len(self.corpus)
        row = self.corpus[self.order[i % n]]
        if i < n:
            return row.statement, row
        other = self.corpus[self.order[(i * 7919 + i // n) % n]]
        a, b = row.statement.split(), other.statement.split()
        return " ".join(a[: max(1, len(a) // 2)] + b[len(b) // 2 :]), row

    def brief_appearance(self, appearance: tuple) -> dict[str, Any]:
        return {
            "id": appearance[0],
            "url": appearance[1],
            "title": appearance[2],
            "publisher_name": self.source_info[appearance[3]]["name"] if appearance[3] else None,
            "published_on": appearance[4].isoformat() if appearance[4] else None,
        }

    def brief_source(self, source_id: int) -> dict[str, Any]:
        info = self.source_info[source_id]
        return {"id": info["id"], "name": info["name"], "kind": info["kind"]}

    def chain(self, speaker: int) -> list[tuple[int, str, str]]:
        """(source, relation, quote_excerpt) from the page outwards."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            return [(speaker, "publishes", "")]
        outlet = rng.choice(self.outlets)
        if roll < 0.75:
            relation = rng.choice(("quotes", "paraphrases"))
            return [(outlet, relation, ""), (speaker, "publishes", "")]
        agency = rng.choice(self.agencies)
        name = self.source_info[agency]["name"]
        if roll < 0.87:
            return [(outlet, "cites", f"according to {name}"), (agency, "quotes", ""), (speaker, "publishes", "")]
        body = rng.choice(self.ministries if roll < 0.97 else self.international)
        last = "publishes" if roll < 0.95 else "cites_unnamed"
        body_name = self.source_info[body]["name"]
        return [(outlet, "cites", f"{name} reported"), (agency, "cites", f"citing the {body_name}"), (body, last, "")]

    def value(self, value_id: int, claim_id: int, kind: str, claim_date: dt.date) -> tuple[tuple, dict[str, Any]]:
        rng = self.rng
        if kind == "quantity":
            n = rng.choice((10, 25, 100, 250, 1000, 5000, 20000, 1000000)) * rng.randint(1, 9)
            unit = rng.choice(UNITS)
            qualifier = rng.choice(
                ("exact", "about", "nearly", "more_than", "at_least", "less_than", "at_most", "between")
            )
            low, high, low_inc, high_inc, words = {
                "exact": (n, n, True, True, f"{n:,}"),
                "about": (n * 9 // 10, n * 11 // 10, True, True, f"about {n:,}"),
                "nearly": (n * 9 // 10, n, True, False, f"nearly {n:,}"),
                "more_than": (n, None, False, False, f"more than {n:,}"),
                "at_least": (n, None, True, False, f"at least {n:,}"),
                "less_than": (None, n, False, False, f"less than {n:,}"),
                "at_most": (None, n, False, True, f"at most {n:,}"),
                "between": (n, n * 2, True, True, f"between {n:,} and {n * 2:,}"),
            }[qualifier]
            text = f"{'[' if low_inc else '('}{'' if low is None else low},{'' if high is None else high}" + (
                "]" if high_inc else ")"
            )
            row = (value_id, claim_id, "quantity", f"{words} {unit}", text, None, qualifier, unit, "", None, "")
            low_s, high_s = (None if low is None else str(low)), (None if high is None else str(high))
            precision = ""
        else:
            precision = rng.choice(("day", "month", "year"))
            day = claim_date - dt.timedelta(days=rng.randint(0, 3000))
            if precision == "day":
                first, after, words = day, day + dt.timedelta(days=1), f"on {day.day} {day:%B %Y}"
            elif precision == "month":
                first = day.replace(day=1)
                after = (first + dt.timedelta(days=32)).replace(day=1)
                words = f"in {day:%B %Y}"
            else:
                first, after, words = (
                    day.replace(month=1, day=1),
                    day.replace(year=day.year + 1, month=1, day=1),
                    f"in {day.year}",
                )
            row = (value_id, claim_id, "date", words, None, f"[{first},{after})", "exact", "", precision, None, "")
            low_s, high_s, low_inc, high_inc, unit, qualifier = (
                first.isoformat(),
                after.isoformat(),
                True,
                False,
                "",
                "exact",
            )
        document = {
            "id": value_id,
            "kind": row[2],
            "expression": row[3],
            "low": low_s,
            "high": high_s,
            "low_inclusive": low_inc,
            "high_inclusive": high_inc,
            "qualifier": qualifier,
            "unit": unit,
            "precision": precision,
            "as_of": None,
            "place": "",
        }
        return row, document

    def batch(self, start: int, stop: int) -> dict[str, list[tuple]]:
        rng = self.rng
        out: dict[str, list[tuple]] = {
            t: [] for t in ("appearance", "claim", "attribution", "value", "evidence", "verdict")
        }
        for i in range(start, stop):
            claim_id = self.ids["claim"] + i
            appearance_id = self.ids["appearance"] + i
            text, row = self.statement(i)
            speaker = self.people.get(row.speaker) or rng.choice(self.people_ids)
            claim_date = (EPOCH + dt.timedelta(days=rng.randrange(DAYS))).date()
            created = dt.datetime.combine(
                claim_date, dt.time(rng.randrange(24), rng.randrange(60)), UTC
            ) + dt.timedelta(days=rng.randint(0, 3))
            hops = self.chain(speaker)
            publisher = hops[0][0]
            domain = self.source_info[publisher]["domain"]
            url = f"https://www.{domain}/{claim_date:%Y/%m/%d}/{slug(text)}-{appearance_id}"
            appearance = (appearance_id, url, text[:500], publisher, claim_date, "en", None, "", "", created, created)
            out["appearance"].append(appearance)
            roll = rng.random()
            kind = (
                "quantity"
                if roll < 0.25
                else "date_event"
                if roll < 0.35
                else "quote"
                if roll < 0.6
                else rng.choice(("status", "other"))
            )
            quote = text if kind == "quote" else ""
            published = rng.random() < 0.8
            status = "published" if published else rng.choice(("new", "triaged", "researching", "in_review"))
            claimant = hops[-1][0]
            tags = list(row.subjects)
            # Attributions
            hop_docs = []
            for position, (source, relation, excerpt) in enumerate(hops):
                out["attribution"].append(
                    (
                        self.ids["attribution"] + len(out["attribution"]) + self.done["attribution"],
                        claim_id,
                        appearance_id,
                        position,
                        source,
                        relation,
                        excerpt,
                    )
                )
                hop_docs.append(
                    {
                        "position": position,
                        "source": self.brief_source(source),
                        "relation": relation,
                        "quote_excerpt": excerpt,
                    }
                )
            brief = self.brief_appearance(appearance)
            origin = hops[-1][0] if hops[-1][1] == "publishes" else None
            chains = [
                {
                    "appearance": brief,
                    "hops": hop_docs,
                    "origin": {"id": origin, "name": self.source_info[origin]["name"]} if origin else None,
                }
            ]
            # Values
            value_docs = []
            if kind in ("quantity", "date_event"):
                for _ in range(1 if rng.random() < 0.8 else 2):
                    value_id = self.ids["value"] + len(out["value"]) + self.done["value"]
                    value_row, document = self.value(
                        value_id, claim_id, "quantity" if kind == "quantity" else "date", claim_date
                    )
                    out["value"].append(value_row)
                    value_docs.append(document)
            author, approver = rng.sample(self.users, 2)
            drafted = created + dt.timedelta(days=rng.randint(1, 10), minutes=rng.randrange(600))
            # Evidence (published claims, and some in research)
            evidence_docs = []
            if published or status in ("researching", "in_review"):
                for _ in range(rng.randint(1, 3)):
                    evidence_id = self.ids["evidence"] + len(out["evidence"]) + self.done["evidence"]
                    body = rng.choice(self.ministries + self.international)
                    other = self.corpus[rng.randrange(len(self.corpus))].statement
                    title = " ".join(other.split()[:10])[:500]
                    stance = rng.choice(("supports", "refutes", "context"))
                    evidence_url = f"https://www.{self.source_info[body]['domain']}/reports/{evidence_id}"
                    added = drafted - dt.timedelta(hours=1)
                    out["evidence"].append(
                        (evidence_id, claim_id, evidence_url, None, title, stance, "", "", author, added)
                    )
                    evidence_docs.append(
                        {
                            "id": evidence_id,
                            "url": evidence_url,
                            "appearance": None,
                            "title": title,
                            "stance": stance,
                            "note": "",
                            "archive_url": "",
                            "created_at": iso(added),
                        }
                    )
            updated = created
            if published:
                snapshot = json.dumps(
                    {
                        "statement": text,
                        "quote": quote,
                        "kind": kind,
                        "claimant": self.brief_source(claimant),
                        "claim_date": claim_date.isoformat(),
                        "language": "en",
                        "tags": tags,
                        "question": None,
                        "first_appearance": brief,
                        "attributions": chains,
                        "values": value_docs,
                        "evidence": evidence_docs,
                    },
                    ensure_ascii=False,
                    separators=(",", ":"),
                )
                versions = 1 if rng.random() < 0.9 else 2
                approved = drafted + dt.timedelta(days=1, minutes=rng.randrange(600))
                published_at = approved + dt.timedelta(minutes=rng.randint(5, 120))
                for version in range(1, versions + 1):
                    rating = self.ratings[min(int(rng.random() ** 0.7 * len(self.ratings)), len(self.ratings) - 1)]
                    explanation = " ".join(self.corpus[rng.randrange(len(self.corpus))].statement for _ in range(3))
                    summary = self.corpus[rng.randrange(len(self.corpus))].statement[:300]
                    later = version < versions
                    superseded = published_at + dt.timedelta(days=rng.randint(30, 300)) if later else None
                    correction = "" if version == 1 else rng.choice(("rating_changed", "update"))
                    note = "" if version == 1 else "Updated with new figures."
                    verdict_id = self.ids["verdict"] + len(out["verdict"]) + self.done["verdict"]
                    out["verdict"].append(
                        (
                            verdict_id,
                            claim_id,
                            version,
                            rating,
                            summary,
                            explanation,
                            author,
                            approver,
                            approved,
                            published_at,
                            superseded,
                            correction,
                            note,
                            None,
                            "",
                            "",
                            snapshot,
                            drafted,
                            superseded or published_at,
                        )
                    )
                    updated = published_at
                    if later:
                        drafted = superseded - dt.timedelta(days=2)
                        approved = superseded - dt.timedelta(hours=3)
                        published_at = superseded
            elif status in ("researching", "in_review") and rng.random() < 0.7:
                verdict_id = self.ids["verdict"] + len(out["verdict"]) + self.done["verdict"]
                summary = self.corpus[rng.randrange(len(self.corpus))].statement[:300]
                out["verdict"].append(
                    (
                        verdict_id,
                        claim_id,
                        1,
                        rng.choice(self.ratings),
                        summary,
                        "",
                        author,
                        None,
                        None,
                        None,
                        None,
                        "",
                        "",
                        None,
                        "",
                        "",
                        None,
                        drafted,
                        drafted,
                    )
                )
                updated = drafted
            out["claim"].append(
                (
                    claim_id,
                    text,
                    quote,
                    kind,
                    claimant,
                    claim_date,
                    "en",
                    tags,
                    status,
                    author if status in ("researching", "in_review") else None,
                    None,
                    appearance_id,
                    "",
                    "",
                    None,
                    created,
                    updated,
                )
            )
        for table in ("attribution", "value", "evidence", "verdict"):
            self.done[table] += len(out[table])
        return out


COLUMNS = {
    "user": (
        "auth_user",
        "id, password, last_login, is_superuser, username, first_name, last_name, email, "
        "is_staff, is_active, date_joined",
    ),
    "source": (
        "sources_source",
        "id, name, kind, description, country, aliases, parent_id, wikidata_id, homepage, created_at, updated_at",
    ),
    "appearance": (
        "sources_appearance",
        "id, url, title, publisher_id, published_on, language, retrieved_at, "
        "content_hash, archive_url, created_at, updated_at",
    ),
    "claim": (
        "claims_claim",
        "id, statement, quote, kind, claimant_id, claim_date, language, tags, status, "
        "assignee_id, question_id, first_appearance_id, external_origin, external_id, created_by_id, "
        "created_at, updated_at",
    ),
    "attribution": ("claims_attribution", "id, claim_id, appearance_id, position, source_id, relation, quote_excerpt"),
    "value": (
        "claims_claimvalue",
        "id, claim_id, kind, expression, quantity, dates, qualifier, unit, precision, as_of, place",
    ),
    "evidence": (
        "claims_evidence",
        "id, claim_id, url, appearance_id, title, stance, note, archive_url, added_by_id, created_at",
    ),
    "verdict": (
        "claims_verdict",
        "id, claim_id, version, rating_id, summary, explanation, author_id, approver_id, "
        "approved_at, published_at, superseded_at, correction_kind, correction_note, publisher_id, "
        "review_url, textual_rating, claim_snapshot, created_at, updated_at",
    ),
}
LOADED_TABLES = tuple(table for table, _columns in COLUMNS.values())


def copy_rows(cursor: psycopg.Cursor, key: str, rows: list[tuple]) -> None:
    if not rows:
        return
    table, columns = COLUMNS[key]
    with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table), sql.SQL(columns))) as copy:
        for row in rows:
            copy.write_row(row)


# Tables that grow with the claims: their plain indexes are dropped for the load and built again after it.
REBUILT_TABLES = (
    "sources_appearance",
    "claims_claim",
    "claims_attribution",
    "claims_claimvalue",
    "claims_evidence",
    "claims_verdict",
)


def drop_plain_indexes(cursor: psycopg.Cursor, tables: tuple[str, ...] = REBUILT_TABLES) -> list[str]:
    """Drop the indexes no constraint rests on (GIN full text and trigram, GiST, btree), returning their definitions.

    Building a GIN index once over sorted entries is many times faster than inserting row by row; the unique and
    exclusion indexes stay, so every constraint is still checked as the rows arrive. Transactional DDL: a failed
    load leaves the indexes as they were.
    """
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """,
        [list(tables)],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    return [definition for _name, definition in indexes]


def validate_foreign_keys(cursor: psycopg.Cursor, tables: tuple[str, ...] = LOADED_TABLES) -> None:
    """What the FK triggers would have checked: every single-column foreign key of these tables points at a row."""
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, fa.attname
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.conrelid::regclass::text = ANY(%s)
        ORDER BY 1, 2
        """,
        [list(tables)],
    )
    for table, column, target, target_column in cursor.fetchall():
        cursor.execute(
            sql.SQL(
                "SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "
                "(SELECT 1 FROM {target} p WHERE p.{target_column} = t.{column})"
            ).format(
                table=sql.Identifier(table),
                column=sql.Identifier(column),
                target=sql.Identifier(target),
                target_column=sql.Identifier(target_column),
            )
        )
        (dangling,) = cursor.fetchone()
        if dangling:
            raise psycopg.errors.ForeignKeyViolation(f"{dangling} rows of {table}.{column} point at no {target} row")


def load(conn: psycopg.Connection, *, claims: int, seed: int, audit: bool = False, liar_dir: Path = LIAR_DIR) -> Stats:
    """Generate and COPY the data set in the connection's current transaction (the caller commits)."""
    started = time.perf_counter()
    corpus = load_corpus(claims, liar_dir)
    stats = Stats(claims=claims)
    with conn.cursor() as cursor:
        if not audit:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        # With --audit the load keeps the write path's every cost, index upkeep row by row included (and the deferred
        # FK checks queued by then would forbid CREATE INDEX in this transaction anyway).
        dropped = [] if audit else drop_plain_indexes(cursor)
        ids = {}
        for key, (table, _columns) in COLUMNS.items():
            cursor.execute(sql.SQL("SELECT coalesce(max(id), 0) + 1 FROM {}").format(sql.Identifier(table)))
            ids[key] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT r.id FROM claims_rating r JOIN claims_ratingscale s ON s.id = r.scale_id "
            "WHERE s.is_default ORDER BY r.ordinal DESC"
        )
        ratings = [row[0] for row in cursor.fetchall()]
        if not ratings:
            raise SystemExit("bench.generate: no default rating scale; is the database migrated?")
        cursor.execute("SELECT username, id FROM auth_user WHERE username LIKE 'bench-checker-%%'")
        existing = dict(cursor.fetchall())
        generator = Generator(claims=claims, seed=seed, corpus=corpus, ids=ids, ratings=ratings)
        users = generator.build_users(existing)
        generator.build_sources()
        copy_rows(cursor, "user", users)
        copy_rows(cursor, "source", generator.sources)
        stats.rows = {"user": len(users), "source": len(generator.sources)}
        for start in range(0, claims, BATCH):
            built = time.perf_counter()
            batch = generator.batch(start, min(claims, start + BATCH))
            stats.phases["build"] = stats.phases.get("build", 0.0) + time.perf_counter() - built
            for key, rows in batch.items():
                copied = time.perf_counter()
                copy_rows(cursor, key, rows)
                stats.phases[key] = stats.phases.get(key, 0.0) + time.perf_counter() - copied
                stats.rows[key] = stats.rows.get(key, 0) + len(rows)
        indexed = time.perf_counter()
        for definition in dropped:
            one = time.perf_counter()
            cursor.execute(definition)
            stats.indexes[definition.split()[2]] = time.perf_counter() - one
        stats.phases["indexes"] = time.perf_counter() - indexed
        if not audit:
            checked = time.perf_counter()
            validate_foreign_keys(cursor)
            stats.phases["fk check"] = time.perf_counter() - checked
        for table, _columns in COLUMNS.values():
            cursor.execute(
                sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), (SELECT max(id) FROM {}))").format(
                    sql.Literal(table), sql.Identifier(table)
                )
            )
    stats.seconds = time.perf_counter() - started
    return stats


def dump_digest(conn: psycopg.Connection, tables: tuple[str, ...] = LOADED_TABLES) -> str:
    """SHA-256 of the loaded tables' rows in id order, as PostgreSQL prints them."""
    digest = hashlib.sha256()
    with conn.cursor() as cursor:
        for table in tables:
            with cursor.copy(
                sql.SQL("COPY (SELECT * FROM {} ORDER BY id) TO STDOUT").format(sql.Identifier(table))
            ) as copy:
                for chunk in copy:
                    digest.update(chunk)
    return digest.hexdigest()


def recreate_database(url: str) -> None:
    """Drop the database named in `url` and create it empty, from the server's `postgres` database."""
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    name = params["dbname"]
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def marker(claims: int, seed: int) -> str:
    """What COMMENT ON DATABASE records once a load committed: the size and seed the database holds."""
    return f"bench.generate claims={claims} seed={seed}"


def loaded_marker(url: str) -> str | None:
    """The database's marker, or None when it does not exist or has none."""
    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            row = conn.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
            ).fetchone()
    except psycopg.OperationalError:
        return None
    return row[0] if row else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="S", help="S (10k claims), M (100k), L (1M) or a number of claims")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--audit", action="store_true", help="keep the audit and FK triggers on while loading")
    parser.add_argument("--no-migrate", action="store_true", help="skip `manage.py migrate`")
    parser.add_argument(
        "--recreate-database",
        action="store_true",
        help="drop the database and create it empty first (every row in it is lost): the data set alone, every time",
    )
    parser.add_argument(
        "--skip-if-loaded",
        action="store_true",
        help="do nothing when the database already holds this size and seed (its COMMENT says so)",
    )
    parser.add_argument(
        "--small-without-liar",
        action="store_true",
        help=f"without the LIAR files, load {FALLBACK_MAX_CLAIMS} claims instead of failing (smoke runs, clean CI)",
    )
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")
    claims = size_claims(args.size)
    if args.small_without_liar and claims > FALLBACK_MAX_CLAIMS and not any(LIAR_DIR.glob("*.tsv")):
        print(f"bench.generate: no LIAR statements in {LIAR_DIR}: loading {FALLBACK_MAX_CLAIMS} claims, not {claims}")
        claims = FALLBACK_MAX_CLAIMS
    url = args.database_url.replace("postgres://", "postgresql://", 1)
    if args.skip_if_loaded and loaded_marker(url) == marker(claims, args.seed):
        print(f"bench.generate: the database already holds {claims} claims of seed {args.seed}; nothing to do")
        return 0
    root = Path(__file__).resolve().parents[1]
    if args.recreate_database:
        recreate_database(args.database_url.replace("postgres://", "postgresql://", 1))
    if not args.no_migrate:
        env = {**os.environ, "DATABASE_URL": args.database_url}
        env.setdefault("DJANGO_SECRET_KEY", "bench-generate-only-" + "0123456789" * 5)
        subprocess.run(  # noqa: S603 - our own interpreter and manage.py, fixed arguments
            [sys.executable, str(root / "manage.py"), "migrate", "--noinput", "-v", "0"], env=env, check=True
        )
    with psycopg.connect(url) as conn:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM claims_claim")
            if cursor.fetchone()[0]:
                print("bench.generate: note: claims_claim is not empty; ids continue after the existing rows")
        stats = load(conn, claims=claims, seed=args.seed, audit=args.audit)
        commit_started = time.perf_counter()
    stats.seconds += time.perf_counter() - commit_started
    with psycopg.connect(url, autocommit=True) as conn:
        # Fresh statistics and visibility maps, so the benchmarks that follow see the plans (index-only scans
        # included) a settled database would get once autovacuum has been by.
        conn.execute("VACUUM (ANALYZE) " + ", ".join(LOADED_TABLES))
        # Only a database loaded from empty holds exactly this size and seed.
        name = conn.info.dbname
        comment = marker(claims, args.seed) if args.recreate_database else None
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(comment)))
    print(stats.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())

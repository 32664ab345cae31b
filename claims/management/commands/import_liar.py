"""manage.py import_liar FILE... --as EDITOR [--batch N] [--one-by-one]: the LIAR / LIAR-PLUS data sets as published
PolitiFact verdicts on the Truth-O-Meter scale (how rows map: claims.liar; how reviews import: claims.services.imports).

Idempotent: a statement already imported (origin "liar", its LIAR id) is counted as present and left alone, so
importing LIAR-PLUS after LIAR adds nothing (same ids) and the justifications are not added to verdicts already
published: import LIAR-PLUS first to have them. Malformed rows are reported as FILE:LINE: reason and skipped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import DatabaseError, transaction
from django.db.models.functions import Lower

from claims import liar
from claims.liar import LiarRow, RowError
from claims.models import Claim, Rating
from claims.services.imports import ImportedReview, review_import, reviews_import_bulk
from factcheck.roles import is_editor
from sources.models import Source, SourceKind
from sources.services import source_create


@dataclass
class Tally:
    created: int = 0
    present: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


class Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal (never into logs or pipes)."""

    def __init__(self, stream: OutputWrapper, label: str, total: int) -> None:
        self.stream, self.label, self.total = stream, label, max(total, 1)
        self.enabled = stream.isatty()

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        width = 30
        filled = width * min(done, self.total) // self.total
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{' ' * (width - filled)}] {done}/{self.total} {100 * done // self.total}%",
            ending="",
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("")


class LiarImporter:
    """Maps parsed rows onto sources, ratings and ImportedReviews, and imports them batch by batch."""

    def __init__(self, *, actor: Any, bulk: bool = True) -> None:
        self.actor = actor
        self.bulk = bulk
        ratings = {r.slug: r for r in Rating.objects.filter(scale__slug=liar.TRUTH_O_METER)}
        missing = set(liar.LIAR_LABELS) - ratings.keys()
        if missing:
            raise CommandError(f"The Truth-O-Meter scale lacks the ratings {sorted(missing)} (migration 0002).")
        self.ratings: dict[str, Rating] = ratings
        self.publisher = self._publisher()
        self.speakers: dict[str, Source] = {}
        self.seen: set[str] = set()

    def _publisher(self) -> Source:
        found = Source.objects.filter(name__iexact=liar.PUBLISHER_NAME, kind=SourceKind.OUTLET).first()
        return found or source_create(
            actor=self.actor,
            name=liar.PUBLISHER_NAME,
            kind=SourceKind.OUTLET,
            country="US",
            homepage=liar.PUBLISHER_HOMEPAGE,
        )

    def _resolve_speakers(self, rows: Sequence[LiarRow]) -> None:
        """Find or create each new speaker: by its LIAR slug among aliases, else by name and kind (one query each
        for the batch), else a new source with the slug as alias and job, party and state as its description."""
        wanted = {row.speaker: row for row in rows if row.speaker and row.speaker not in self.speakers}
        if not wanted:
            return
        for source in Source.objects.filter(aliases__overlap=list(wanted)):
            for alias in source.aliases:
                if alias in wanted:
                    self.speakers.setdefault(alias, source)
        left = {slug: row for slug, row in wanted.items() if slug not in self.speakers}
        if left:
            by_name = {
                (source.lname, source.kind): source
                for source in Source.objects.annotate(lname=Lower("name")).filter(
                    lname__in=[liar.speaker_name(slug).lower() for slug in left]
                )
            }
            created: list[Source] = []
            for slug, row in left.items():
                name, kind = liar.speaker_name(slug)[:200], liar.speaker_kind(slug)
                source = by_name.get((name.lower(), kind))
                if source is None:
                    source = Source(
                        name=name,
                        kind=kind,
                        description=liar.speaker_description(row),
                        country=liar.speaker_country(row) if kind == SourceKind.PERSON else "",
                        aliases=[slug],
                    )
                    # Field checks as source_create() makes them; uniqueness was just looked up (and is the
                    # database's constraint): thousands of speakers, one INSERT per batch.
                    source.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
                    created.append(source)
                    by_name[(name.lower(), kind)] = source
                self.speakers[slug] = source
            Source.objects.bulk_create(created)

    def review(self, row: LiarRow) -> ImportedReview:
        return ImportedReview(
            origin=liar.ORIGIN,
            external_id=row.id,
            statement=row.statement,
            rating=self.ratings[row.label],
            published_at=liar.PUBLISHED_AT,
            publisher=self.publisher,
            claimant=self.speakers.get(row.speaker),
            language="en",
            tags=liar.tags(row),
            explanation=row.justification,
            textual_rating=liar.TEXTUAL_RATINGS.get(row.label, ""),
            evidence=[liar.evidence(row)],
        )

    def import_batch(self, rows: Sequence[LiarRow], name: str, tally: Tally) -> None:
        """One transaction per batch; a batch the bulk path refuses is retried row by row, each in a savepoint,
        so a bad row is reported and skipped and never half-written."""
        fresh = []
        for row in rows:
            if row.id in self.seen:
                tally.present += 1
            else:
                self.seen.add(row.id)
                fresh.append(row)
        if not fresh:
            return
        with transaction.atomic():
            self._resolve_speakers(fresh)
            reviews = [self.review(row) for row in fresh]
            if self.bulk:
                try:
                    with transaction.atomic():
                        results = reviews_import_bulk(reviews=reviews, actor=self.actor)
                except (ValidationError, DatabaseError):
                    pass
                else:
                    created = sum(1 for _, was_created in results if was_created)
                    tally.created += created
                    tally.present += len(results) - created
                    return
            for row, review in zip(fresh, reviews, strict=True):
                try:
                    with transaction.atomic():
                        _, created = review_import(review=review, actor=self.actor)
                except (ValidationError, DatabaseError) as error:
                    tally.skipped += 1
                    tally.errors.append(f"{name}:{row.line}: {_message(error)}")
                    continue
                if created:
                    tally.created += 1
                else:
                    tally.present += 1


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return "; ".join(f"{key}: {' '.join(msgs)}" for key, msgs in error.message_dict.items())
        return " ".join(error.messages)
    return str(error).strip().splitlines()[0]


def _batches(items: Iterator[LiarRow | RowError], size: int) -> Iterator[tuple[list[LiarRow], list[RowError], int]]:
    rows: list[LiarRow] = []
    errors: list[RowError] = []
    read = 0
    for item in items:
        read += 1
        if isinstance(item, RowError):
            errors.append(item)
        else:
            rows.append(item)
        if len(rows) >= size:
            yield rows, errors, read
            rows, errors = [], []
    yield rows, errors, read


class Command(BaseCommand):
    help = "Import the LIAR / LIAR-PLUS data sets (TSV or JSONL) as published PolitiFact verdicts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="LIAR .tsv, LIAR-PLUS .tsv or .jsonl files.")
        parser.add_argument("--as", dest="editor", required=True, help="Username of the editor who approves.")
        parser.add_argument("--batch", type=int, default=500, help="Rows per transaction (default 500).")
        parser.add_argument(
            "--one-by-one",
            action="store_true",
            help="Import each row through review_import() instead of the bulk path (slower; same rows).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        for path in options["files"]:
            if not path.is_file():
                raise CommandError(f"{path}: no such file.")
        try:
            actor = get_user_model().objects.get(username=options["editor"])
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user named {options['editor']!r}.") from error
        if not is_editor(actor):
            raise CommandError(f"{options['editor']} is not an editor: an import publishes verdicts.")
        try:
            importer = LiarImporter(actor=actor, bulk=not options["one_by_one"])
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        total = Tally()
        for path in options["files"]:
            tally = self._import_file(importer, path, options["batch"])
            for line in tally.errors:
                self.stderr.write(line)
            self.stdout.write(
                f"{path}: {tally.created} created, {tally.present} already present, {tally.skipped} skipped."
            )
            total.created += tally.created
            total.present += tally.present
            total.skipped += tally.skipped
        claims = Claim.objects.filter(external_origin=liar.ORIGIN).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Total: {total.created} created, {total.present} already present, {total.skipped} skipped; "
                f"{claims} LIAR claims in the database."
            )
        )

    def _import_file(self, importer: LiarImporter, path: Path, batch: int) -> Tally:
        tally = Tally()
        name = str(path)
        with path.open(encoding="utf-8", newline="") as handle:
            lines = sum(1 for _ in handle)
            handle.seek(0)
            progress = Progress(self.stderr, path.name, lines)
            for rows, errors, read in _batches(liar.parse_file(name, handle), batch):
                for error in errors:
                    tally.skipped += 1
                    tally.errors.append(f"{name}:{error.line}: {error.message}")
                importer.import_batch(rows, name, tally)
                progress.update(read)
            progress.close()
        return tally

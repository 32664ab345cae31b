"""`manage.py ingest_article FILE --url URL --publisher NAME --published DATE`: an article's candidate claims as
`new` claims, through claims.services.article_ingest (the same service as POST /api/v1/articles/ingest/)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.ingest import DEFAULT_MIN_SCORE
from claims.services import IngestResult, article_ingest
from claims.services.ingest import IngestedClaim


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--published: give an ISO date, YYYY-MM-DD, not {text!r}.") from error


def _score(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise CommandError(f"--min-score: give a number between 0 and 1, not {text!r}.")
    return value


class Command(BaseCommand):
    help = (
        "Proposes the checkable claims of an article (sentences with figures, dates, quotes and named speakers, "
        "scored for check-worthiness, with attribution chains and values) and creates them as new claims on the "
        "article's appearance; with --dry-run it only prints them. Re-ingesting a URL creates nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The article's text, UTF-8; - reads stdin.")
        parser.add_argument("--url", required=True, help="Where the article is published.")
        parser.add_argument("--publisher", required=True, help="Who publishes it: hop 0 of every chain.")
        parser.add_argument(
            "--published", required=True, type=_date, help="Its date, YYYY-MM-DD: the year of dates written without."
        )
        parser.add_argument("--dry-run", action="store_true", help="Print the candidates; write nothing.")
        parser.add_argument("--as", dest="actor", help="Username of the editor ingesting it (required to write).")
        parser.add_argument(
            "--min-score",
            type=_score,
            default=DEFAULT_MIN_SCORE,
            help=f"Check-worthiness a sentence needs to be proposed, 0-1 (default {DEFAULT_MIN_SCORE}).",
        )
        parser.add_argument("--title", default="", help="The article's title, for a new appearance.")
        parser.add_argument("--language", default="en", help="BCP 47 tag of the article (default en).")

    def handle(self, *args: Any, **options: Any) -> None:
        text = self._read(options["file"])
        actor = self._actor(options["actor"], dry_run=options["dry_run"])
        try:
            result = article_ingest(
                actor=actor,
                text=text,
                url=options["url"],
                publisher=options["publisher"],
                published=options["published"],
                dry_run=options["dry_run"],
                min_score=options["min_score"],
                title=options["title"],
                language=options["language"],
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            messages = (
                [f"{name}: {'; '.join(texts)}" for name, texts in error.message_dict.items()]
                if hasattr(error, "error_dict")
                else error.messages
            )
            raise CommandError(" ".join(messages)) from None
        self._report(result)

    def _read(self, name: str) -> str:
        try:
            return sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {name}: {error}") from None

    def _actor(self, username: str | None, *, dry_run: bool) -> Any:
        if username is None:
            if dry_run:
                return None  # proposing writes nothing, so it needs nobody's rights
            raise CommandError("--as USERNAME is required to write: the editor who ingests the article.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user

    def _report(self, result: IngestResult) -> None:
        for item in result.claims:
            self.stdout.write(_describe(item))
        if result.dry_run:
            self.stdout.write(
                f"Dry run: {len(result.claims)} candidate claims from {result.url}, {result.present} already "
                "ingested; nothing written."
            )
            return
        assert result.appearance is not None
        where = "new appearance" if result.appearance_created else "appearance"
        self.stdout.write(
            f"Ingested {result.url} ({where} {result.appearance.pk}): {result.created} claims created, "
            f"{result.present} already present."
        )


def _describe(item: IngestedClaim) -> str:
    candidate = item.candidate
    state = "created" if item.created else ("present" if item.claim else "proposed")
    claim = f" claim {item.claim.pk}" if item.claim else ""
    chain = " → ".join(f"{hop.source or '(unnamed)'} {hop.relation}" for hop in candidate.hops)
    values = "; ".join(candidate.expressions) or "-"
    return (
        f"[{state}{claim}] {candidate.score:.2f} {candidate.kind}: {candidate.sentence}\n"
        f"    values: {values}\n    chain: {chain}"
    )

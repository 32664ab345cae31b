"""`manage.py import_claimreview FILE... --as EDITOR`: ClaimReview documents as published verdicts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.claimreview import PayloadError, mapping_from
from claims.models import RatingScale
from claims.services.claimreview import claimreview_import
from factcheck.roles import is_editor


def _json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"{what} {path}: {error.strerror or error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{what} {path} is not JSON: {error}") from error


class Command(BaseCommand):
    help = (
        "Imports ClaimReview JSON-LD files (each a ClaimReview, an array of them, or a DataFeed) as published "
        "verdicts, approved by the editor named with --as. Ratings are mapped onto --scale (default: the default "
        "scale) by their words (the built-in mapping, overridden by --mapping, a JSON object of rating text → rating "
        "slug) or by ratingValue on the scale's own best/worst. Unknown ratings and incomplete reviews are reported "
        "and skipped; reviews imported before are left as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--as", dest="username", required=True, metavar="EDITOR", help="The approving editor.")
        parser.add_argument("--mapping", type=Path, metavar="MAPPING.json", help="Rating text → rating slug.")
        parser.add_argument("--scale", metavar="SLUG", help="The rating scale to map onto.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would be imported; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        editor = get_user_model().objects.filter(username=options["username"]).first()
        if editor is None or not is_editor(editor):
            raise CommandError(f"--as: {options['username']!r} is not an editor; only editors import reviews.")
        scale = None
        if options["scale"]:
            scale = RatingScale.objects.filter(slug=options["scale"]).first()
            if scale is None:
                raise CommandError(f"--scale: no rating scale {options['scale']!r}.")
        try:
            mapping = mapping_from(_json(options["mapping"], "--mapping") if options["mapping"] else None)
        except PayloadError as error:
            raise CommandError(f"--mapping: {error.field}: {error.message}") from error
        totals = {"created": 0, "present": 0, "skipped": 0}
        for path in options["files"]:
            payload = _json(path, "File")
            try:
                report = claimreview_import(
                    payload=payload, actor=editor, scale=scale, mapping=mapping, dry_run=options["dry_run"]
                )
            except PayloadError as error:
                raise CommandError(f"{path}: {error.field}: {error.message}") from error
            for item in report.skipped:
                where = f" {item['url']}" if item["url"] else ""
                self.stderr.write(f"{path} #{item['index']}{where}: skipped, {item['field']}: {item['message']}")
            self.stdout.write(
                f"{path}: {len(report.created)} created, {len(report.present)} already present, "
                f"{len(report.skipped)} skipped" + (" (dry run: nothing written)" if options["dry_run"] else "")
            )
            totals["created"] += len(report.created)
            totals["present"] += len(report.present)
            totals["skipped"] += len(report.skipped)
        if len(options["files"]) > 1:
            self.stdout.write("Total: {created} created, {present} already present, {skipped} skipped".format(**totals))

"""`manage.py parse_values`: one expression per line on stdin, one JSON object per line on stdout."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.values import ParseError, parse, to_json


def _reference_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--reference-date: give an ISO date, YYYY-MM-DD, not {text!r}.") from error


class Command(BaseCommand):
    help = (
        "Reads English quantity and date expressions, one per line on stdin, and writes each as a JSON object on "
        "its own line: kind, low, high, low_inclusive, high_inclusive, qualifier, unit, precision, weekday (and "
        "parts when it names several dates), or an error. Blank lines are skipped."
    )
    # Tests pass their input as call_command(..., stdin=io.StringIO(...)).
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reference-date",
            type=_reference_date,
            default=None,
            help="The date the text appeared (YYYY-MM-DD), for dates written without a year.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reference = options["reference_date"]
        for line in options.get("stdin") or sys.stdin:
            expression = line.strip()
            if not expression:
                continue
            result: dict[str, Any] = {"expression": expression}
            try:
                result |= to_json(parse(expression, reference=reference))
            except ParseError as error:
                result["error"] = str(error)
            self.stdout.write(json.dumps(result, ensure_ascii=False))

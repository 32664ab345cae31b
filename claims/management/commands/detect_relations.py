"""`manage.py detect_relations`: compare every question's answers again and bring the detector's suggestions up to date.

The services already do this for one claim whenever its values, chains, question or status change; this command is
for everything at once: after an import that skipped it, after the comparison rules changed, or to repair.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.crossref.detect import RefreshResult, question_relations_refresh, relations_refresh_all
from claims.models import Question


class Command(BaseCommand):
    help = (
        "Compare the answers to every question (or to the questions given) and create, update or remove the "
        "detector's suggested relations (contradicts, supports, supersedes). Editors' decisions are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--question", type=int, action="append", default=[], help="Only this question id.")

    def handle(self, *args: Any, question: list[int], **options: Any) -> None:
        if question:
            found = {q.pk: q for q in Question.objects.filter(pk__in=question)}
            missing = sorted(set(question) - found.keys())
            if missing:
                raise CommandError(f"No question with id {', '.join(map(str, missing))}.")
            result = RefreshResult()
            for pk in question:
                result += question_relations_refresh(question=found[pk])
        else:
            result = relations_refresh_all()
        self.stdout.write(
            f"detect_relations: {result.created} suggested, {result.updated} updated, {result.removed} removed."
        )

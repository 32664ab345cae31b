"""Management commands name themselves in the audit context, so changes made by `manage.py ...` (or call_command,
or in `manage.py shell`) say which command made them.

pghistory has no hook for commands (its documentation suggests wrapping manage.py, which misses call_command), so
BaseCommand.execute, which both reach, is wrapped once when the app is ready.
"""

from __future__ import annotations

import functools
from typing import Any

import pghistory
from django.core.management.base import BaseCommand

# Servers run requests, which carry their own context (in one thread with runserver --nothreading, where a command
# context would merge every request into one). Schema commands run migrations' SQL, which pghistory's statement
# prefix must not touch: a RunSQL with a literal % and no parameters would fail under it.
NOT_RECORDED = frozenset({"runserver", "testserver", "migrate", "flush", "sqlflush", "dbshell"})


def command_name(command: BaseCommand) -> str:
    return command.__module__.rpartition(".")[2]


def instrument_commands() -> None:
    """Wrap BaseCommand.execute so that every command runs inside pghistory.context(command=<name>)."""
    original = BaseCommand.execute
    if getattr(original, "_audit_context", False):
        return

    @functools.wraps(original)
    def execute(self: BaseCommand, *args: Any, **options: Any) -> Any:
        name = command_name(self)
        if name in NOT_RECORDED:
            return original(self, *args, **options)
        with pghistory.context(command=name):
            return original(self, *args, **options)

    execute._audit_context = True  # type: ignore[attr-defined]
    BaseCommand.execute = execute  # type: ignore[method-assign]

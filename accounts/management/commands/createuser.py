"""`manage.py createuser NAME --role editor|fact-checker`: a desk account, password from stdin or the environment."""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import user_create
from factcheck.roles import ROLES

PASSWORD_VARIABLE = "FACTCHECK_PASSWORD"  # noqa: S105 -- the variable's name, not a password


class Command(BaseCommand):
    help = (
        "Create a desk account (staff, in the role's group). The password is read from the environment variable "
        f"{PASSWORD_VARIABLE} or, when that is unset, from standard input when it is piped "
        "(echo ... | manage.py createuser). It is never taken from the command line, where it would show in the "
        "process list and the shell's history."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, username: str, role: str, email: str, **options: Any) -> None:
        password = self._password(options.get("stdin") or sys.stdin)
        try:
            user = user_create(username=username, role=role, password=password, email=email)
        except ValidationError as error:
            messages = [
                f"{field}: {message}" if field != "__all__" else message
                for field, field_messages in getattr(error, "message_dict", {"__all__": error.messages}).items()
                for message in field_messages
            ]
            raise CommandError("\n".join(messages)) from None
        self.stdout.write(f"Created {role} {user.username} (staff, may sign in to the admin).")

    def _password(self, stdin: TextIO) -> str:
        # Read as it is (env_str would strip spaces a password may hold); set but empty counts as unset, as when
        # .env.example's blank line is exported.
        from_env = os.environ.get(PASSWORD_VARIABLE) or None
        if from_env is not None:
            password, source = from_env, PASSWORD_VARIABLE
        elif not stdin.isatty():
            # The first line only, without its line break: `echo secret | ...` and a here-string both work.
            password, source = stdin.readline().rstrip("\r\n"), "standard input"
        else:
            raise CommandError(
                f"No password given: set {PASSWORD_VARIABLE} or pipe the password to standard input "
                "(passwords are never read from the command line)."
            )
        if not password:
            raise CommandError(f"The password from {source} is empty.")
        return password

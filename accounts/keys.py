"""The API key format, its generation and its hash. No database here.

A key reads `fck_<id>_<secret>`: `fck_` marks it as ours (secret scanners and our own error messages can spot
one pasted in the wrong place), `<id>` is 8 lowercase letters and digits that name the key publicly (it is
stored in clear, shown in lists and logs, and used to find the row), and `<secret>` is 43 base62 characters,
256 bits from the operating system's CSPRNG, of which only a SHA-256 digest is stored.

Why SHA-256 and not a password hasher (PBKDF2, Argon2): slow, salted hashing exists because passwords are
guessable, so an attacker holding a leaked table tries likely passwords offline and the slowness rations the
guesses. A 256-bit random secret cannot be guessed: no dictionary, and 2**256 candidates, so stretching adds no
protection, while it would add ~100 ms of CPU to every API request and hand anyone sending made-up keys a cheap
way to load the servers. A salt is not needed either: each secret is unique, so equal digests cannot reveal equal
secrets and no precomputed table covers the space.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass

KEY_MARKER = "fck"
PREFIX_LENGTH = 8
SECRET_LENGTH = 43  # 43 base62 characters carry 256.03 bits.
PREFIX_ALPHABET = string.ascii_lowercase + string.digits
SECRET_ALPHABET = string.ascii_letters + string.digits
PREFIX_REGEX = rf"^[a-z0-9]{{{PREFIX_LENGTH}}}$"
HASH_REGEX = r"^[0-9a-f]{64}$"
_KEY = re.compile(rf"{KEY_MARKER}_([a-z0-9]{{{PREFIX_LENGTH}}})_([A-Za-z0-9]{{{SECRET_LENGTH}}})")
# A digest no secret has (all its characters are 'x'), compared against when the prefix names no key, so an unknown
# prefix costs the same hashing work as a known one.
_NO_DIGEST = "x" * 64


class MalformedKey(ValueError):
    pass


@dataclass(frozen=True)
class KeyParts:
    prefix: str
    secret: str

    @property
    def full(self) -> str:
        return f"{KEY_MARKER}_{self.prefix}_{self.secret}"


def new_prefix() -> str:
    return "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))


def new_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, digest: str | None) -> bool:
    """Constant-time comparison, so response times tell nothing about how much of a digest matched."""
    return hmac.compare_digest(hash_secret(secret), digest or _NO_DIGEST)


def split_key(key: str) -> KeyParts:
    match = _KEY.fullmatch(key)
    if match is None:
        raise MalformedKey(
            f"An API key looks like {KEY_MARKER}_<{PREFIX_LENGTH} letters or digits>"
            f"_<{SECRET_LENGTH} letters or digits>."
        )
    return KeyParts(match[1], match[2])


def prefix_of(text: str) -> str:
    """The key id in a bare id, `fck_<id>` or a whole key, for commands that take any of them."""
    text = text.strip()
    if text.startswith(f"{KEY_MARKER}_"):
        text = text.split("_")[1]
    return text

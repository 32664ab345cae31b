"""`Authorization: Bearer fck_<prefix>_<secret>`: API keys as a DRF authentication class.

A user's key authenticates as that user. A client's key authenticates as an ApiClientPrincipal: an anonymous user
as far as permissions and `visible_to()` go (so it sees only published data), with the client attached.
`request.auth` is the ApiKey either way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, BasicAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from accounts.keys import KEY_MARKER, MalformedKey, secret_matches, split_key
from accounts.models import ApiClient, ApiKey

if TYPE_CHECKING:
    from rest_framework.request import Request

REALM = "factcheck"


class ApiClientPrincipal(AnonymousUser):
    """`request.user` for a client's key: no desk role, no permissions, no database row.

    It stays unauthenticated in Django's sense (`is_authenticated` is False) on purpose: code that treats an
    authenticated user as a User row (roles, "assigned to me", audit context) keeps treating the client as the
    public. Whether a request came with a key is `request.auth`.
    """

    def __init__(self, client: ApiClient) -> None:
        self.client = client

    def __str__(self) -> str:
        return f"API client {self.client.name}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiClientPrincipal) and other.client.pk == self.client.pk

    def __hash__(self) -> int:
        return hash(("api-client", self.client.pk))


class ApiKeyAuthentication(BaseAuthentication):
    """Bearer API keys. An unknown, revoked or expired key, or a malformed header, answers 401, never anonymously.

    A request without an Authorization header, or with another scheme (Basic), is left to the next class.
    """

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        parts = get_authorization_header(request).split()
        if not parts:
            return None
        if parts[0].lower() != b"bearer":
            # Another scheme is another class's business, unless what follows is one of our keys.
            if any(part.startswith(f"{KEY_MARKER}_".encode()) for part in parts):
                self._fail(request, "Send the API key as 'Authorization: Bearer <key>'.", "invalid_request")
            return None
        if len(parts) != 2:
            self._fail(request, "Malformed Authorization header: expected 'Bearer <key>'.", "invalid_request")
        return self.authenticate_key(request, parts[1])

    def authenticate_key(self, request: Request, raw_key: bytes) -> tuple[Any, ApiKey]:
        """The principal a key stands for, however it was sent; 401 for a malformed, unknown, revoked or expired one."""
        try:
            parts_of_key = split_key(raw_key.decode("ascii"))
        except (UnicodeDecodeError, MalformedKey) as error:
            message = str(error) if isinstance(error, MalformedKey) else "An API key is ASCII letters and digits."
            self._fail(request, f"Malformed API key. {message}", "invalid_token")

        now = timezone.now()
        api_key = ApiKey.objects.for_authentication(parts_of_key.prefix)
        # The digest is compared even when the prefix is unknown, so both cost the same; the prefix is public anyway.
        if not secret_matches(parts_of_key.secret, api_key.secret_hash if api_key else None) or api_key is None:
            self._fail(request, "Invalid API key.", "invalid_token")
        # Only a caller holding the whole key learns that it was revoked or expired.
        refusal = api_key.refusal(now)
        if refusal is not None:
            self._fail(request, refusal, "invalid_token")
        api_key.touch(now)
        if api_key.user_id is not None:
            return api_key.user, api_key
        return ApiClientPrincipal(api_key.client), api_key

    def authenticate_header(self, request: Request) -> str:
        """The WWW-Authenticate challenge of a 401 (DRF takes the first authentication class's).

        A refused key gets the Bearer challenge naming the error (RFC 6750). A request without credentials gets
        every scheme the API accepts (RFC 7235 allows several challenges), Basic first as before keys existed.
        """
        error = getattr(request, "_api_key_error", None)
        if error:
            return f'Bearer realm="{REALM}", error="{error}"'
        return f'{BasicAuthentication().authenticate_header(request)}, Bearer realm="{REALM}"'

    def _fail(self, request: Request, message: str, error: str) -> NoReturn:
        request._api_key_error = error
        raise AuthenticationFailed(message)


class QueryKeyAuthentication(ApiKeyAuthentication):
    """An API key in the `key` query parameter, as Google's API clients send it (`?key=...`), else the Bearer header.

    Only for the Google-compatible search (claims.api.google), whose clients cannot send our header: a key in a URL
    ends up in access logs and browser histories, so the rest of the API keeps to the header.
    """

    PARAM = "key"

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        key = request.query_params.get(self.PARAM)
        if key is None:
            return super().authenticate(request)
        if get_authorization_header(request):
            # Two credentials could name two principals; which one counts must not be a guess.
            self._fail(
                request, "Send the API key either as ?key= or in the Authorization header, not both.", "invalid_request"
            )
        return self.authenticate_key(request, key.encode("utf-8"))

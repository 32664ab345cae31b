"""OpenAPI: API keys appear as an HTTP bearer security scheme (imported by AccountsConfig.ready)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from accounts.keys import KEY_MARKER


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": f"{KEY_MARKER}_<id>_<secret>",
            "description": (
                "An API key issued with `manage.py apikey create`, sent as `Authorization: Bearer <key>`. "
                "A client's key reads published data; a desk member's key acts as that member. "
                "Each key has its own rate limit (429 with Retry-After past it)."
            ),
        }


class QueryKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.QueryKeyAuthentication"
    name = "googleApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "query",
            "name": "key",
            "description": (
                "An API key sent as `?key=<key>`, as Google's API clients send theirs: on the Google-compatible "
                "search only (elsewhere keys go in the Authorization header, where they stay out of access logs)."
            ),
        }

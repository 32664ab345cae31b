"""The OpenAPI schema documents API keys as a bearer security scheme."""

from __future__ import annotations

import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_the_schema_offers_api_keys_as_a_bearer_scheme(anon_client):
    schema = yaml.safe_load(anon_client.get("/api/v1/schema/").content)

    scheme = schema["components"]["securitySchemes"]["apiKey"]
    assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == ("http", "bearer", "fck_<id>_<secret>")
    assert {"apiKey": []} in schema["paths"]["/api/v1/claims/"]["get"]["security"]
    assert {"apiKey": []} in schema["paths"]["/api/v1/claims/"]["post"]["security"]

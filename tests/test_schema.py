"""The OpenAPI schema generates without warnings, documents the error envelope, and the docs render."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_generates_and_validates_without_warnings(tmp_path):
    schema_file = tmp_path / "schema.yaml"

    # --fail-on-warn turns any drf-spectacular warning (an untyped field, an enum clash) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))

    schema = yaml.safe_load(schema_file.read_text())
    assert set(schema["paths"]) >= {
        "/api/v1/claims/",
        "/api/v1/claims/{id}/",
        "/api/v1/verdicts/",
        "/api/v1/verdicts/{id}/",
        "/api/v1/sources/",
        "/api/v1/sources/{id}/",
        "/api/v1/appearances/",
        "/api/v1/appearances/{id}/",
        "/api/v1/questions/",
        "/api/v1/questions/{id}/",
        "/api/v1/rating-scales/",
        "/api/v1/rating-scales/{id}/",
    }


def test_the_schema_endpoint_serves_the_error_envelope_for_400_and_404(anon_client):
    response = anon_client.get("/api/v1/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    assert set(schema["components"]["schemas"]["ErrorEnvelope"]["properties"]) == {
        "status",
        "code",
        "detail",
        "errors",
    }
    claims, claim = schema["paths"]["/api/v1/claims/"], schema["paths"]["/api/v1/claims/{id}/"]
    assert claims["get"]["responses"]["400"]["content"]["application/json"]["schema"] == envelope
    assert claims["post"]["responses"]["400"]["content"]["application/json"]["schema"] == envelope
    assert claim["get"]["responses"]["404"]["content"]["application/json"]["schema"] == envelope
    assert claim["patch"]["responses"]["403"]["content"]["application/json"]["schema"] == envelope


def test_the_schema_offers_patch_but_not_put_or_delete(anon_client):
    schema = yaml.safe_load(anon_client.get("/api/v1/schema/").content)

    for path in (
        "/api/v1/claims/{id}/",
        "/api/v1/sources/{id}/",
        "/api/v1/appearances/{id}/",
        "/api/v1/questions/{id}/",
    ):
        assert "patch" in schema["paths"][path]
        assert "put" not in schema["paths"][path]
        assert "delete" not in schema["paths"][path]
    for path in ("/api/v1/verdicts/{id}/", "/api/v1/rating-scales/{id}/"):
        assert set(schema["paths"][path]) == {"get"}


def test_the_claim_write_schema_takes_ids_and_the_read_schema_nests_objects(anon_client):
    components = yaml.safe_load(anon_client.get("/api/v1/schema/").content)["components"]["schemas"]

    write = components["ClaimWriteRequest"]["properties"]
    read = components["ClaimDetail"]["properties"]
    assert write["claimant"]["type"] == "integer"
    assert "status" not in write
    assert "created_by" not in write
    assert read["claimant"]["allOf"][0]["$ref"] == "#/components/schemas/SourceBrief"
    assert read["status"]["readOnly"] is True


def test_the_interactive_docs_render(anon_client):
    response = anon_client.get("/api/v1/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
    assert b"/api/v1/schema/" in response.content

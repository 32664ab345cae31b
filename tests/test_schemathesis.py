"""Schemathesis: every operation of /api/v1/schema/, called in-process with generated requests, as an editor (with
the editor's own API key) and as an anonymous reader. No request may answer 5xx, and every response must match what
the schema says about it: status code, content type, headers and body.

Bounded and reproducible: a fixed seed, derandomized generation, no deadline. The editor gets schemathesis' coverage
phase (boundary values of every parameter and body field, PUT and DELETE where they are not offered) and
MAX_EXAMPLES fuzzed cases per operation, valid and invalid; anonymous readers get the fuzzed cases of every read, and
a few of every write (they all stop at 401 before the body is read). About 1,700 cases, a minute on two cores.

The rows are seeded once for the module and rolled back at its end, and each request runs in a savepoint that is
rolled back after it, so every case meets the same few claims (published and not). Path ids are drawn partly from
the seeded rows, so detail views and workflow steps meet real claims, not only 404s.

Why the schema is generated here rather than loaded with `schemathesis.openapi.from_wsgi()`: pytest collects the
operations at import, before any test database exists, and serving /api/v1/schema/ counts the request against the
rate limit in PostgreSQL. (`schemathesis.pytest.from_fixture()` would load it later, but 4.32.5 fails under pytest 9:
it reads `Function._nodeid`.) `test_the_fuzzed_schema_is_the_one_served` pins that the two are the same document.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import api_key_create
from claims.models import Claim, Question, RatingScale, Verdict
from sources.models import Appearance, Source
from tests.factories import EditorFactory, claim_with_parts, draft_in_review

SEED = 20240229
MAX_EXAMPLES = 20
SCHEMA_URL = "/api/v1/schema/"


def _served_schema() -> dict[str, Any]:
    """The document SpectacularAPIView serves at SCHEMA_URL (public: every operation, whoever asks)."""
    generated = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


SPEC = _served_schema()


def _config(*, max_examples: int, coverage: bool) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "max-examples": max_examples,
                "deterministic": True,
                "database": "none",
                # We send the credentials ourselves; generated ones would only exercise the 401 path, every time.
                "with-security-parameters": False,
            },
            # The coverage phase also sends each path the methods it does not document; PUT and DELETE are the ones
            # a client might try (the API offers PATCH and no deletion), and 405 is the answer to pin.
            "phases": {
                "coverage": {
                    "enabled": coverage,
                    "unexpected-methods": ["put", "delete"],
                    "generation": {"mode": "positive"},
                }
            },
        }
    )


schema = schemathesis.openapi.from_dict(SPEC, config=_config(max_examples=MAX_EXAMPLES, coverage=True))
reads = schemathesis.openapi.from_dict(SPEC, config=_config(max_examples=MAX_EXAMPLES, coverage=False)).include(
    method="GET"
)
# Anonymous writes answer 401 before the body is read: a few cases show it, more would show it again.
anonymous_writes = schemathesis.openapi.from_dict(SPEC, config=_config(max_examples=3, coverage=False)).include(
    method=["POST", "PATCH"]
)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Read-only fields the database stores blank: DRF drops `allow_blank` from read-only model fields, so drf-spectacular
# documented only their non-blank values until factcheck.api_schema.AutoSchema put "" back. Each must admit "".
STORED_BLANK = (
    "/components/schemas/Appearance/properties/archive_url",
    "/components/schemas/Evidence/properties/archive_url",
    "/components/schemas/Source/properties/homepage",
    "/components/schemas/Verdict/properties/correction_kind",
    "/components/schemas/Value/properties/precision",
)

# Which rows a path's {id} may name, by the collection the path starts with.
MODELS = {
    "claims": Claim,
    "verdicts": Verdict,
    "sources": Source,
    "appearances": Appearance,
    "questions": Question,
    "rating-scales": RatingScale,
}
_seeded_ids: dict[str, list[int]] = {}

# Cases sent, by (operation, identity), for test_the_run_was_bounded_and_complete.
CASES: dict[tuple[str, str, str], int] = {}


def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> st.SearchStrategy:
    """Half of the ids are rows that exist (seeded), so detail views and workflow steps get past the 404."""
    if not path_parameters or "id" not in path_parameters:
        return st.just(path_parameters)
    ids = _seeded_ids.get(context.operation.path.split("/")[3])
    if not ids:
        return st.just(path_parameters)
    return st.one_of(st.just(path_parameters), st.sampled_from(ids).map(lambda pk: {**path_parameters, "id": pk}))


for _schema in (schema, reads, anonymous_writes):
    _schema.hook(flatmap_path_parameters)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    """Two published claims, one being researched and one in review, each with chains, values and evidence; and an
    editor with a key of their own. Created once, rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        for _ in range(2):
            claim_with_parts(published=True)
        claim_with_parts(published=False)
        draft_in_review(claim_with_parts(published=False))
        editor = EditorFactory(username="schemathesis-editor", password=None)
        # Its own generous rate: a key's limit stays on in tests, and one operation may take a few hundred requests.
        key = api_key_create(user=editor, name="schemathesis", rate="100000/hour").key
        _seeded_ids.update(
            {name: list(model.objects.order_by("pk").values_list("pk", flat=True)) for name, model in MODELS.items()}
        )
        yield {"editor": {"Authorization": f"Bearer {key}"}, "anonymous": {}}
        transaction.set_rollback(True)
        _seeded_ids.clear()


@pytest.fixture(scope="module")
def app() -> Iterator[WSGIHandler]:
    """factcheck.wsgi.application, built afresh for plain http: the middleware reads SECURE_SSL_REDIRECT when it is
    built, and the production settings the tests run with would answer every request with a redirect to https.

    As Django's test client does, the connection stays open between requests: the test's transaction (and the
    seeded rows) live on it.
    """
    with override_settings(SECURE_SSL_REDIRECT=False):
        handler = WSGIHandler()
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield handler
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def call(app, seeded, settings) -> Any:
    # The in-process client sends `Host: localhost`.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]

    def call_as(identity: str, case: Any) -> None:
        run = (case.operation.label, identity, case.meta.phase.name.value if case.meta else "")
        CASES[run] = CASES.get(run, 0) + 1
        # Each request in a savepoint, undone afterwards: served with autocommit, a request that fails in the
        # database (a DataError answered 400, say) leaves nothing behind, and here it must not abort the test's
        # transaction for the requests after it either.
        savepoint = transaction.savepoint()
        try:
            case.call_and_validate(app=app, headers=seeded[identity], checks=CHECKS)
        finally:
            transaction.savepoint_rollback(savepoint)

    return call_as


@pytest.mark.django_db
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_editor_gets_what_the_schema_promises(case, call):
    call("editor", case)


@pytest.mark.django_db
@reads.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_readers_get_what_the_schema_promises(case, call):
    call("anonymous", case)


@pytest.mark.django_db
@anonymous_writes.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_anonymous_writes_are_refused_as_documented(case, call):
    call("anonymous", case)


@pytest.mark.django_db
def test_the_fuzzed_schema_is_the_one_served(client):
    response = client.get(SCHEMA_URL, HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert json.loads(response.content) == SPEC


@pytest.mark.parametrize("location", STORED_BLANK)
def test_a_blank_value_the_api_sends_is_documented(location):
    validator = jsonschema_rs.validator_for(
        {"$ref": f"#{location}", "components": SPEC["components"]}, validate_formats=True
    )

    assert validator.is_valid("")


def test_zz_report_the_case_count(capsys):
    """Runs after the schemathesis tests (pytest-django puts tests without the database last) and prints how many
    cases they sent, for the record."""
    if not CASES:
        # Under pytest-xdist (make test) the schemathesis tests may all have run on another worker: nothing to report.
        return
    with capsys.disabled():
        runs = len({(label, identity) for label, identity, _ in CASES})
        print(f"\nschemathesis: {sum(CASES.values())} cases in {runs} (operation, identity) runs")
    assert all(CASES.values())

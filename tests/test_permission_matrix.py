"""The permission matrix: every API route, for every principal, in every claim state: allowed, 403 or 404.

Principals: anonymous; an API client (a named client's Bearer key); an outsider (signed in, no desk role); a
fact-checker; the same fact-checker through their own Bearer key; an editor. The first three are readers and must
see exactly the same thing: published claims and verdicts only, unpublished ones answering 404 (never 403).

States: one claim per workflow status, each brought there through the services as the desk would (new, triaged,
dismissed, duplicate, researching, in_review), plus an approved draft awaiting publication, a published claim, a
published claim reopened for a correction, and an id that does not exist ("missing": readers must not be able to
tell it from an unpublished claim).

Routes come from the OpenAPI schema and the URL conf: `test_every_route_has_a_row` fails when a route has no entry
in ROUTES, so a new endpoint cannot escape the matrix. What each cell should answer follows from a few rules
(`expected()`), and for the workflow steps from claims.workflow.TRANSITIONS: who may take the step (else 403) and
from which statuses (else 409). The services' conditions on the draft, which the table leaves to them, are listed
in DRAFT_REFUSALS.

Every state is built once for the module (inside a transaction rolled back at its end); each cell runs in its own
savepoint, so a step that succeeds leaves nothing behind for the next cell.

Known bugs are cells in KNOWN_BUGS, marked xfail(strict=True) so that the fix flips them to a failure to remove.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.services import api_client_get_or_create, api_key_create
from claims.models import Claim, ClaimStatus, Comment, CorrectionKind, Question, RatingScale, ReviewEvent, Verdict
from claims.services import (
    claim_assign,
    claim_create,
    claim_dismiss,
    claim_mark_duplicate,
    claim_reopen,
    claim_triage,
    claim_update,
    comment_add,
    evidence_add,
    question_create,
    verdict_approve,
    verdict_draft,
    verdict_publish,
    verdict_submit,
)
from claims.workflow import TRANSITIONS, Transition
from factcheck.preconditions import etag_for
from factcheck.roles import EDITOR, FACT_CHECKER
from sources.models import Appearance, Source, SourceKind
from sources.services import appearance_create, source_create
from tests.factories import EditorFactory, StaffFactory, UserFactory, default_rating

S = ClaimStatus
API = "/api/v1/"
# Google's Fact Check Tools API, at the site root (claims.api.google).
GOOGLE = "/v1alpha1/"
GOOGLE_SEARCH = f"{GOOGLE}claims:search"

# Principals ----------------------------------------------------------------------------------------------------

ANONYMOUS, API_CLIENT, OUTSIDER = "anonymous", "api_client", "outsider"
FACT_CHECKER_USER, FACT_CHECKER_KEY, EDITOR_USER = "fact_checker", "fact_checker_key", "editor"
READERS = (ANONYMOUS, API_CLIENT, OUTSIDER)
DESK = (FACT_CHECKER_USER, FACT_CHECKER_KEY, EDITOR_USER)
PRINCIPALS = (*READERS, *DESK)
ROLE = {FACT_CHECKER_USER: FACT_CHECKER, FACT_CHECKER_KEY: FACT_CHECKER, EDITOR_USER: EDITOR}

# States --------------------------------------------------------------------------------------------------------

# The fixture's claims by state, with the status each is in (None: no such claim).
STATES: dict[str, str | None] = {
    "new": S.NEW,
    "triaged": S.TRIAGED,
    "dismissed": S.DISMISSED,
    "duplicate": S.DUPLICATE,
    "researching": S.RESEARCHING,
    "in_review": S.IN_REVIEW,
    "approved": S.IN_REVIEW,  # its draft approved, awaiting publication
    "published": S.PUBLISHED,
    "reopened": S.IN_REVIEW,  # published, with a correction in review
    "missing": None,
}
# What readers may see: a claim with a current published verdict (a reopened one stays public meanwhile).
PUBLIC_STATES = frozenset({"published", "reopened"})

# Verdicts by state: a draft at each stage, the published version, and a correction's draft beside the version
# that stays current meanwhile.
VERDICT_STATES = ("researching", "in_review", "approved", "published", "reopened_current", "reopened_draft", "missing")
PUBLIC_VERDICT_STATES = frozenset({"published", "reopened_current"})

# Rules ---------------------------------------------------------------------------------------------------------

PUBLIC = "public"  # anyone reads it: 200
DESK_WRITE = "desk write"  # the desk creates or changes it; readers 401 (anonymous) or 403
EDITOR_WRITE = "editor write"  # as DESK_WRITE, but fact-checkers are refused too (403)
CLAIM_READ = "claim read"  # readers: published claims only, else 404; the desk: every claim
CLAIM_WRITE = "claim write"  # as DESK_WRITE, on one claim (404 when it does not exist)
DESK_ONLY = "desk only"  # the claim's internal parts: 404 for readers, whatever the claim and the method
STEP = "step"  # a workflow step: TRANSITIONS says who (403) and from which statuses (409)
VERDICT_READ = "verdict read"  # readers: published versions only, else 404
PUBLISHED_ONLY = "published only"  # built from the published version: 404 for everyone while there is none
EDITOR_IMPORT = "editor import"  # editors only, answering 200 with a report: readers 401/403, fact-checkers 403

STEPS_BY_VERB: dict[str, Transition] = {step.verb: step for step in TRANSITIONS.values()}

# Every route of the API: (method, path as in the schema) -> rule. A route missing here fails
# test_every_route_has_a_row.
ROUTES: dict[tuple[str, str], str] = {
    ("GET", API): PUBLIC,
    ("GET", f"{API}schema/"): PUBLIC,
    ("GET", f"{API}docs/"): PUBLIC,
    ("GET", f"{API}redoc/"): PUBLIC,
    ("GET", f"{API}claims/"): PUBLIC,
    ("POST", f"{API}claims/"): DESK_WRITE,
    ("GET", f"{API}claims/{{id}}/"): CLAIM_READ,
    ("PATCH", f"{API}claims/{{id}}/"): CLAIM_WRITE,
    ("GET", f"{API}claims/{{id}}/verdicts/"): CLAIM_READ,
    ("GET", f"{API}claims/{{id}}/related/"): CLAIM_READ,
    ("GET", f"{API}claims/{{id}}/comments/"): DESK_ONLY,
    ("POST", f"{API}claims/{{id}}/comments/"): DESK_ONLY,
    ("GET", f"{API}claims/{{id}}/events/"): DESK_ONLY,
    ("GET", f"{API}claims/{{id}}/claimreview/"): PUBLISHED_ONLY,
    ("GET", f"{API}claimreview/"): PUBLIC,
    ("POST", f"{API}claimreview/import/"): EDITOR_IMPORT,
    **{("POST", f"{API}claims/{{id}}/{verb}/"): STEP for verb in STEPS_BY_VERB},
    ("GET", f"{API}verdicts/"): PUBLIC,
    ("GET", f"{API}verdicts/{{id}}/"): VERDICT_READ,
    **{
        route: rule
        for collection in ("sources", "appearances", "questions")
        for route, rule in {
            ("GET", f"{API}{collection}/"): PUBLIC,
            ("POST", f"{API}{collection}/"): DESK_WRITE,
            ("GET", f"{API}{collection}/{{id}}/"): PUBLIC,
            ("PATCH", f"{API}{collection}/{{id}}/"): DESK_WRITE,
        }.items()
    },
    ("GET", f"{API}rating-scales/"): PUBLIC,
    ("GET", f"{API}rating-scales/{{id}}/"): PUBLIC,
    ("POST", f"{API}values/parse/"): PUBLIC,  # a pure function of the body: no data behind it
    # Built from published verdicts only: the same for everybody (the sweep below checks it leaks nothing).
    ("GET", f"{API}sources/{{id}}/track-record/"): PUBLIC,
    # Creates claims, sources and an appearance in one go: the editors' triage work.
    ("POST", f"{API}articles/ingest/"): EDITOR_WRITE,
    # Published verdicts as approved only, the same for everybody (the sweep and the search test below check it).
    ("GET", GOOGLE_SEARCH): PUBLIC,
}

# Query strings of routes that need one (the Google-compatible search answers 400 without query or site filter).
ROUTE_QUERIES: dict[str, tuple[str, ...]] = {
    GOOGLE_SEARCH: ("?query=delegates", "?reviewPublisherSiteFilter=factcheck.example.org&pageSize=100"),
}

# Conditions on the draft verdict that the transition table leaves to the services (claims.services.review).
DRAFT_REFUSALS: dict[tuple[str, str], int] = {
    ("approve", "approved"): 409,  # already approved
    ("publish", "in_review"): 409,  # not approved yet
    ("publish", "reopened"): 409,  # the correction is not approved yet
}

# Query variants of the claim reads: as they are now, now as of this moment, and as of before anything was published.
PAST = "2000-01-01T00:00:00Z"
CLAIM_READ_QUERIES = {
    f"{API}claims/{{id}}/": ("", "?as_of=now", f"?as_of={PAST}"),
    # ?as_of=now of the versions is in the readers' sweep (test_readers_find_nothing_unpublished_anywhere).
    f"{API}claims/{{id}}/verdicts/": ("", f"?as_of={PAST}"),
    # The related claims have no past view; a limit changes how many are listed, never who may ask.
    f"{API}claims/{{id}}/related/": ("", "?limit=1"),
}

# Cells with a known bug: (principal, state, method, path + query) -> what is wrong.
KNOWN_BUGS: dict[tuple[str, str, str, str], str] = {}


def _reader_refusal(principal: str) -> int:
    # Anonymous requests get the challenge (401); a client's key or a signed-in outsider is known and refused (403).
    return 401 if principal == ANONYMOUS else 403


def expected(rule: str, method: str, principal: str, state: str, *, verb: str = "", query: str = "") -> int:
    reader = principal in READERS
    missing = state == "missing"
    if rule == PUBLIC:
        return 200
    if rule == DESK_WRITE:
        return _reader_refusal(principal) if reader else (201 if method == "POST" else 200)
    if rule == EDITOR_WRITE:
        if reader:
            return _reader_refusal(principal)
        return 403 if ROLE[principal] != EDITOR else (201 if method == "POST" else 200)
    if rule == CLAIM_READ:
        if reader:
            return 200 if state in PUBLIC_STATES and PAST not in query else 404
        return 404 if missing else 200
    if rule == CLAIM_WRITE:
        return _reader_refusal(principal) if reader else (404 if missing else 200)
    if rule == DESK_ONLY:
        return 404 if reader or missing else (201 if method == "POST" else 200)
    if rule == VERDICT_READ:
        if reader:
            return 200 if state in PUBLIC_VERDICT_STATES else 404
        return 404 if missing else 200
    if rule == PUBLISHED_ONLY:
        return 200 if state in PUBLIC_STATES else 404
    if rule == EDITOR_IMPORT:
        if reader:
            return _reader_refusal(principal)
        return 200 if ROLE[principal] == EDITOR else 403
    if rule == STEP:
        step = STEPS_BY_VERB[verb]
        if reader:
            return _reader_refusal(principal)
        # Role first: it does not depend on the claim, and the desk may know that every claim exists.
        if step.role == EDITOR and ROLE[principal] != EDITOR:
            return 403
        if missing:
            return 404
        if not step.status_allows(STATES[state]):
            return 409
        return DRAFT_REFUSALS.get((verb, state), 200)
    raise AssertionError(f"no rule {rule!r}")


# Routes, from the schema and the URL conf ------------------------------------------------------------------------


def _schema_routes() -> set[tuple[str, str]]:
    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    return {(method.upper(), path) for path, item in schema["paths"].items() for method in item}


def _urlconf_paths() -> set[str]:
    """Every path under /api/v1/ (and Google's /v1alpha1/) in the URL conf, with `{id}` for a captured group, as the
    schema writes it."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    paths = set()
    for raw in walk(get_resolver().url_patterns, "/"):
        path = re.sub(r"\(\?P<\w+>[^)]*\)|<(?:\w+:)?\w+>", "{id}", raw).replace("^", "").replace("$", "")
        if path.startswith((API, GOOGLE)):
            paths.add(path)
    return paths


# The fixture: one claim per state, through the services ---------------------------------------------------------


@dataclass
class Desk:
    users: dict[str, Any]
    keys: dict[str, str]
    claims: dict[str, int]  # state -> claim id
    etags: dict[str, str]  # state -> the claim's ETag
    verdicts: dict[str, int]  # verdict state -> verdict id
    others: dict[str, int]  # collection -> the id of one row, for the detail routes
    words: dict[str, str]  # state -> a word only that claim's statement contains
    now: str  # a moment after everything was published, for ?as_of=
    secrets: set[str] = field(default_factory=set)  # text no reader may ever see
    public_texts: set[str] = field(default_factory=set)  # text from the database that readers may see
    clients: dict[str, APIClient] = field(default_factory=dict)  # principal -> its client, made on first use
    sweeps: dict[str, dict[str, tuple[int, str]]] = field(default_factory=dict)  # principal -> _sweep()


def _word(state: str) -> str:
    return "zorblat" + state.replace("_", "")


def _build() -> Desk:
    fact_checker = StaffFactory(username="matrix-fact-checker", password=None)
    editor = EditorFactory(username="matrix-editor", password=None)
    # Approves and publishes what the fact-checker writes and starts the correction, so that the matrix's editor
    # has written none of it and may approve the correction.
    chief = EditorFactory(username="matrix-chief-editor", password=None)
    outsider = UserFactory(username="matrix-outsider", password=None)
    client, _ = api_client_get_or_create(name="Matrix Newsroom")
    keys = {
        API_CLIENT: api_key_create(client=client, name="website", rate="100000/hour").key,
        FACT_CHECKER_KEY: api_key_create(user=fact_checker, name="scripts", rate="100000/hour").key,
    }
    secrets: set[str] = set()
    public: set[str] = set()
    rating = default_rating("false")

    publisher = source_create(actor=editor, name="Matrix Gazette", kind=SourceKind.OUTLET)
    appearance = appearance_create(
        actor=editor, url="https://matrix-gazette.example.org/talks", title="Talks", publisher=publisher
    )
    question = question_create(actor=editor, text="How many delegates came to the matrix talks?", kind="quantity")
    public |= {publisher.name, appearance.title, question.text}

    def new(state: str) -> Claim:
        statement = f"The {_word(state)} ministry counted forty delegates at the talks."
        # Every claim names the publisher, so its track record (public) meets claims in every state.
        claim = claim_create(
            actor=fact_checker, statement=statement, kind="quantity", question=question, claimant=publisher
        )
        comment_add(claim=claim, author=fact_checker, body=f"Internal note on the {state} claim, qwvnote{state}.")
        secrets.add(f"qwvnote{state}")
        (public if state in PUBLIC_STATES else secrets).add(statement)
        return claim

    def researched(state: str) -> Claim:
        claim = new(state)
        claim_triage(claim=claim, actor=chief, comment=f"qwvtriage{state}")
        claim_assign(claim=claim, actor=chief, assignee=fact_checker, comment=f"qwvassign{state}")
        evidence_add(
            claim=claim,
            actor=fact_checker,
            url=f"https://records.example.org/{state}",
            stance="refutes",
            note=f"qwvevidence{state}",
        )
        verdict_draft(
            claim=claim,
            author=fact_checker,
            rating=rating,
            summary=f"qwvsummary{state}",
            explanation=f"qwvexplanation{state}",
            comment=f"qwvdraft{state}",
        )
        secrets.update(f"qwv{what}{state}" for what in ("triage", "assign", "draft"))
        (public if state in PUBLIC_STATES else secrets).update(
            f"qwv{what}{state}" for what in ("evidence", "summary", "explanation")
        )
        return claim

    def reviewed(state: str) -> Claim:
        claim = researched(state)
        verdict_submit(verdict=Verdict.objects.get(claim=claim), actor=fact_checker, comment=f"qwvsubmit{state}")
        secrets.add(f"qwvsubmit{state}")
        return claim

    def approved(state: str) -> Claim:
        claim = reviewed(state)
        verdict_approve(verdict=Verdict.objects.get(claim=claim), approver=chief, comment=f"qwvapprove{state}")
        secrets.add(f"qwvapprove{state}")
        return claim

    def published(state: str) -> Claim:
        claim = approved(state)
        verdict_publish(verdict=Verdict.objects.get(claim=claim), actor=chief, comment=f"qwvpublish{state}")
        secrets.add(f"qwvpublish{state}")
        return claim

    claims: dict[str, Claim] = {}
    claims["published"] = published("published")
    claims["new"] = new("new")
    claims["triaged"] = new("triaged")
    claim_triage(claim=claims["triaged"], actor=chief)
    claims["dismissed"] = new("dismissed")
    claim_dismiss(claim=claims["dismissed"], actor=chief, comment="qwvdismiss")
    claims["duplicate"] = new("duplicate")
    claim_mark_duplicate(claim=claims["duplicate"], actor=chief, of=claims["published"], comment="qwvduplicate")
    secrets |= {"qwvdismiss", "qwvduplicate"}
    claims["researching"] = researched("researching")
    claims["in_review"] = reviewed("in_review")
    claims["approved"] = approved("approved")
    claims["reopened"] = published("reopened")
    claim_reopen(
        claim=claims["reopened"],
        actor=chief,
        correction_kind=CorrectionKind.UPDATE,
        correction_note="qwvcorrectionnote",
        summary="qwvcorrectionsummary",
        explanation="qwvcorrectionexplanation",
        comment="qwvreopen",
    )
    secrets |= {"qwvcorrectionnote", "qwvcorrectionsummary", "qwvcorrectionexplanation", "qwvreopen"}
    # The desk edits public claims after approval: readers keep the approved words until the next approval.
    for state in PUBLIC_STATES:
        claim_update(claim=claims[state], actor=fact_checker, quote=f"qwvlateedit{state}")
        secrets.add(f"qwvlateedit{state}")

    ids = {state: claim.pk for state, claim in claims.items()}
    ids["missing"] = Claim.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1_000_000
    etags = {state: etag_for(Claim.objects.get(pk=pk)) for state, pk in ids.items() if state != "missing"}
    etags["missing"] = '"missing"'

    def verdict(state: str, **lookup: Any) -> int:
        return Verdict.objects.get(claim_id=ids[state], **lookup).pk

    verdicts = {state: verdict(state) for state in ("researching", "in_review", "approved", "published")} | {
        "reopened_current": verdict("reopened", version=1),
        "reopened_draft": verdict("reopened", version=2),
        "missing": Verdict.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1_000_000,
    }
    others = {
        "sources": publisher.pk,
        "appearances": appearance.pk,
        "questions": question.pk,
        "rating-scales": RatingScale.objects.default().pk,
    }
    assert {state: Claim.objects.get(pk=pk).status for state, pk in ids.items() if state != "missing"} == {
        state: status for state, status in STATES.items() if status is not None
    }
    return Desk(
        users={FACT_CHECKER_USER: fact_checker, EDITOR_USER: editor, OUTSIDER: outsider, "chief": chief},
        keys=keys,
        claims=ids,
        etags=etags,
        verdicts=verdicts,
        others=others,
        words={state: _word(state) for state in STATES if state != "missing"},
        now=timezone.now().isoformat().replace("+00:00", "Z"),
        secrets=secrets,
        public_texts=public,
    )


@pytest.fixture(scope="module")
def desk(django_db_setup, django_db_blocker) -> Iterator[Desk]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


def client_for(desk: Desk, principal: str) -> APIClient:
    """The principal's client, one per module: a new client loads the middleware again (WhiteNoise alone scans
    every static file, ~0.1 s), which over a thousand cells would be most of the module's time."""
    client = desk.clients.get(principal)
    if client is None:
        client = desk.clients[principal] = APIClient()
        if principal in desk.keys:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {desk.keys[principal]}")
        elif principal in desk.users:
            client.force_authenticate(desk.users[principal])
    if principal in desk.users:
        # As if loaded afresh, as real authentication does: no roles cached by an earlier request.
        desk.users[principal].__dict__.pop("_desk_roles", None)
    return client


# Bodies of the writes ------------------------------------------------------------------------------------------


def step_body(desk: Desk, verb: str) -> dict[str, Any]:
    bodies = {
        "triage": {"comment": "Checkable."},
        "dismiss": {"comment": "An opinion, not checkable."},
        "mark-duplicate": {"of": desk.claims["published"]},
        "assign": {"assignee": desk.users[FACT_CHECKER_USER].username},
        "draft": {"summary": "Fewer than said."},
        "submit": {},
        "approve": {},
        "reject": {"comment": "Needs a second source."},
        "publish": {},
        "reopen": {"correction_kind": CorrectionKind.UPDATE, "correction_note": "A newer count."},
    }
    return bodies[verb]  # a new step without a body here fails loudly


WRITE_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", f"{API}claims/"): {"statement": "A new claim from the matrix."},
    ("PATCH", f"{API}claims/{{id}}/"): {"tags": ["matrix"]},
    ("POST", f"{API}claims/{{id}}/comments/"): {"body": "A comment from the matrix."},
    ("POST", f"{API}sources/"): {"name": "Matrix Agency", "kind": SourceKind.NEWS_AGENCY},
    ("PATCH", f"{API}sources/{{id}}/"): {"description": "Changed by the matrix."},
    ("POST", f"{API}appearances/"): {"url": "https://matrix-gazette.example.org/new", "title": "New"},
    ("PATCH", f"{API}appearances/{{id}}/"): {"title": "Changed by the matrix"},
    ("POST", f"{API}questions/"): {"text": "How many came to the matrix meeting?", "kind": "quantity"},
    ("PATCH", f"{API}questions/{{id}}/"): {"description": "Changed by the matrix."},
    ("POST", f"{API}values/parse/"): {"expression": "nearly a thousand"},
    ("POST", f"{API}claimreview/import/"): {
        "@type": "ClaimReview",
        "url": "https://checker.example.org/matrix-review",
        "claimReviewed": "The matrix talks drew four hundred delegates.",
        "datePublished": "2024-03-01",
        "author": {"@type": "Organization", "name": "Matrix Checker"},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
    },
    ("POST", f"{API}articles/ingest/"): {
        "text": "According to the Matrix Ministry, forty delegates came to the talks on Monday, February 26.",
        "url": "https://matrix-gazette.example.org/ingested",
        "publisher": "Matrix Gazette",
        "published": "2024-02-29",
    },
}


# The cells -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    principal: str
    state: str  # a key of STATES or VERDICT_STATES; "-" where the route names no claim
    method: str
    path: str
    query: str = ""

    @property
    def rule(self) -> str:
        return ROUTES[(self.method, self.path)]

    @property
    def verb(self) -> str:
        return self.path.rstrip("/").rsplit("/", 1)[-1] if self.rule == STEP else ""

    @property
    def expected(self) -> int:
        return expected(self.rule, self.method, self.principal, self.state, verb=self.verb, query=self.query)

    @property
    def id(self) -> str:
        return f"{self.principal}-{self.state}-{self.method} {self.path.removeprefix(API)}{self.query}"


# A fact-checker's own key acts as the fact-checker; its row in these states shows it (steps that succeed, steps
# refused for the role and for the state, reads), and leaving it out of the others keeps the module fast.
KEY_STATES = frozenset({"researching", "published", "-"})


def _principals(state: str) -> tuple[str, ...]:
    return PRINCIPALS if state in KEY_STATES else tuple(p for p in PRINCIPALS if p != FACT_CHECKER_KEY)


def _cells() -> list[Cell]:
    cells = []
    for (method, path), rule in ROUTES.items():
        if "/claims/{id}/" in path:
            queries = CLAIM_READ_QUERIES[path] if rule == CLAIM_READ else ("",)
            states: tuple[str, ...] = tuple(STATES)
        else:
            queries = ROUTE_QUERIES.get(path, ("",))
            states = VERDICT_STATES if rule == VERDICT_READ else ("-",)
        cells += [Cell(p, s, method, path, q) for q in queries for s in states for p in _principals(s)]
    return cells


CELLS = _cells()


def _param(cell: Cell) -> Any:
    bug = KNOWN_BUGS.get((cell.principal, cell.state, cell.method, cell.path + cell.query))
    marks = [pytest.mark.xfail(strict=True, reason=f"BUG: {bug}")] if bug else []
    return pytest.param(cell, id=cell.id, marks=marks)


def _url(desk: Desk, cell: Cell) -> str:
    query = cell.query.replace("=now", "=" + desk.now)
    if "{id}" not in cell.path:
        return cell.path + query
    if "/claims/" in cell.path:
        pk = desk.claims[cell.state]
    elif cell.rule == VERDICT_READ:
        pk = desk.verdicts[cell.state]
    else:
        pk = desk.others[cell.path.removeprefix(API).split("/")[0]]
    return cell.path.replace("{id}", str(pk)) + query


@pytest.mark.django_db
@pytest.mark.parametrize("cell", [_param(cell) for cell in CELLS])
def test_cell(desk, cell):
    client = client_for(desk, cell.principal)
    url = _url(desk, cell)
    headers = {}
    if cell.rule in (STEP, CLAIM_WRITE):
        headers["HTTP_IF_MATCH"] = desk.etags[cell.state]
    body = step_body(desk, cell.verb) if cell.rule == STEP else WRITE_BODIES.get((cell.method, cell.path))
    response = client.generic(
        cell.method, url, json.dumps(body) if body is not None else "", content_type="application/json", **headers
    )

    assert response.status_code == cell.expected, response.content[:500]
    if cell.rule == STEP and response.status_code == 200:
        step = STEPS_BY_VERB[cell.verb]
        assert Claim.objects.get(pk=desk.claims[cell.state]).status == step.to_status(STATES[cell.state])


# The routes the matrix covers are the API's routes -----------------------------------------------------------------


def test_every_route_has_a_row():
    routes = _schema_routes()
    # The schema omits its own views and the router's root; the URL conf has every path.
    outside_the_schema = {(method, path) for method, path in ROUTES if path not in {p for _, p in routes}}
    assert {path for _, path in routes} | {path for _, path in outside_the_schema} == _urlconf_paths()
    assert set(ROUTES) == routes | outside_the_schema
    assert all(method == "GET" for method, _ in outside_the_schema)


def test_every_step_has_a_route():
    assert {path for _, path in ROUTES if "/claims/{id}/" in path} >= {
        f"{API}claims/{{id}}/{step.verb}/" for step in TRANSITIONS.values()
    }


def test_the_matrix_covers_every_route_state_and_principal():
    assert {(cell.method, cell.path) for cell in CELLS} == set(ROUTES)
    assert {cell.state for cell in CELLS if "/claims/{id}/" in cell.path} == set(STATES)
    assert {cell.state for cell in CELLS if ROUTES[(cell.method, cell.path)] == VERDICT_READ} == set(VERDICT_STATES)
    assert {cell.principal for cell in CELLS} == set(PRINCIPALS)
    assert len(set(CELLS)) == len(CELLS)


# Lists, filters and search: who finds which claims and verdicts ------------------------------------------------


def _listed_ids(client: APIClient, url: str) -> list[int]:
    ids = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        ids += [row["id"] for row in (body["results"] if isinstance(body, dict) else body)]
        url = body.get("next") if isinstance(body, dict) else None
    return ids


def _visible(principal: str, states: Any) -> set[str]:
    return {s for s in states if s != "missing" and (principal in DESK or s in PUBLIC_STATES)}


def _with_status(principal: str, status: str) -> set[str]:
    if principal in DESK:
        return {s for s in _visible(principal, STATES) if STATES[s] == status}
    # Readers know every claim they see as published, a reopened one too: telling them it is in review would tell
    # them a correction is pending.
    return _visible(principal, STATES) if status == S.PUBLISHED else set()


CLAIM_LISTS = [
    ("", lambda principal, desk: _visible(principal, STATES)),
    *[
        (f"?status={status}", lambda principal, desk, status=status: _with_status(principal, status))
        for status in S.values
    ],
    *[
        (f"?q={_word(state)}", lambda principal, desk, state=state: _visible(principal, [state]))
        for state in STATES
        if state != "missing"
    ],
    (
        "?assignee=me",
        lambda principal, desk: (
            {"researching", "in_review", "approved", "published", "reopened"}
            if principal in (FACT_CHECKER_USER, FACT_CHECKER_KEY)
            else set()
        ),
    ),
    (
        "?awaiting_review=true",
        lambda principal, desk: {"in_review", "approved", "reopened"} if principal == EDITOR_USER else set(),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize(("query", "states"), CLAIM_LISTS, ids=[query or "all" for query, _ in CLAIM_LISTS])
def test_claim_lists_show_exactly_what_the_principal_may_see(desk, principal, query, states):
    listed = _listed_ids(client_for(desk, principal), f"{API}claims/{query}")

    assert sorted(listed) == sorted(desk.claims[state] for state in states(principal, desk))


@pytest.mark.django_db
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("state", [state for state in STATES if state != "missing"])
def test_the_google_search_finds_published_claims_only_whoever_asks(desk, principal, state):
    response = client_for(desk, principal).get(GOOGLE_SEARCH, {"query": _word(state)})

    assert response.status_code == 200, response.content[:500]
    found = [claim["text"] for claim in response.json()["claims"]]
    assert len(found) == (1 if state in PUBLIC_STATES else 0)
    assert all(_word(state) in text for text in found)


@pytest.mark.django_db
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_the_verdict_list_shows_exactly_what_the_principal_may_see(desk, principal):
    listed = _listed_ids(client_for(desk, principal), f"{API}verdicts/")

    visible = [s for s in VERDICT_STATES if s != "missing" and (principal in DESK or s in PUBLIC_VERDICT_STATES)]
    assert sorted(listed) == sorted(desk.verdicts[s] for s in visible)


@pytest.mark.django_db
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("state", ["published", "reopened"])
def test_a_claims_versions_are_the_published_ones_for_readers(desk, principal, state):
    listed = _listed_ids(client_for(desk, principal), f"{API}claims/{desk.claims[state]}/verdicts/")

    expected_versions = {"published": ["published"], "reopened": ["reopened_current"]}[state]
    if principal in DESK and state == "reopened":
        expected_versions = ["reopened_draft", "reopened_current"]
    assert listed == [desk.verdicts[s] for s in expected_versions]


# Leaks: everything a reader can GET, scanned for what only the desk may see ------------------------------------


def _every_get(desk: Desk) -> list[str]:
    """Every readable URL of the API: lists with their filters, every detail of every row, every claim's parts."""
    now = desk.now
    urls = [API, f"{API}schema/", f"{API}docs/", f"{API}redoc/"]
    for collection in ("claims", "verdicts", "sources", "appearances", "questions", "rating-scales"):
        urls.append(f"{API}{collection}/")
    urls += [f"{API}claims/{query}" for query, _ in CLAIM_LISTS]
    urls += [f"{API}claims/?ordering={order}" for order in ("updated_at", "-claim_date", "id")]
    urls += [f"{API}verdicts/?claim={pk}" for pk in desk.claims.values()]
    urls += [f"{API}verdicts/?as_of={now}", f"{API}verdicts/?updated_since={PAST}"]
    urls += [f"{API}claimreview/", f"{API}claimreview/?updated_since={PAST}&page_size=1"]
    for pk in desk.claims.values():
        base = f"{API}claims/{pk}/"
        urls += [base, f"{base}?as_of={now}", f"{base}verdicts/", f"{base}verdicts/?as_of={now}"]
        urls += [f"{base}comments/", f"{base}events/", f"{base}claimreview/"]
    urls += [f"{API}verdicts/{pk}/" for pk in desk.verdicts.values()]
    for collection, model in (
        ("sources", Source),
        ("appearances", Appearance),
        ("questions", Question),
        ("rating-scales", RatingScale),
    ):
        urls += [f"{API}{collection}/{pk}/" for pk in model.objects.values_list("pk", flat=True)]
    for pk in Source.objects.values_list("pk", flat=True):
        urls += [f"{API}sources/{pk}/track-record/{query}" for query in ("", "?include_children=true&recent=10")]
    urls += [f"{GOOGLE_SEARCH}{query}" for query in ROUTE_QUERIES[GOOGLE_SEARCH]]
    words = [_word(state) for state in STATES] + ["qwvlateeditpublished", "qwvcorrectionsummary", "delegates"]
    urls += [f"{GOOGLE_SEARCH}?query={word}&pageSize=100" for word in words]
    return urls


CSRF_TOKEN = re.compile(r'(X-CSRFTOKEN"\] = )"\w+"')


def _sweep(desk: Desk, principal: str) -> dict[str, tuple[int, str]]:
    """Every GET of the API as the principal: url -> (status, body). Once per module: reads change nothing."""
    if principal not in desk.sweeps:
        client = client_for(desk, principal)
        answers = {}
        for url in _every_get(desk):
            response = client.get(url)
            # The docs page carries a CSRF token, masked afresh on every request.
            answers[url] = (response.status_code, CSRF_TOKEN.sub(r"\1...", response.content.decode()))
        desk.sweeps[principal] = answers
    return desk.sweeps[principal]


def _hidden_claim_urls(desk: Desk) -> set[str]:
    return {f"/claims/{pk}/" for state, pk in desk.claims.items() if state not in PUBLIC_STATES}


@pytest.mark.django_db
@pytest.mark.parametrize("principal", READERS)
def test_readers_find_nothing_unpublished_anywhere(desk, principal):
    answers = _sweep(desk, principal)

    assert not [url for url, (code, _) in answers.items() if code >= 500]
    leaks = {
        (url, text)
        for url, (_, body) in answers.items()
        for text in desk.secrets | _hidden_claim_urls(desk)
        if text in body
    }
    assert not leaks
    # Unpublished claims and versions answer 404 like ids that never existed, never 403.
    assert not [url for url, (code, _) in answers.items() if code == 403]
    # API clients and signed-in outsiders see exactly what anonymous readers see, byte for byte.
    assert answers == _sweep(desk, ANONYMOUS)


@pytest.mark.django_db
def test_the_desk_sees_the_secrets_the_sweep_looks_for(desk):
    """The sweep is only as good as its list of secrets: every one of them must be visible to the desk somewhere."""
    bodies = "".join(body for _, body in _sweep(desk, EDITOR_USER).values())

    assert not [text for text in desk.secrets if text not in bodies]


@pytest.mark.django_db
@pytest.mark.parametrize("principal", [ANONYMOUS, EDITOR_USER])
@pytest.mark.parametrize("url", [f"{API}schema/", f"{API}docs/", f"{API}redoc/"])
def test_the_schema_and_docs_hold_no_data_from_the_database(desk, principal, url):
    body = client_for(desk, principal).get(url).content.decode()

    texts = desk.secrets | desk.public_texts | set(desk.words.values())
    texts |= set(Comment.objects.values_list("body", flat=True))
    texts |= {text for text in ReviewEvent.objects.values_list("comment", flat=True) if text}
    texts |= set(Source.objects.values_list("name", flat=True))
    assert not [text for text in texts if text in body]


@pytest.mark.django_db
@pytest.mark.parametrize("principal", [ANONYMOUS, OUTSIDER])
@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/claims/claim/", "/admin/claims/verdict/", "/admin/audit/auditevent/"]
)
def test_the_admin_and_its_history_pages_are_closed_to_readers(desk, client, principal, path):
    # API keys do not open the admin; a signed-in outsider is not staff.
    if principal == OUTSIDER:
        client.force_login(desk.users[OUTSIDER])

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

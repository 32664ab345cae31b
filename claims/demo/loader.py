"""Load the demo data set (claims.demo.seed) through the services, idempotently.

Rows are found by their natural keys (demo claims by external_origin "demo" and their slug, sources by name and
kind, appearances by URL, questions by text, demo accounts by username) and left untouched when present, so a
second run creates nothing and changes nothing. Demo accounts exist only here: no migration creates users.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.postgres.fields.ranges import DateRange, NumericRange
from django.db import models, transaction
from django.db.models import Q

from claims.attribution import origin_position
from claims.demo import seed
from claims.models import Claim, ClaimRelation, ClaimStatus, Question, Rating, RatingScale
from claims.services import (
    Hop,
    attribution_chain_set,
    claim_assign,
    claim_create,
    claim_dismiss,
    claim_triage,
    claim_value_add,
    evidence_add,
    relation_confirm,
    verdict_approve,
    verdict_draft,
    verdict_publish,
    verdict_submit,
)
from sources.models import Appearance, Source
from sources.urlnorm import normalize_url

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class AccountResult:
    username: str
    role: str
    is_superuser: bool
    password: str | None  # Set in this run (created or reset); None when the old password was kept.
    created: bool


@dataclass
class DemoReport:
    created: Counter[str] = field(default_factory=Counter)
    present: Counter[str] = field(default_factory=Counter)
    accounts: list[AccountResult] = field(default_factory=list)

    def summary(self) -> str:
        def detail(counter: Counter[str]) -> str:
            return ", ".join(f"{name} {number}" for name, number in counter.items() if number)

        created, present = sum(self.created.values()), sum(self.present.values())
        text = f"Demo data: created {created}"
        if created:
            text += f" ({detail(self.created)})"
        text += f", already present {present}"
        if present:
            text += f" ({detail(self.present)})"
        return text + "."


@transaction.atomic
def load_demo(*, password: str | None = None, reset_passwords: bool = False) -> DemoReport:
    """Load the demo data in one transaction.

    New demo accounts get `password`, or a random one when it is None; existing accounts keep theirs unless
    `reset_passwords`. The report carries every password set in this run, for the caller to show once.
    """
    report = DemoReport()
    users = {account.role: _account(account, password, reset_passwords, report) for account in seed.ACCOUNTS}
    editor, fact_checker = users[seed.EDITOR], users[seed.FACT_CHECKER]
    sources = _sources(report)
    appearances = _appearances(sources, report)
    questions = _questions(report)
    for spec in seed.CLAIMS:
        # A demo claim that exists is left exactly as it is, verdicts and status included: the desk may have
        # worked on it since.
        if Claim.objects.filter(external_origin=seed.ORIGIN, external_id=spec.slug).exists():
            report.present["claims"] += 1
            continue
        claim = _claim(spec, sources, appearances, questions, editor=editor, fact_checker=fact_checker)
        report.created["claims"] += 1
        if spec.verdict is not None:
            _verdict(claim, spec.verdict, editor=editor, fact_checker=fact_checker)
            report.created["published verdicts" if spec.verdict.publish else "verdict drafts"] += 1
    _confirm_relations(editor, report)
    return report


def _confirm_relations(editor: Any, report: DemoReport) -> None:
    """The editor confirms the detector's suggestions listed in the seed (they exist once the values are in)."""
    ids = dict(Claim.objects.filter(external_origin=seed.ORIGIN).values_list("external_id", "pk"))
    for first, second, kind in seed.CONFIRMED_RELATIONS:
        if first not in ids or second not in ids:
            continue
        pair = Q(from_claim=ids[first], to_claim=ids[second]) | Q(from_claim=ids[second], to_claim=ids[first])
        relation = ClaimRelation.objects.filter(pair, kind=kind, state=ClaimRelation.State.SUGGESTED).first()
        if relation is not None:
            relation_confirm(relation=relation, actor=editor)
            report.created["confirmed relations"] += 1


def _account(account: seed.DemoAccount, password: str | None, reset: bool, report: DemoReport) -> Any:
    User = get_user_model()
    user = User.objects.filter(username=account.username).first()
    created = user is None
    if created:
        user = User(
            username=account.username,
            email=account.email,
            is_staff=True,
            is_superuser=account.is_superuser,
        )
    new_password = None
    if created or reset:
        new_password = password or secrets.token_urlsafe(12)
        user.set_password(new_password)
        user.save()
    (report.created if created else report.present)["accounts"] += 1
    # The role is a group (claims migration 0003_roles); adding a group the user already has changes nothing.
    user.groups.add(Group.objects.get(name=account.role))
    report.accounts.append(AccountResult(account.username, account.role, account.is_superuser, new_password, created))
    return user


def _get_or_create(model: type[M], lookup: dict[str, Any], fields: dict[str, Any], report: DemoReport) -> M:
    """The row matching `lookup`, or a new one validated with full_clean; an existing row is left as it is."""
    name = str(model._meta.verbose_name_plural)
    row = model.objects.filter(**lookup).first()
    if row is not None:
        report.present[name] += 1
        return row
    row = model(**fields)
    row.full_clean()
    row.save()
    report.created[name] += 1
    return row


def _sources(report: DemoReport) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for spec in seed.SOURCES:
        sources[spec.key] = _get_or_create(
            Source,
            {"name__iexact": spec.name, "kind": spec.kind},
            {
                "name": spec.name,
                "kind": spec.kind,
                "country": spec.country,
                "description": spec.description,
                "aliases": list(spec.aliases),
                "parent": sources[spec.parent] if spec.parent else None,
                "wikidata_id": spec.wikidata_id,
                "homepage": spec.homepage,
            },
            report,
        )
    return sources


def _appearances(sources: dict[str, Source], report: DemoReport) -> dict[str, Appearance]:
    return {
        spec.key: _get_or_create(
            Appearance,
            {"url": normalize_url(spec.url)},
            {
                "url": spec.url,
                "title": spec.title,
                "publisher": sources[spec.publisher],
                "published_on": spec.published_on,
                "language": spec.language,
            },
            report,
        )
        for spec in seed.APPEARANCES
    }


def _questions(report: DemoReport) -> dict[str, Question]:
    return {
        spec.key: _get_or_create(
            Question,
            {"text__iexact": spec.text},
            {
                "text": spec.text,
                "kind": spec.kind,
                "unit": spec.unit,
                "cumulative": spec.cumulative,
                "description": spec.description,
            },
            report,
        )
        for spec in seed.QUESTIONS
    }


def _claim(
    spec: seed.ClaimSpec,
    sources: dict[str, Source],
    appearances: dict[str, Appearance],
    questions: dict[str, Question],
    *,
    editor: Any,
    fact_checker: Any,
) -> Claim:
    # The first chain names the first appearance and the claimant (its original speaker, if named). Given here,
    # attribution_chain_set need not fill them in with an update of its own.
    first = spec.chains[0]
    origin = origin_position([hop.relation for hop in first.hops])
    claim = claim_create(
        actor=editor,
        statement=spec.statement,
        quote=spec.quote,
        kind=spec.kind,
        claimant=sources[first.hops[origin].source] if origin is not None else None,
        first_appearance=appearances[first.appearance],
        claim_date=spec.claim_date,
        tags=list(spec.tags),
        question=questions[spec.question] if spec.question else None,
        external_origin=seed.ORIGIN,
        external_id=spec.slug,
    )
    for chain in spec.chains:
        attribution_chain_set(
            claim=claim,
            appearance=appearances[chain.appearance],
            hops=[Hop(sources[hop.source], hop.relation, hop.excerpt) for hop in chain.hops],
            actor=editor,
        )
    for value in spec.values:
        claim_value_add(claim=claim, actor=editor, **_value_fields(value))
    # The desk's own steps, as in the admin and the API: each checks its actor's role and logs a ReviewEvent.
    if spec.status == ClaimStatus.DISMISSED:
        claim = claim_dismiss(claim=claim, actor=editor, comment="Not checkable.")
    elif spec.status != ClaimStatus.NEW:
        claim = claim_triage(claim=claim, actor=editor)
    if spec.status == ClaimStatus.RESEARCHING or spec.verdict is not None:
        claim = claim_assign(claim=claim, actor=editor, assignee=fact_checker)
    # In review and published are reached through the verdict services, in _verdict.
    return claim


def _value_fields(value: seed.ValueSpec) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": value.kind,
        "expression": value.expression,
        "qualifier": value.qualifier,
        "unit": value.unit,
        "precision": value.precision,
        "as_of": value.as_of,
        "place": value.place,
    }
    interval_field, interval = (
        ("quantity", NumericRange(value.low, value.high, value.bounds))
        if value.kind == "quantity"
        else ("dates", DateRange(value.low, value.high, value.bounds))
    )
    fields[interval_field] = interval
    return fields


def _verdict(claim: Claim, spec: seed.VerdictSpec, *, editor: Any, fact_checker: Any) -> None:
    """Research, draft and submit, and when the spec says so approve and publish, as the desk would."""
    for evidence in spec.evidence:
        evidence_add(
            claim=claim,
            actor=fact_checker,
            url=evidence.url,
            title=evidence.title,
            stance=evidence.stance,
            note=evidence.note,
        )
    verdict = verdict_draft(
        claim=claim,
        author=fact_checker,
        rating=Rating.objects.get(scale=RatingScale.objects.default(), slug=spec.rating),
        summary=spec.summary,
        explanation=spec.explanation,
    )
    verdict = verdict_submit(verdict=verdict, actor=fact_checker)
    if spec.publish:
        verdict = verdict_approve(verdict=verdict, approver=editor)
        verdict_publish(verdict=verdict, actor=editor)

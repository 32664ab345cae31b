"""Data: give every approved verdict version (published or not) the claim as approved.

Until now readers were served the claim's live rows, so the best record of what was approved is those rows as they
are now: nothing reached readers through a later edit that was not already live. The snapshot is built here from
the historical models, in the shape claims.api.public.ClaimPublicSerializer renders (a test compares the two), and
not with that serializer: app code changes after this migration, and the migration must build what the schema of
its own time holds.

Reversing drops the snapshots again (the column itself goes with 0008).
"""

import datetime as dt
from itertools import groupby

from django.db import migrations
from django.utils import timezone


def _iso(value):
    """Dates as ISO dates; date-times as the API writes them (in the current time zone, UTC as Z)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        text = value.astimezone(timezone.get_current_timezone()).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return value.isoformat()


def _source(source, *, kind=True):
    if source is None:
        return None
    brief = {"id": source.pk, "name": source.name}
    if kind:
        brief["kind"] = source.kind
    return brief


def _appearance(appearance):
    if appearance is None:
        return None
    return {
        "id": appearance.pk,
        "url": appearance.url,
        "title": appearance.title,
        "publisher_name": appearance.publisher.name if appearance.publisher_id is not None else None,
        "published_on": _iso(appearance.published_on),
    }


def _end(value):
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _value(value):
    interval = value.quantity if value.quantity is not None else value.dates
    return {
        "id": value.pk,
        "kind": value.kind,
        "expression": value.expression,
        "low": _end(interval.lower),
        "high": _end(interval.upper),
        "low_inclusive": bool(interval.lower_inc),
        "high_inclusive": bool(interval.upper_inc),
        "qualifier": value.qualifier,
        "unit": value.unit,
        "precision": value.precision,
        "as_of": _iso(value.as_of),
        "place": value.place,
    }


def _chains(claim, Attribution):
    hops = (
        Attribution.objects.filter(claim=claim)
        .select_related("source", "appearance__publisher")
        .order_by("appearance_id", "position")
    )
    chains = []
    for _appearance_id, group in groupby(hops, key=lambda hop: hop.appearance_id):
        group = list(group)
        # The original speaker is the last hop when it publishes first-hand (claims.attribution.origin_position).
        origin = group[-1].source if group[-1].relation == "publishes" else None
        chains.append(
            {
                "appearance": _appearance(group[0].appearance),
                "hops": [
                    {
                        "position": hop.position,
                        "source": _source(hop.source),
                        "relation": hop.relation,
                        "quote_excerpt": hop.quote_excerpt,
                    }
                    for hop in group
                ],
                "origin": _source(origin, kind=False),
            }
        )
    return chains


def snapshot(claim, apps):
    """The claim's public representation from the rows as they are, in ClaimPublicSerializer's shape."""
    Attribution = apps.get_model("claims", "Attribution")
    ClaimValue = apps.get_model("claims", "ClaimValue")
    Evidence = apps.get_model("claims", "Evidence")
    return {
        "statement": claim.statement,
        "quote": claim.quote,
        "kind": claim.kind,
        "claimant": _source(claim.claimant),
        "claim_date": _iso(claim.claim_date),
        "language": claim.language,
        "tags": list(claim.tags),
        "question": {"id": claim.question.pk, "text": claim.question.text} if claim.question_id else None,
        "first_appearance": _appearance(claim.first_appearance),
        "attributions": _chains(claim, Attribution),
        "values": [_value(value) for value in ClaimValue.objects.filter(claim=claim).order_by("id")],
        "evidence": [
            {
                "id": evidence.pk,
                "url": evidence.url,
                "appearance": _appearance(evidence.appearance),
                "title": evidence.title,
                "stance": evidence.stance,
                "note": evidence.note,
                "archive_url": evidence.archive_url,
                "created_at": _iso(evidence.created_at),
            }
            for evidence in Evidence.objects.filter(claim=claim).select_related("appearance__publisher").order_by("id")
        ],
    }


def fill(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Verdict = apps.get_model("claims", "Verdict")
    approved = Verdict.objects.filter(approved_at__isnull=False, claim_snapshot__isnull=True)
    claims = Claim.objects.filter(pk__in=approved.values("claim_id")).select_related(
        "claimant", "question", "first_appearance__publisher"
    )
    for claim in claims.iterator(chunk_size=500):
        # No trigger guards published versions yet (0011 adds it), so published rows can still be written here.
        approved.filter(claim=claim).update(claim_snapshot=snapshot(claim, apps))


def empty(apps, schema_editor):
    apps.get_model("claims", "Verdict").objects.update(claim_snapshot=None)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0008_verdict_claim_snapshot"),
    ]

    operations = [migrations.RunPython(fill, empty)]

"""The source page with its track record (claims.trackrecord): how the claims it originated and relayed were rated.

sources.admin registers the Source page and may not import claims, so the panel is added here: a subclass of that
admin, registered in its place. Importing sources.admin first makes sure the original registration has happened,
whatever order the admin modules are discovered in (sources comes before claims in INSTALLED_APPS as well).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from claims.models import Bucket
from claims.trackrecord import ORIGINATED, RECENT_MAX, RELAYED, ROLES, Tally, track_record
from sources.admin import SourceAdmin
from sources.models import Source

if TYPE_CHECKING:
    from django.http import HttpRequest

# By year on this page: a table an editor takes in at a glance. The API offers months and quarters too.
ADMIN_PERIOD = "year"
ADMIN_PERIOD_ROWS = 10


def _tally_cells(tally: Tally) -> SafeString:
    return format_html_join("", "<td>{}</td>", ((tally.buckets[bucket],) for bucket in Bucket.values))


class SourceWithTrackRecordAdmin(SourceAdmin):
    readonly_fields = [*SourceAdmin.readonly_fields, "track_record"]

    def get_fieldsets(self, request: HttpRequest, obj: Source | None = None) -> list[tuple[str | None, dict[str, Any]]]:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets
        return [
            *fieldsets,
            (
                "Track record",
                {
                    "fields": ["track_record"],
                    "description": "As readers see it: current published verdicts only, each with the claim as it "
                    "was approved. Originated: the source is the claimant or a chain's origin; relayed: any other "
                    "hop. A claim counts in one role at most.",
                },
            ),
        ]

    @admin.display(description="Track record")
    def track_record(self, obj: Source) -> SafeString:
        if obj.pk is None:
            return mark_safe("")
        record = track_record(obj, period=ADMIN_PERIOD, recent=RECENT_MAX)
        header = format_html_join("", "<th>{}</th>", ((label,) for label in Bucket.labels))
        by_bucket = format_html(
            "<table><thead><tr><th></th>{}<th>Total</th></tr></thead><tbody>{}</tbody></table>",
            header,
            format_html_join(
                "",
                "<tr><th>{}</th>{}<td><strong>{}</strong></td></tr>",
                (
                    (role.capitalize(), _tally_cells(tally), tally.total)
                    for role, tally in ((ORIGINATED, record.originated), (RELAYED, record.relayed))
                ),
            ),
        )
        periods = record.periods[-ADMIN_PERIOD_ROWS:]
        by_period = format_html(
            "<table><thead><tr><th>Claim date ({})</th><th>Originated</th><th>Relayed</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            ADMIN_PERIOD,
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (row.label or "no date", self._summary(row.originated), self._summary(row.relayed))
                    for row in periods
                ),
            )
            or mark_safe('<tr><td colspan="3">No published verdicts.</td></tr>'),
        )
        claims = format_html_join(
            "",
            "<h4>Latest {} ({} of {})</h4><ul>{}</ul>",
            (
                (role, len(getattr(record, role).recent), getattr(record, role).total, self._links(record, role))
                for role in ROLES
                if getattr(record, role).total
            ),
        )
        return format_html('<div class="track-record">{}{}{}</div>', by_bucket, by_period, claims)

    @staticmethod
    def _summary(tally: Tally) -> str:
        if not tally.total:
            return "0"
        parts = ", ".join(
            f"{label.lower()} {tally.buckets[bucket]}" for bucket, label in Bucket.choices if tally.buckets[bucket]
        )
        return f"{tally.total}: {parts}"

    @staticmethod
    def _links(record: Any, role: str) -> SafeString:
        return format_html_join(
            "",
            '<li><a href="{}">{}</a> — {}</li>',
            (
                (
                    reverse("admin:claims_claim_change", args=[claim.id]),
                    Truncator(claim.statement).chars(100),
                    claim.rating.label,
                )
                for claim in getattr(record, role).recent
            ),
        )


admin.site.unregister(Source)
admin.site.register(Source, SourceWithTrackRecordAdmin)

"""Forms and formsets behind the claim and verdict pages: they validate as the services do and save through them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.postgres.fields.ranges import DateRange, NumericRange
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet

from claims.attribution import chain_errors
from claims.crossref.detect import claim_relations_refresh
from claims.models import Attribution, ClaimValue, Evidence, Rating, Verdict
from claims.services import (
    VERDICT_EDITABLE_FIELDS,
    Hop,
    attribution_chain_set,
    claim_value_add,
    claim_values_changed,
    evidence_add,
)
from claims.values import NumberError, number_end

SMALL_TEXTAREA = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


class ServiceFormSet(BaseInlineFormSet):
    """An inline formset that knows who is saving, for services that record the actor."""

    actor: Any = None


# Attribution hops -------------------------------------------------------------------------------------------------


class AttributionFormSet(ServiceFormSet):
    """Hops are checked and written a whole chain at a time, one chain per (claim, appearance).

    Saving goes through attribution_chain_set rather than row by row: the service replaces the chain, so hops can
    be reordered without tripping the unique (claim, appearance, position) constraint half-way, positions are
    renumbered 0, 1, 2... in the order given, and the chain's original speaker becomes the claimant when the claim
    has none, as it does for the API.
    """

    def _is_blank_extra(self, form: forms.ModelForm) -> bool:
        return form.instance.pk is None and not form.has_changed()

    def _kept_forms(self) -> list[forms.ModelForm]:
        return [f for f in self.forms if not self._is_blank_extra(f) and not self._should_delete_form(f)]

    def _touched_chains(self) -> set[int | None]:
        """Appearance ids (None: no known document) of every chain the submitted forms add to, change or remove."""
        touched: set[int | None] = set()
        for form in self.forms:
            if self._is_blank_extra(form) or not form.has_changed():
                continue
            if form.instance.pk is not None:
                touched.add(form.initial.get("appearance"))
            if not self._should_delete_form(form):
                touched.add(_pk(form.cleaned_data.get("appearance")))
        return touched

    def _chains(self) -> dict[int | None, list[forms.ModelForm]]:
        chains: dict[int | None, list[forms.ModelForm]] = {}
        for form in self._kept_forms():
            chains.setdefault(_pk(form.cleaned_data.get("appearance")), []).append(form)
        for forms_ in chains.values():
            forms_.sort(key=lambda f: f.cleaned_data["position"])
        return chains

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        chains = self._chains()
        problems: list[str] = []
        # Only chains this submission touches are checked, so an old, broken chain does not block unrelated edits.
        for key in self._touched_chains():
            hops = chains.get(key, [])
            if not hops:
                continue  # the whole chain was removed
            name = str(hops[0].cleaned_data["appearance"] or "no known document")
            positions = [form.cleaned_data["position"] for form in hops]
            if len(set(positions)) != len(positions):
                problems.append(f"Chain on {name}: two hops have the same position.")
                continue
            for index, message in chain_errors([form.cleaned_data["relation"] for form in hops]):
                hops[index].add_error("relation", message)
                problems.append(f"Chain on {name}: {message}")
        if problems:
            raise ValidationError(problems)

    def save(self, commit: bool = True) -> list[Attribution]:
        if not commit:
            raise ValueError("Attribution chains are saved whole; commit=False is not supported.")
        self.new_objects: list[Attribution] = []
        self.changed_objects: list[tuple[Attribution, list[str]]] = []
        self.deleted_objects = [form.instance for form in self.deleted_forms if form.instance.pk is not None]
        chains = self._chains()
        for key in self._touched_chains():
            hops = chains.get(key, [])
            if not hops:
                Attribution.objects.filter(claim=self.instance, appearance_id=key).delete()
                # The detector's sentences name who each answer comes from, which the removed chain said.
                claim_relations_refresh(claim=self.instance)
                continue
            rows = attribution_chain_set(
                claim=self.instance,
                appearance=hops[0].cleaned_data["appearance"],
                hops=[
                    Hop(
                        source=form.cleaned_data["source"],
                        relation=form.cleaned_data["relation"],
                        quote_excerpt=form.cleaned_data.get("quote_excerpt", ""),
                    )
                    for form in hops
                ],
                actor=self.actor,
            )
            for form, row in zip(hops, rows, strict=True):
                if form.instance.pk is None:
                    self.new_objects.append(row)
                elif form.has_changed():
                    self.changed_objects.append((row, form.changed_data))
        return [*self.new_objects, *(row for row, _ in self.changed_objects)]


def _pk(obj: models.Model | None) -> int | None:
    return None if obj is None else obj.pk


# Built from low/high and the two "inclusive" boxes instead of being edited directly.
INTERVAL_FIELDS = frozenset({"quantity", "dates"})
VALUE_FIELDS = ("kind", "expression", "quantity", "dates", "qualifier", "unit", "precision", "as_of", "place")


def _parse_number(text: str) -> Decimal | None:
    try:
        return number_end(text, grouped=True)
    except NumberError as error:
        message = {
            "invalid": "Enter a number, or leave empty for no end.",
            "not_finite": "Leave the end empty for an unbounded interval.",
        }.get(error.code, str(error))
        raise ValidationError(message, code=error.code) from error


def _parse_date(text: str) -> Any:
    return forms.DateField(required=False).clean(text.strip()) or None


class ClaimValueForm(forms.ModelForm):
    """Edits the value's interval as two ends, each open or closed, instead of the stock fixed-'[)' range widget."""

    low = forms.CharField(required=False, label="low", help_text="Number or date; empty for no lower end.")
    low_inclusive = forms.BooleanField(required=False, initial=True, label="incl.")
    high = forms.CharField(required=False, label="high", help_text="Number or date; empty for no upper end.")
    high_inclusive = forms.BooleanField(required=False, initial=False, label="incl.")

    class Meta:
        model = ClaimValue
        fields = ["kind", "expression", "qualifier", "unit", "precision", "as_of", "place"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        interval = self.instance.quantity if self.instance.kind == ClaimValue.Kind.QUANTITY else self.instance.dates
        if self.instance.pk is not None and interval is not None:
            self.initial.update(
                low="" if interval.lower is None else str(interval.lower),
                high="" if interval.upper is None else str(interval.upper),
                low_inclusive=interval.lower_inc,
                high_inclusive=interval.upper_inc,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        parse = _parse_number if kind == ClaimValue.Kind.QUANTITY else _parse_date
        ends: dict[str, Any] = {}
        for name in ("low", "high"):
            try:
                ends[name] = parse(cleaned.get(name) or "")
            except ValidationError as error:
                self.add_error(name, error)
        if kind is None or len(ends) < 2:
            return cleaned
        low, high = ends["low"], ends["high"]
        if low is not None and high is not None and low > high:
            # PostgreSQL refuses such a range outright, before any constraint could word the problem.
            self.add_error("high", "The high end is below the low end.")
            return cleaned
        interval = None
        if low is not None or high is not None:
            bounds = ("[" if cleaned.get("low_inclusive") and low is not None else "(") + (
                "]" if cleaned.get("high_inclusive") and high is not None else ")"
            )
            interval = (NumericRange if kind == ClaimValue.Kind.QUANTITY else DateRange)(low, high, bounds)
        self.instance.quantity = interval if kind == ClaimValue.Kind.QUANTITY else None
        self.instance.dates = interval if kind == ClaimValue.Kind.DATE else None
        return cleaned

    def _get_validation_exclusions(self) -> set[str]:
        # ModelForm skips fields that are not on the form, and with them every constraint that mentions them; the
        # interval is the heart of the value, so validate it (and those constraints' readable messages) too.
        return super()._get_validation_exclusions() - INTERVAL_FIELDS

    def _update_errors(self, errors: ValidationError) -> None:
        if hasattr(errors, "error_dict"):
            for name in INTERVAL_FIELDS & errors.error_dict.keys():
                errors.error_dict.setdefault("low", []).extend(errors.error_dict.pop(name))
        super()._update_errors(errors)


class ClaimValueFormSet(ServiceFormSet):
    def save_new(self, form: forms.ModelForm, commit: bool = True) -> ClaimValue:
        fields = {name: getattr(form.instance, name) for name in VALUE_FIELDS}
        return claim_value_add(claim=self.instance, actor=self.actor, **fields)

    def save(self, commit: bool = True) -> list[ClaimValue]:
        saved = super().save(commit)
        # Rows changed or removed in place bypass claim_value_add; the claim's cross-references follow them too.
        if self.changed_objects or self.deleted_objects:
            claim_values_changed(claim=self.instance, actor=self.actor)
        return saved


EVIDENCE_FIELDS = ("url", "appearance", "title", "stance", "note", "archive_url")


class EvidenceFormSet(ServiceFormSet):
    def save_new(self, form: forms.ModelForm, commit: bool = True) -> Evidence:
        fields = {name: getattr(form.instance, name) for name in EVIDENCE_FIELDS}
        return evidence_add(claim=self.instance, actor=self.actor, **fields)


VERDICT_DRAFT_FIELDS = VERDICT_EDITABLE_FIELDS


class VerdictForm(forms.ModelForm):
    class Meta:
        model = Verdict
        fields = ["claim", *VERDICT_DRAFT_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "rating" in self.fields:
            self.fields["rating"].queryset = Rating.objects.select_related("scale").order_by("scale__name", "-ordinal")

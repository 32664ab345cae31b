"""Admin for the desk: claims with their hops, values, evidence and verdict history; verdicts and their workflow.

Writes that carry a rule go through claims.services, exactly as the API's do; published verdicts are history and
cannot be changed or deleted here. claims.py holds the claim page, verdicts.py the verdicts and their workflow
buttons, reference.py questions, relations and rating scales, forms.py the forms that route saves to services.
"""

from __future__ import annotations

from claims.admin import claims, reference, verdicts

__all__ = ["claims", "reference", "verdicts"]

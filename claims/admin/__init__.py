"""Admin for the desk: claims with their hops, values, evidence and verdict history; verdicts and their workflow.

Writes that carry a rule go through claims.services, exactly as the API's do; published verdicts are history and
cannot be changed or deleted here. claims.py holds the claim page, verdicts.py the verdicts and their workflow
buttons, reference.py questions, relations and rating scales, forms.py the forms that route saves to services,
sources.py the source page again, with the source's track record (sources.admin may not import claims).
"""

from __future__ import annotations

from claims.admin import claims, reference, sources, verdicts

__all__ = ["claims", "reference", "sources", "verdicts"]

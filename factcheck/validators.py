"""Field validators that mirror the database's check constraints, so errors name the field before the database
has to refuse the row (the constraints stay as the backstop for every other write path)."""

from __future__ import annotations

from django.core.validators import RegexValidator

BCP47_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

validate_language = RegexValidator(
    BCP47_PATTERN, "Language must be a BCP 47 tag such as en or pt-BR.", "invalid_language"
)
validate_country = RegexValidator(
    r"^[A-Z]{2}$", "Country must be a two-letter ISO 3166-1 code in capitals, e.g. RU.", "invalid_country"
)
validate_wikidata_id = RegexValidator(r"^Q[1-9][0-9]*$", "Wikidata id must look like Q193563.", "invalid_wikidata_id")
validate_sha256 = RegexValidator(
    r"^[0-9a-f]{64}$", "The content hash must be 64 lower-case hex digits (SHA-256).", "invalid_hash"
)

"""Who makes or relays claims, and the documents in which claims appear."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from factcheck.validators import validate_country, validate_language, validate_sha256, validate_wikidata_id
from sources.querysets import AppearanceQuerySet, SourceQuerySet
from sources.urlnorm import normalize_url


class SourceKind(models.TextChoices):
    PERSON = "person", "Person"
    NEWS_AGENCY = "news_agency", "News agency"
    OUTLET = "outlet", "News outlet"
    GOVERNMENT = "government", "Government body"
    MINISTRY = "ministry", "Ministry"
    MILITARY = "military", "Military"
    POLITICAL_GROUP = "political_group", "Political or armed group"
    NGO = "ngo", "NGO"
    INTERNATIONAL_BODY = "international_body", "International body"
    OTHER = "other", "Other"


class Source(models.Model):
    """A person or organisation that makes or relays claims."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=SourceKind.choices)
    description = models.CharField(
        max_length=300, blank=True, help_text="Role or job title, e.g. 'Director of the Institute of Oriental Studies'."
    )
    country = models.CharField(
        max_length=2, blank=True, validators=[validate_country], help_text="ISO 3166-1 alpha-2 code, e.g. RU."
    )
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The body this one belongs to: a ministry's government, a politburo's movement.",
    )
    wikidata_id = models.CharField(
        max_length=20, blank=True, validators=[validate_wikidata_id], help_text="Wikidata item, e.g. Q193563."
    )
    homepage = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "kind",
                name="source_name_kind_unique",
                violation_error_message=("A source of this kind with this name already exists."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""), name="source_name_not_blank", violation_error_message="A source needs a name."
            ),
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=r"^[A-Z]{2}$"),
                name="source_country_iso2",
                violation_error_message="Country must be a two-letter ISO 3166-1 code in capitals, e.g. RU.",
            ),
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=r"^Q[1-9][0-9]*$"),
                name="source_wikidata_qid",
                violation_error_message="Wikidata id must look like Q193563.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="source_not_own_parent",
                violation_error_message="A source cannot be its own parent.",
            ),
        ]
        indexes = [
            # Admin autocomplete and the API's ?search= use icontains on the name: trigram GIN serves it.
            GinIndex(OpClass(Lower("name"), name="gin_trgm_ops"), name="source_name_trgm"),
            # Aliases are matched exactly when importers and ingestion resolve a speaker to a source.
            GinIndex(fields=["aliases"], name="source_aliases_gin"),
            models.Index(fields=["updated_at", "id"], name="source_updated_idx"),
            # The API lists sources by name; the index lets each cursor page walk it instead of sorting the table.
            models.Index(fields=["name", "id"], name="source_name_id_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Appearance(models.Model):
    """One published document in which claims appear (an article, a post, a broadcast transcript)."""

    url = models.URLField(max_length=2000, help_text="Normalised on save: lower-case host, no fragment or tracking.")
    title = models.CharField(max_length=500, blank=True)
    publisher = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True, related_name="appearances")
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(
        max_length=16, default="en", validators=[validate_language], help_text="BCP 47 tag, e.g. en or pt-BR."
    )
    retrieved_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(
        max_length=64, blank=True, validators=[validate_sha256], help_text="SHA-256 (hex) of the retrieved text."
    )
    archive_url = models.URLField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppearanceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], name="appearance_url_unique", violation_error_message="This URL is already recorded."
            ),
            models.CheckConstraint(
                condition=Q(url__regex=r"^https?://[^\s]+$"),
                name="appearance_url_http",
                violation_error_message="The URL must be an http(s) address without spaces.",
            ),
            models.CheckConstraint(
                condition=Q(content_hash="") | Q(content_hash__regex=r"^[0-9a-f]{64}$"),
                name="appearance_content_hash_sha256",
                violation_error_message="The content hash must be 64 lower-case hex digits (SHA-256).",
            ),
            models.CheckConstraint(
                condition=Q(language__regex=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"),
                name="appearance_language_bcp47",
                violation_error_message="Language must be a BCP 47 tag such as en or pt-BR.",
            ),
        ]
        indexes = [
            models.Index(fields=["publisher", "published_on"], name="appearance_publisher_idx"),
            models.Index(fields=["updated_at", "id"], name="appearance_updated_idx"),
            # The API's default order (newest first, undated last), walked by cursor pages without a sort.
            models.Index(F("published_on").desc(nulls_last=True), F("id").desc(), name="appearance_newest_idx"),
            # Admin search: LOWER(title|url) LIKE '%term%'.
            GinIndex(OpClass(Lower("title"), name="gin_trgm_ops"), name="appearance_title_trgm"),
            GinIndex(OpClass(Lower("url"), name="gin_trgm_ops"), name="appearance_url_trgm"),
        ]

    def __str__(self) -> str:
        return self.title or self.url

    def save(self, *args, **kwargs) -> None:
        # Normalised here as well as in clean() so that services and importers that skip full_clean()
        # cannot store a second spelling of a URL we already have.
        self.url = normalize_url(self.url)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: set[str] | None = None) -> None:
        # Normalise before the field checks, so the length limit applies to what is stored.
        self.url = normalize_url(self.url)
        super().clean_fields(exclude=exclude)

"""ClaimReview import, the pure part: documents read into `ParsedReview`s, and their ratings mapped onto a scale
(`RatingMapper`: unknown ratings are refused, never guessed). claims.services.claimreview writes them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.utils.dateparse import parse_date, parse_datetime

from claims.claimreview.export import ORGANIZATION, PERSON

if TYPE_CHECKING:
    from claims.models import Rating


class PayloadError(ValueError):
    """The document as a whole is not ClaimReview: nothing in it can be imported."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


class ItemError(ValueError):
    """One review cannot be imported as it stands: it is reported and skipped."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class Party:
    """A claimant or publisher as a document names it."""

    name: str
    kind: str  # Person or Organization
    url: str = ""
    same_as: tuple[str, ...] = ()

    @property
    def wikidata_id(self) -> str:
        for link in self.same_as:
            match = re.fullmatch(r"https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/(Q[1-9][0-9]*)", link)
            if match:
                return match.group(1)
        return ""

    @property
    def homepage(self) -> str:
        links = [self.url] if self.url else []
        links += [link for link in self.same_as if "wikidata.org/" not in link]
        return links[0] if links else ""


@dataclass(frozen=True)
class ParsedAppearance:
    url: str
    title: str = ""
    published_on: dt.date | None = None
    publisher: Party | None = None


@dataclass
class ParsedReview:
    """What one ClaimReview document says, before it meets the database."""

    index: int
    identifier: str  # the review's url, else its @id or identifier: what makes an import idempotent
    url: str
    statement: str
    published_at: dt.datetime
    author: Party
    rating_text: str
    rating_value: Decimal | None
    best: Decimal | None
    worst: Decimal | None
    claimant: Party | None = None
    claim_date: dt.date | None = None
    appearances: list[ParsedAppearance] = field(default_factory=list)
    first_appearance: ParsedAppearance | None = None
    language: str = "en"
    summary: str = ""


def _types(node: Any) -> set[str]:
    if not isinstance(node, dict):
        return set()
    raw = node.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return {name.rsplit("/", 1)[-1].removeprefix("schema:") for name in names if isinstance(name, str)}


def reviews_in(payload: Any) -> list[Any]:
    """The review documents in a payload: one ClaimReview, an array of them, or a DataFeed (whose elements may be
    DataFeedItems wrapping them). Elements that are not ClaimReview stay in the list, to be reported one by one."""
    if isinstance(payload, list):
        return payload
    if not isinstance(payload, dict):
        raise PayloadError("@type", "Expected a ClaimReview object, an array of them, or a DataFeed.")
    types = _types(payload)
    if "DataFeed" in types:
        elements = payload.get("dataFeedElement")
        if elements is None:
            return []
        if not isinstance(elements, list):
            elements = [elements]
        return [element.get("item", element) if "DataFeedItem" in _types(element) else element for element in elements]
    if "ClaimReview" in types:
        return [payload]
    if "@graph" in payload and isinstance(payload["@graph"], list):
        return payload["@graph"]
    raise PayloadError("@type", f"Expected ClaimReview or DataFeed, got {payload.get('@type')!r}.")


def _text(node: Mapping[str, Any], key: str, *, required: bool = False, where: str = "") -> str:
    value = node.get(key)
    if isinstance(value, list) and value and isinstance(value[0], str):
        value = value[0]
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ItemError(where + key, "This property is required.")
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ItemError(where + key, "Expected text.")
    return str(value).strip()


def _parse_moment(value: str, field_name: str) -> dt.datetime:
    """An ISO 8601 date or date-time; a date is its midnight in UTC, a date-time without offset is UTC."""
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = None if day is None else dt.datetime(day.year, day.month, day.day)
    except ValueError:  # well formed but impossible: 2024-02-30
        moment = None
    if moment is None:
        raise ItemError(field_name, f"{value!r} is not an ISO 8601 date.")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _published_moment(value: str) -> dt.datetime:
    """When the review was published: never ahead of now, or it would be "current" before it exists and sort first."""
    moment = _parse_moment(value, "datePublished")
    if moment > dt.datetime.now(dt.UTC) + dt.timedelta(days=1):
        raise ItemError("datePublished", f"{value!r} is in the future.")
    return moment


def _parse_day(value: str, field_name: str) -> dt.date:
    try:
        return _parse_moment(value, field_name).astimezone(dt.UTC).date()
    except OverflowError as error:  # 0001-01-01T00:00+14:00 is before the first day there is
        raise ItemError(field_name, f"{value!r} is outside the dates this database holds.") from error


def _number(value: Any, field_name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ItemError(field_name, "Expected a number.")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ItemError(field_name, f"{value!r} is not a number.") from None
    if not number.is_finite():
        raise ItemError(field_name, f"{value!r} is not a number.")
    return number


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _party_of(node: Any, where: str) -> Party | None:
    node = _first(node)
    if isinstance(node, str) and node.strip():
        return Party(name=node.strip()[:200], kind=ORGANIZATION)
    if not isinstance(node, dict):
        return None
    kind = PERSON if PERSON in _types(node) else ORGANIZATION
    url = _text(node, "url", where=where)
    links = node.get("sameAs") or []
    links = tuple(link for link in (links if isinstance(links, list) else [links]) if isinstance(link, str))
    name = _text(node, "name", where=where) or _text(node, "alternateName", where=where)
    if not name and url:
        # An organisation named only by its site (schema.org's own PolitiFact example): its host, without www.
        name = (urlsplit(url).hostname or "").removeprefix("www.")
    if not name:
        return None
    return Party(name=name[:200], kind=kind, url=url if url.startswith(("http://", "https://")) else "", same_as=links)


def _appearance_of(node: Any, where: str) -> ParsedAppearance | None:
    if isinstance(node, str):
        return ParsedAppearance(url=node.strip()) if node.strip().startswith(("http://", "https://")) else None
    if not isinstance(node, dict):
        return None
    url = _text(node, "url", where=where)
    if not url.startswith(("http://", "https://")):
        return None
    published = _text(node, "datePublished", where=where)
    return ParsedAppearance(
        url=url,
        title=(_text(node, "headline", where=where) or _text(node, "name", where=where))[:500],
        published_on=_parse_day(published, f"{where}datePublished") if published else None,
        publisher=_party_of(node.get("author") or node.get("publisher"), f"{where}author."),
    )


def parse_review(index: int, node: Any) -> ParsedReview:
    """One ClaimReview document → ParsedReview, or ItemError naming the property that stops it."""
    if not isinstance(node, dict):
        raise ItemError("@type", "Expected a ClaimReview object.")
    types = _types(node)
    if "ClaimReview" not in types:
        raise ItemError("@type", f"Not a ClaimReview ({node.get('@type')!r}): skipped.")
    url = _text(node, "url")
    identifier = url or _text(node, "@id") or _text(node, "identifier")
    if not identifier:
        raise ItemError("url", "A review needs its url (or an @id or identifier) to be imported once only.")
    statement = _text(node, "claimReviewed", required=True)
    published = _text(node, "datePublished", required=True)
    author = _party_of(node.get("author"), "author.")
    if author is None:
        raise ItemError("author", "A review needs its publisher: an author with a name or url.")
    rating = _first(node.get("reviewRating"))
    if not isinstance(rating, dict):
        raise ItemError("reviewRating", "A review needs its rating.")
    item = _first(node.get("itemReviewed"))
    item = item if isinstance(item, dict) else {}
    raw = item.get("appearance") or []
    appearances = [
        parsed
        for position, entry in enumerate(raw if isinstance(raw, list) else [raw])
        if (parsed := _appearance_of(entry, f"itemReviewed.appearance.{position}.")) is not None
    ]
    first = _appearance_of(_first(item.get("firstAppearance")), "itemReviewed.firstAppearance.")
    if first is not None and first.url not in {appearance.url for appearance in appearances}:
        appearances.insert(0, first)
    claim_date = _text(item, "datePublished", where="itemReviewed.")
    language = _text(node, "inLanguage")
    return ParsedReview(
        index=index,
        identifier=identifier,
        # Without a url, an @id that is an address is where the review is found.
        url=next((u for u in (url, identifier) if u.startswith(("http://", "https://"))), ""),
        statement=statement,
        published_at=_published_moment(published),
        author=author,
        rating_text=_text(rating, "alternateName", where="reviewRating.") or _text(rating, "name"),
        rating_value=_number(rating.get("ratingValue"), "reviewRating.ratingValue"),
        best=_number(rating.get("bestRating"), "reviewRating.bestRating"),
        worst=_number(rating.get("worstRating"), "reviewRating.worstRating"),
        claimant=_party_of(item.get("author"), "itemReviewed.author."),
        claim_date=_parse_day(claim_date, "itemReviewed.datePublished") if claim_date else None,
        appearances=appearances,
        first_appearance=first,
        language=language.lower() if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", language) else "en",
        summary=_text(node, "description") or _text(node, "headline"),
    )


# Ratings --------------------------------------------------------------------------------------------------------------


def normalise_rating(text: str) -> str:
    """'Pants on Fire!' → 'pants on fire', 'Half-True' → 'half true': case, punctuation and spacing do not count."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


# Common English verdict words → a rating slug of the default scale. A scale's own labels and slugs match without
# a mapping (the Truth-O-Meter's "Pants on Fire" is its pants-fire); anything else is reported, never guessed.
DEFAULT_MAPPING: dict[str, str] = {
    **dict.fromkeys(["true", "correct", "accurate", "geppetto checkmark"], "true"),
    **dict.fromkeys(
        ["mostly true", "mostly correct", "mostly accurate", "largely true", "largely accurate", "one pinocchio"],
        "mostly-true",
    ),
    **dict.fromkeys(
        [
            "half true",
            "mixed",
            "mixture",
            "partly true",
            "partially true",
            "partly false",
            "partially false",
            "half truth",
            "missing context",
            "needs context",
            "two pinocchios",
        ],
        "mixed",
    ),
    **dict.fromkeys(
        ["mostly false", "barely true", "largely false", "mostly inaccurate", "misleading", "three pinocchios"],
        "mostly-false",
    ),
    **dict.fromkeys(
        [
            "false",
            "incorrect",
            "inaccurate",
            "wrong",
            "fake",
            "pants on fire",
            "pants fire",
            "four pinocchios",
            "fabricated",
            "hoax",
            "scam",
        ],
        "false",
    ),
    **dict.fromkeys(
        [
            "unproven",
            "unverifiable",
            "unverified",
            "unsupported",
            "no evidence",
            "insufficient evidence",
            "cannot be verified",
            "not enough evidence",
            "unsubstantiated",
        ],
        "unverifiable",
    ),
}
DEFAULT_MAPPINGS: dict[str, dict[str, str]] = {"default": DEFAULT_MAPPING}


class RatingMapper:
    """Maps a review's rating onto one scale: its words through the mapping (the code's defaults for the scale,
    overridden by the caller's) or the scale's own labels, else its ratingValue when bestRating and worstRating are
    the scale's own crosswalk. Words and number that disagree, or neither known, are an ItemError."""

    def __init__(self, ratings: Sequence[Rating], mapping: Mapping[str, str] | None = None) -> None:
        if not ratings:
            raise ValueError("The scale has no ratings.")
        self.scale = ratings[0].scale
        by_slug = {rating.slug: rating for rating in ratings}
        self.words: dict[str, Rating] = {}
        for rating in ratings:
            self.words[normalise_rating(rating.slug)] = rating
            self.words[normalise_rating(rating.label)] = rating
        combined = {**DEFAULT_MAPPINGS.get(self.scale.slug, {}), **(mapping or {})}
        for text, slug in combined.items():
            if slug not in by_slug:
                raise ValueError(f"{text!r} maps to {slug!r}, which is not a rating of the scale {self.scale.slug!r}.")
            self.words[normalise_rating(text)] = by_slug[slug]
        self.values = {rating.claimreview_value: rating for rating in ratings if rating.claimreview_value is not None}

    def resolve(self, review: ParsedReview) -> Rating:
        by_words = self.words.get(normalise_rating(review.rating_text)) if review.rating_text else None
        by_value = self._by_value(review)
        if by_words is not None and by_value is not None and by_words != by_value:
            raise ItemError(
                "reviewRating",
                f"alternateName {review.rating_text!r} is {by_words.slug!r} but ratingValue {review.rating_value} "
                f"is {by_value.slug!r} on the scale {self.scale.slug!r}: the review contradicts itself.",
            )
        rating = by_words or by_value
        if rating is None:
            what = f"{review.rating_text!r}" if review.rating_text else f"ratingValue {review.rating_value}"
            raise ItemError(
                "reviewRating.alternateName" if review.rating_text else "reviewRating.ratingValue",
                f"Unknown rating {what} for the scale {self.scale.slug!r}: add it to the mapping.",
            )
        return rating

    def _by_value(self, review: ParsedReview) -> Rating | None:
        if review.rating_value is None or review.best is None:
            return None
        worst = review.worst if review.worst is not None else Decimal(1)  # schema.org: worstRating defaults to 1
        if (review.best, worst) != (self.scale.claimreview_best, self.scale.claimreview_worst):
            return None  # another axis: converting would be a guess
        value = review.rating_value
        # Outside [worst, best] it names no rating; checked first, so no absurd figure is ever turned into an int.
        if not worst <= value <= review.best or value != value.to_integral_value():
            return None
        return self.values.get(int(value))


def mapping_from(raw: Any, field_name: str = "mapping") -> dict[str, str]:
    """A caller's mapping (JSON object: rating text → rating slug), checked for shape."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or len(raw) > 1000:
        raise PayloadError(field_name, "Expected an object of rating text → rating slug (at most 1000 entries).")
    for key, value in raw.items():
        if not isinstance(value, str) or not normalise_rating(key):
            raise PayloadError(f"{field_name}.{key}", "Expected a rating slug for this rating text.")
    return {normalise_rating(key): value for key, value in raw.items()}

"""Duplicate and related claims: candidates from full-text search and trigram similarity, scored and explained.

For one claim (the subject), in three steps with a fixed number of queries whatever the size of the table:

1. Its terms: the lexemes of its statement (English stemming, stop words dropped), the word each came from, and
   how common each is among claims, read with ts_debug and pg_stats (one query).
2. Candidates, at most CANDIDATE_CAP from each of three arms, UNIONed (one query):
   - full text: claims sharing at least two of the subject's SIGNIFICANT_TERMS rarest lexemes (Terms.significant).
     The tsquery is an OR of pairs, ('a' & 'b') | ('a' & 'c') | ..., built from the subject's own lexemes, so it
     is not re-stemmed; a plain OR of single terms would match every claim that says "Gaza". The arm keeps the best
     CANDIDATE_CAP by ts_rank_cd over the OR of the terms (cover density: terms close together count more).
   - wording: `subject <% statement`, i.e. word_similarity(subject, statement) >= pg_trgm.word_similarity_threshold
     (0.6 by default): most of the subject's trigrams occur in one stretch of the candidate's statement. This
     catches rewordings and statements that contain the subject, whose stems differ ("killed" and "deaths").
   - question: claims answering the same Question, however worded.
   Then, for each candidate, its symmetric trigram similarity with the subject and the statement lexemes both
   share.
3. Scores (pure Python, `score` and `reason` below), top N.

The desk's candidates are claims' live rows, served by two indexes on claims_claim. EXPLAIN ANALYZE on 20,000
generated claims (a Zipf-like vocabulary of 3,000 words, so some words are in most claims) shows the full-text arm
as a Bitmap Index Scan on claim_search_gin (`search_vector @@ '...'::tsquery`) and the wording arm as a Bitmap
Index Scan on claim_statement_trgm (`statement %> '...'`, the commutator of `<%`), the question arm reads the
foreign key's index, the join back is by primary key: 2-30 ms a claim. Left to itself the planner scans the table
for the wording arm (1,170 ms there; see candidates()).
Common lexemes are not paired (Terms.significant), so the ranking and scoring run over a few matches, at most
CANDIDATE_CAP from each arm, however large the table.

Readers' candidates are published claims matched on their statement AS APPROVED, Verdict.claim_snapshot of the
current version, never the live column: a match on a live statement would tell a reader, by what is or is not
listed, the words of an unpublished rewording. No index serves those expressions yet, so the reader arms scan the
current published versions (there are far fewer of them than claims); the queries are written over exactly
`to_tsvector('english', claim_snapshot ->> 'statement')` and `(claim_snapshot ->> 'statement')` so that two partial
GIN indexes on claims_verdict (WHERE published_at IS NOT NULL AND superseded_at IS NULL), one of each, would serve
them with no change here.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.fields.json import KT

from claims.models import Claim, ClaimRelation, ClaimStatus, Verdict

# Lexemes held by more than this share of claims are too common to pair (see Terms.significant).
COMMON_TERM_SHARE = 0.02
# Candidates kept from each arm: bounds the ranking and scoring work per claim, at any table size.
CANDIDATE_CAP = 200
# The longest lexemes of the statement make the full-text arm's pairs (at most 66 pairs of 12); longer stems are on
# the whole the rarer words, and the pairs stay few enough for one index scan.
SIGNIFICANT_TERMS = 12
# The score, in [0, 1]:
#   0.5 * wording   trigram similarity of the two statements (pg_trgm similarity(), symmetric)
# + 0.3 * terms     Dice overlap of their statements' lexemes: 2 |shared| / (|mine| + |theirs|)
# + 0.1             when both answer the same question
# + 0.1             when both have the same claimant
# Wording weighs most because duplicates are mostly the same sentence retyped or lightly edited; shared terms
# catch rewordings that keep the content words. ts_rank_cd picks which full-text matches to keep (above) but is
# not part of the score: it is unbounded and grows with the candidate's length, so it would not read as a share.
WORDING_WEIGHT = 0.5
TERMS_WEIGHT = 0.3
SAME_QUESTION_BONUS = 0.1
SAME_CLAIMANT_BONUS = 0.1
# Calibrated on the demo claims and crafted rewordings of them (tests/claims/test_related.py pins the cases):
# - a retyped statement scores 0.8 without any bonus, a light edit ("Nearly" for "Almost", "October 7, 2023" for
#   "7 October 2023", a few words dropped) 0.68-0.70: duplicates whatever the question and claimant;
# - a paraphrase ("Nearly a thousand ... were killed on 7 October 2023" for "Almost 1,000 ... died in the 7 October
#   2023 incursion") 0.39 alone, 0.59 with the same question and claimant: a duplicate only with both;
# - the closest demo claims that are not duplicates, the two 7 October tolls ("nearly" and "over a thousand", same
#   question and claimant, which contradict each other) and the two claims on the Moscow meeting, 0.46-0.47.
# The bonuses alone (0.2) never make a duplicate: the wording and the terms must give at least 0.35. The price: a
# paraphrase by the same speaker on the same question with another figure ("Close to a thousand ... were killed in
# the Hamas attack" beside "More than 1,000 people were killed when Hamas ...") reaches 0.56, a suggestion for an
# editor to dismiss; the figures themselves are the contradiction detector's to compare.
DUPLICATE_THRESHOLD = 0.55
# Below this a candidate shares a couple of common words and little else: not worth listing.
RELATED_FLOOR = 0.15
# Wording read as "same wording" / "similar wording" in the reason.
SAME_WORDING = 0.8
SIMILAR_WORDING = 0.5
# Detector suggestions recorded when a claim is created.
SUGGESTIONS_ON_CREATE = 3

DUPLICATE = "duplicate"
RELATED = "related"

# Statuses a claim cannot be the original in: it was not checkable, or it already points at its own original.
NOT_ORIGINALS = frozenset({ClaimStatus.DISMISSED, ClaimStatus.DUPLICATE})


@dataclass(frozen=True)
class Subject:
    """The claim to find duplicates of, as the caller may see it: live for the desk, as approved for readers."""

    claim_id: int
    statement: str
    question_id: str | None
    claimant_id: str | None

    @classmethod
    def live(cls, claim: Claim) -> Subject:
        return cls(claim.pk, claim.statement, _key(claim.question_id), _key(claim.claimant_id))


def approved_subject(claim_id: int) -> Subject | None:
    """The claim as readers see it (its current published version), or None when it is not published."""
    row = (
        Verdict.objects.current()
        .filter(claim_id=claim_id)
        .values_list(
            KT("claim_snapshot__statement"),
            KT("claim_snapshot__question__id"),
            KT("claim_snapshot__claimant__id"),
        )
        .first()
    )
    if row is None:
        return None
    statement, question_id, claimant_id = row
    return Subject(claim_id, statement or "", question_id, claimant_id)


def _key(value: Any) -> str | None:
    # Live ids are ints, approved ones the text of a JSON number: both compare as text.
    return None if value is None else str(value)


@dataclass(frozen=True)
class Terms:
    """The statement's distinct lexemes in order of first occurrence, the word each was first read from, and the
    share of claims holding it where PostgreSQL's statistics know it (the most common lexemes only)."""

    lexemes: tuple[str, ...]
    words: dict[str, str]
    frequency: dict[str, float] = field(default_factory=dict)

    def significant(self) -> tuple[str, ...]:
        """The lexemes that make the full-text arm's pairs: the rarest, then the longest.

        Bare numbers ("7", "2023", the "000" of "1,000") and lexemes in more than COMMON_TERM_SHARE of claims pair
        with too much: a pair of them would put thousands of matches through the ranking. They are used only when
        fewer than two other lexemes are left.
        """
        telling = [
            lexeme
            for lexeme in self.lexemes
            if not lexeme.isdigit() and self.frequency.get(lexeme, 0.0) <= COMMON_TERM_SHARE
        ]
        chosen = telling if len(telling) >= 2 else list(self.lexemes)
        return tuple(
            sorted(chosen, key=lambda lexeme: (self.frequency.get(lexeme, 0.0), -len(lexeme), lexeme))[
                :SIGNIFICANT_TERMS
            ]
        )


# The subject's tokens with their lexemes, and for each token the largest share of claims holding one of its lexemes
# by the planner's statistics on claims_claim.search_vector (pg_stats.most_common_elems, kept by ANALYZE; empty on
# a table never analysed). Its last three frequencies are not per element (minimum, maximum, nulls): unnest pads
# the shorter array with nulls, which match no lexeme.
_TERMS_SQL = """
WITH common AS (
    SELECT element.lexeme, element.share
      FROM pg_stats s,
           unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS element(lexeme, share)
     WHERE %(statistics)s AND s.schemaname = current_schema() AND s.tablename = 'claims_claim'
       AND s.attname = 'search_vector'
)
SELECT d.token, d.lexemes, (SELECT max(common.share) FROM common WHERE common.lexeme = ANY (d.lexemes))
  FROM ts_debug('english', %(text)s) AS d
 WHERE d.lexemes IS NOT NULL AND d.lexemes <> '{}'
"""


def statement_terms(text: str, *, statistics: bool = True) -> Terms:
    """The lexemes to_tsvector('english', text) would hold, with their words and how common they are (one query).

    Without `statistics` no frequency is read: the statistics are of every claim's live words, and what readers
    are shown must not depend on those (not even through which of the subject's terms are paired).
    """
    with connection.cursor() as cursor:
        cursor.execute(_TERMS_SQL, {"text": text, "statistics": statistics})
        rows = cursor.fetchall()
    words: dict[str, str] = {}
    frequency: dict[str, float] = {}
    for token, lexemes, share in rows:
        for lexeme in lexemes:
            words.setdefault(lexeme, token.lower())
            if share is not None:
                frequency[lexeme] = float(share)
    return Terms(tuple(words), words, frequency)


def tsquery_lexeme(lexeme: str) -> str:
    """A lexeme quoted for tsquery input: taken as is, not normalised again, whatever characters it holds."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def pairs_query(lexemes: Sequence[str]) -> str:
    """A tsquery (as text) matching documents that hold at least two of `lexemes` (all of them, if fewer)."""
    quoted = [tsquery_lexeme(lexeme) for lexeme in lexemes]
    if len(quoted) < 2:
        return " | ".join(quoted)
    return " | ".join(f"({a} & {b})" for i, a in enumerate(quoted) for b in quoted[i + 1 :])


def any_query(lexemes: Sequence[str]) -> str:
    return " | ".join(tsquery_lexeme(lexeme) for lexeme in lexemes)


@dataclass(frozen=True)
class Candidate:
    """What the candidate query reads of one claim."""

    claim_id: int
    wording: float
    shared: tuple[str, ...]
    term_count: int
    question_id: str | None
    claimant_id: str | None
    status: str


@dataclass(frozen=True)
class Match:
    claim_id: int
    score: float
    kind: str  # DUPLICATE or RELATED
    reason: str


def score(candidate: Candidate, subject: Subject, terms: Terms) -> float:
    total_terms = len(terms.lexemes) + candidate.term_count
    overlap = 2 * len(candidate.shared) / total_terms if total_terms else 0.0
    value = WORDING_WEIGHT * candidate.wording + TERMS_WEIGHT * overlap
    if subject.question_id is not None and candidate.question_id == subject.question_id:
        value += SAME_QUESTION_BONUS
    if subject.claimant_id is not None and candidate.claimant_id == subject.claimant_id:
        value += SAME_CLAIMANT_BONUS
    return round(min(max(value, 0.0), 1.0), 3)


def reason(candidate: Candidate, subject: Subject, terms: Terms, *, most_terms: int = 5) -> str:
    """A short explanation: "same wording; same claimant", "shares terms: thousand, israeli, killed"."""
    parts = []
    if candidate.wording >= SAME_WORDING:
        parts.append("same wording")
    elif candidate.wording >= SIMILAR_WORDING:
        parts.append(f"similar wording ({candidate.wording:.0%})")
    shared = set(candidate.shared)
    # Bare numbers read badly out of context ("shares terms: 1, 000"); the wording score covers them.
    words = [terms.words[lexeme] for lexeme in terms.lexemes if lexeme in shared and not lexeme.isdigit()]
    if words and candidate.wording < SAME_WORDING:
        parts.append("shares terms: " + ", ".join(words[:most_terms]) + (", …" if len(words) > most_terms else ""))
    if subject.question_id is not None and candidate.question_id == subject.question_id:
        parts.append("same question")
    if subject.claimant_id is not None and candidate.claimant_id == subject.claimant_id:
        parts.append("same claimant")
    return "; ".join(parts) or "similar statement"


def rank(candidates: Sequence[Candidate], subject: Subject, terms: Terms) -> list[Match]:
    """Scored and classified, best first (the older claim first among equals). Those under RELATED_FLOOR are left
    out unless they answer the subject's question: that alone makes them related."""
    matches = []
    for candidate in candidates:
        value = score(candidate, subject, terms)
        same_question = subject.question_id is not None and candidate.question_id == subject.question_id
        if value < RELATED_FLOOR and not same_question:
            continue
        original = candidate.status not in NOT_ORIGINALS
        kind = DUPLICATE if value >= DUPLICATE_THRESHOLD and original else RELATED
        matches.append(Match(candidate.claim_id, value, kind, reason(candidate, subject, terms)))
    return sorted(matches, key=lambda match: (-match.score, match.claim_id))


# The candidate queries ----------------------------------------------------------------------------------------

# Claims' live rows (the desk). Statement lexemes are those of weight A (search_vector is statement A, quote B).
# Each arm is one parenthesised SELECT of ids, at most CANDIDATE_CAP of them.
_DESK_ARMS = {
    "terms": """(SELECT c.id FROM claims_claim c
      WHERE c.search_vector @@ %(pairs)s::tsquery AND c.id <> %(id)s
      ORDER BY ts_rank_cd(c.search_vector, %(any)s::tsquery, 32) DESC, c.id
      LIMIT %(cap)s)""",
    "wording": """(SELECT c.id FROM claims_claim c
      WHERE %(text)s <%% c.statement AND c.id <> %(id)s
      ORDER BY word_similarity(%(text)s, c.statement) DESC, c.id
      LIMIT %(cap)s)""",
    # Served by the foreign key's index (claims_claim_question_id_...).
    "question": """(SELECT c.id FROM claims_claim c
      WHERE c.question_id = %(question)s::bigint AND c.id <> %(id)s
      ORDER BY c.id DESC
      LIMIT %(cap)s)""",
}
_DESK_SCORED = """
SELECT c.id,
       similarity(%(text)s, c.statement),
       ARRAY(SELECT unnest(tsvector_to_array(ts_filter(c.search_vector, '{a}')))
             INTERSECT SELECT unnest(%(lexemes)s::text[])),
       length(ts_filter(c.search_vector, '{a}')),
       c.question_id::text,
       c.claimant_id::text,
       c.status
  FROM claims_claim c JOIN candidates ON candidates.id = c.id
"""

# Published claims as approved (readers): the current version's snapshot, never the live columns. Built from these
# constants only; every value is a query parameter.
_CURRENT = "v.published_at IS NOT NULL AND v.superseded_at IS NULL"
_APPROVED = "(v.claim_snapshot ->> 'statement')"
_APPROVED_DOC = f"to_tsvector('english', {_APPROVED})"
_READER_ARMS = {
    "terms": f"""(SELECT v.claim_id AS id FROM claims_verdict v
      WHERE {_CURRENT} AND {_APPROVED_DOC} @@ %(pairs)s::tsquery AND v.claim_id <> %(id)s
      ORDER BY ts_rank_cd({_APPROVED_DOC}, %(any)s::tsquery, 32) DESC, v.claim_id
      LIMIT %(cap)s)""",  # noqa: S608 -- constants only
    "wording": f"""(SELECT v.claim_id AS id FROM claims_verdict v
      WHERE {_CURRENT} AND %(text)s <%% {_APPROVED} AND v.claim_id <> %(id)s
      ORDER BY word_similarity(%(text)s, {_APPROVED}) DESC, v.claim_id
      LIMIT %(cap)s)""",  # noqa: S608 -- constants only
    "question": f"""(SELECT v.claim_id AS id FROM claims_verdict v
      WHERE {_CURRENT} AND (v.claim_snapshot #>> '{{question,id}}') = %(question)s AND v.claim_id <> %(id)s
      ORDER BY v.claim_id DESC
      LIMIT %(cap)s)""",  # noqa: S608 -- constants only
}
_READER_SCORED = f"""
SELECT v.claim_id,
       similarity(%(text)s, {_APPROVED}),
       ARRAY(SELECT unnest(tsvector_to_array({_APPROVED_DOC})) INTERSECT SELECT unnest(%(lexemes)s::text[])),
       length({_APPROVED_DOC}),
       v.claim_snapshot -> 'question' ->> 'id',
       v.claim_snapshot -> 'claimant' ->> 'id',
       '{ClaimStatus.PUBLISHED.value}'
  FROM claims_verdict v JOIN candidates ON candidates.id = v.claim_id
 WHERE {_CURRENT}
"""  # noqa: S608 -- constants only


def candidate_sql(subject: Subject, terms: Terms, *, readers: bool) -> str:
    """The candidate query: the arms that apply, UNIONed, then what scoring needs of each candidate.

    The terms arm needs two terms to pair (one would match widely); the question arm, a question: claims answering
    the same question are related however they are worded ("Almost 1,000 ... died" and "More than 1,000 ... were
    killed" share no word but "October").
    """
    arms = _READER_ARMS if readers else _DESK_ARMS
    names = ["wording"]
    if len(terms.lexemes) >= 2:
        names.append("terms")
    if subject.question_id is not None:
        names.append("question")
    union = "\n    UNION\n    ".join(arms[name] for name in names)
    return f"WITH candidates AS (\n    {union}\n)" + (_READER_SCORED if readers else _DESK_SCORED)


def candidates(subject: Subject, terms: Terms, *, readers: bool) -> list[Candidate]:
    significant = terms.significant()
    params = {
        "id": subject.claim_id,
        "text": subject.statement,
        "pairs": pairs_query(significant),
        "any": any_query(significant),
        "lexemes": list(terms.lexemes),
        "cap": CANDIDATE_CAP,
        "question": subject.question_id,
    }
    # The readers' query reads no index, so it needs no planner setting, nor the transaction that holds one.
    with nullcontext() if readers else transaction.atomic(), connection.cursor() as cursor:
        if not readers:
            # The planner charges word_similarity() like an addition, so it reckons a sequential scan calling it on
            # every claim cheaper than the trigram index: on 20,000 claims it chose the scan, 1,170 ms, over the
            # index's 19 ms, and the gap grows with the table. Seq scans are discouraged for this one query (every
            # table it reads has the index it needs), then the setting is put back; a rollback would put it back too.
            # Raising the COST of pg_trgm's word_similarity_commutator_op would say the same to the planner for good.
            cursor.execute("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
            (previous, _) = cursor.fetchone()
        cursor.execute(candidate_sql(subject, terms, readers=readers), params)
        rows = cursor.fetchall()
        if not readers:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])
    return [
        Candidate(claim_id, float(wording), tuple(shared), term_count, question_id, claimant_id, status)
        for claim_id, wording, shared, term_count, question_id, claimant_id, status in rows
    ]


def find_related(subject: Subject, *, readers: bool, limit: int | None = 10) -> list[Match]:
    """The subject's duplicates and related claims, best first: published ones as approved for readers, every
    claim's live rows for the desk. Two queries."""
    if not subject.statement.strip():
        return []
    terms = statement_terms(subject.statement, statistics=not readers)
    matches = rank(candidates(subject, terms, readers=readers), subject, terms)
    return matches if limit is None else matches[:limit]


def relations_touching(claim_id: int, *, readers: bool) -> QuerySet[ClaimRelation]:
    """The relations from or to the claim: every one for the desk; for readers the confirmed ones between two
    published claims (a suggestion is the desk's guess, and an unpublished claim does not exist for them)."""
    relations = ClaimRelation.objects.filter(Q(from_claim_id=claim_id) | Q(to_claim_id=claim_id))
    if readers:
        published = Claim.objects.published().values("pk")
        relations = relations.filter(
            state=ClaimRelation.State.CONFIRMED, from_claim__in=published, to_claim__in=published
        )
    return relations.order_by("-created_at", "-id")


# Suggestions --------------------------------------------------------------------------------------------------


@transaction.atomic
def duplicates_suggest(*, claim: Claim, limit: int = SUGGESTIONS_ON_CREATE) -> list[ClaimRelation]:
    """Record the claim's likeliest originals as detector suggestions (`claim` duplicate_of the other claim).

    A pair already related that way is left as it is, whatever its state (an editor may have dismissed it).
    Dismissed claims and duplicates are never suggested as originals (rank() classes them as related).
    Two queries and an insert, at any table size.
    """
    matches = [
        match for match in find_related(Subject.live(claim), readers=False, limit=None) if match.kind == DUPLICATE
    ]
    relations = [
        ClaimRelation(
            from_claim=claim,
            to_claim_id=match.claim_id,
            kind=ClaimRelation.Kind.DUPLICATE_OF,
            origin=ClaimRelation.Origin.DETECTOR,
            state=ClaimRelation.State.SUGGESTED,
            score=match.score,
            explanation=match.reason,
        )
        for match in matches[:limit]
    ]
    if relations:
        ClaimRelation.objects.bulk_create(relations, ignore_conflicts=True)
    return relations

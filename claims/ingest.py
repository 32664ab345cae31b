"""Article ingestion: candidate claims proposed from an article's text, as plain functions (no database).

    candidates(text, publisher="Example News", published=date(2024, 2, 29))
        -> [Candidate(sentence, span, score, kind, values, hops, quote), ...]

Three steps, each a plain function with rules instead of a language model (no NLP dependency):

1. `sentences(text)`: the text split into sentences with their spans. A full stop ends a sentence unless it
   belongs to an abbreviation ("Mr.", "U.S." before a lower-case or proper word, "Feb. 29"), an initial ("John F.
   Kennedy"), or a decimal ("1.2" has no space after its point); a quotation that runs over several sentences is
   split too, and each of its sentences remembers the quotation (its span, and the words around it that say whose
   it is: `"..." the TASS report stated`).
2. `score(...)`: check-worthiness from the features in WEIGHTS (figures and dates read by claims.values,
   attribution, quotations, named entities, hedges and opinion words), clamped to [0, 1].
3. `attribution(...)`: the chain of hops from the phrasing, in the project's hop model (claims.models.Attribution):
   hop 0 is the page's publisher, then outwards, and the last hop `publishes` (the original speaker) or
   `cites_unnamed`. Sources are names here; the database layer (claims.services.ingest) resolves them.

The relations follow the demo data's readings of the seed article: the page `quotes` whom it reproduces between
quotation marks, `paraphrases` whom it reports saying something in its own words ("X said", "Y told X"), and
`cites` whom it names as its source without their words ("according to Y", "X reported", "citing Y").
"""

# Typographic quotation marks and dashes are what this module reads, so they appear in its patterns on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from claims.values import DATE, QUANTITY, Match, Parsed, find_quantities

# The choice values of claims.models (ClaimKind, HopRelation), repeated so this module loads without Django;
# tests/claims/test_ingest.py pins that they stay equal.
KIND_QUANTITY, KIND_DATE_EVENT, KIND_QUOTE, KIND_STATUS, KIND_OTHER = (
    "quantity",
    "date_event",
    "quote",
    "status",
    "other",
)
PUBLISHES, QUOTES, PARAPHRASES, CITES, CITES_UNNAMED = "publishes", "quotes", "paraphrases", "cites", "cites_unnamed"

# Check-worthiness: each feature present adds its weight (entities per entity, up to ENTITY_CAP); the sum is
# clamped to [0, 1]. A figure or a date is what a desk can check against records, so it weighs most; who said it
# matters next (a claim with a speaker can be traced); hedges and opinion words mark what cannot be checked.
WEIGHTS: dict[str, float] = {
    "quantity": 0.45,  # a quantity from claims.values.find_quantities: "more than 12,000", "dozens"
    "date": 0.35,  # a date or period: "Thursday, February 29", "From 2007 to 2011"
    "attribution": 0.3,  # a named speaker or relay: "X said", "according to Y", "X, citing Y, reports"
    "unnamed_attribution": 0.3,  # unnamed sources: "International observers have reported", "officials said"
    "quotation": 0.15,  # words between quotation marks: speech of at least QUOTE_MIN_WORDS words
    "entity": 0.15,  # each named entity by capitalisation (not the sentence's first word alone), up to ENTITY_CAP
    "status_verb": 0.1,  # a verb of record: met, visited, signed, led, killed, refused, recognize, ...
    "hedge": -0.2,  # may, might, reportedly, allegedly, anticipated, expected, likely, ...
    "opinion": -0.35,  # should, must, tragic, beneficiaries, believe, analysts note, ...
    "question": -0.5,  # a question asks; it does not claim
    "short": -0.3,  # fewer than SHORT_WORDS words: a heading or a fragment
}
ENTITY_CAP = 2
SHORT_WORDS = 6
QUOTE_MIN_WORDS = 5  # shorter quotations are terms ("Moscow declaration"), unless a speech verb governs them
MAX_ATTRIBUTION_CHARS = 1500  # longer "sentences" are not prose; their patterns would cost quadratic time
MAX_SUBJECT_WORDS = 8  # a longer phrase before "said" is a clause, not who said it
DEFAULT_MIN_SCORE = 0.3

# Sentences --------------------------------------------------------------------------------------------------------

# Never end a sentence: titles before a name, and abbreviations before a number.
_TITLES = frozenset(
    "mr mrs ms dr prof sen rep gov gen lt col maj capt cpt sgt cmdr adm rev st fr hon pres supt insp amb".split()  # noqa: SIM905
)
_BEFORE_NUMBER = frozenset("no nos vol pp p art fig sec ch jan feb mar apr jun jul aug sep sept oct nov dec".split())  # noqa: SIM905
# Abbreviations that may end a sentence: they do when the next word usually starts one.
_ENDING_ABBREVIATIONS = frozenset("etc inc ltd co corp jr sr bros plc llc vs approx dept est".split())  # noqa: SIM905
_SENTENCE_STARTERS = frozenset(
    """the a an this that these those it its he she his her they their we our i you in on at by for from with
    but and or so yet however meanwhile also then there here after before when while as since although though if
    according last next on one two some many most all no not""".split()  # noqa: SIM905
)
_OPENING_QUOTES = '"“‘«'
_CLOSING = "\"”’»)]'"
_SPEECH_TAG = re.compile(
    r"^\s*(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s+|(?:he|she|they|it|we|I)\s+|the\s+[\w\s]{0,40}?)?"
    r"(?:said|says|added|told|stated|asked|wrote|explained|noted|insisted|replied|continued)\b"
)


@dataclass(frozen=True)
class Quotation:
    """Words between quotation marks; `start`/`end` include the marks."""

    start: int
    end: int
    text: str  # the words inside the marks


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    # A speech quotation (QUOTE_MIN_WORDS or more) that overlaps this sentence, and the words outside it, in the
    # sentences where it opens and closes, that say whose words they are.
    quotation: Quotation | None = None
    frame: str = ""


def quotations(text: str) -> list[Quotation]:
    """Every pair of double quotation marks ("..." or “...”). A quotation left open at the end of a paragraph
    continues when the next paragraph opens with a quotation mark (the newspaper convention for a quotation over
    several paragraphs); otherwise it ends with its paragraph."""
    found: list[Quotation] = []
    opened: int | None = None
    paragraph_end = 0
    for paragraph in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        marks = list(re.finditer(r"[\"“”]", paragraph.group()))
        continues = (
            opened is not None
            and bool(marks)
            and marks[0].start() == len(paragraph.group()) - len(paragraph.group().lstrip())
        )
        if opened is not None and not continues:
            found.append(Quotation(opened, paragraph_end, text[opened + 1 : paragraph_end]))
            opened = None
        for index, m in enumerate(marks):
            if continues and index == 0:
                continue
            position = paragraph.start() + m.start()
            if opened is None and m.group() != "”":
                opened = position
            elif opened is not None and m.group() != "“":
                found.append(Quotation(opened, position + 1, text[opened + 1 : position]))
                opened = None
        paragraph_end = paragraph.end()
    if opened is not None:
        found.append(Quotation(opened, paragraph_end, text[opened + 1 : paragraph_end]))
    return found


_WINDOW = 200


def _word_before(body: str) -> str:
    """The word a full stop ends, with its inner dots: 'U.S' for '... the U.S.'."""
    m = re.search(r"([A-Za-z]+(?:\.[A-Za-z]+)*)\.$", body)
    return m.group(1) if m else ""


def _is_boundary(text: str, stop: int) -> bool:
    """Whether the punctuation (and closing quotes or brackets) ending at `stop` ends a sentence."""
    # Windows around the mark, not the whole text: a long article has thousands of marks.
    before = text[max(0, stop - _WINDOW) : stop]
    body = before.rstrip(_CLOSING)
    mark = body[-1]
    following = text[stop : stop + _WINDOW].lstrip()
    if not following:
        return True
    first = following[0]
    if not (first.isupper() or first.isdigit() or first in _OPENING_QUOTES or first in "(["):
        return False  # "... government," the TASS report stated; "e.g. a case"
    next_word = re.match(r"[\"“‘«(\[]*([A-Za-z']+)", following)
    starter = next_word is not None and next_word.group(1).lower() in _SENTENCE_STARTERS
    if body != before and mark in "!?" and _SPEECH_TAG.match(following):
        return False  # "We will win!" Lavrov said.
    if mark != ".":
        return True
    word = _word_before(body)
    lower = word.lower()
    if "." in word:  # U.S., e.g., a.m.: an abbreviation, ending a sentence only before a usual first word
        return starter
    if lower in _TITLES:
        return False
    if lower in _BEFORE_NUMBER and first.isdigit():
        return False
    if lower in _ENDING_ABBREVIATIONS:
        return starter
    if len(word) == 1 and word.isupper():  # an initial: "John F. Kennedy", but "... vitamin A. The ..."
        return starter
    return True


def _starts_line(text: str, position: int) -> bool:
    return not text[text.rfind("\n", 0, position) + 1 : position].strip()


def sentences(text: str) -> list[Sentence]:
    """The text's sentences, in order, with their spans; quotation marks do not stop a split."""
    spans: list[tuple[int, int]] = []
    start = 0
    # A candidate boundary: terminal punctuation with its closers before a space, or a line break.
    for m in re.finditer(r"[.!?…]+[\"”’»)\]']*(?=\s|$)|\n", text):
        if m.group() != "\n":
            if _is_boundary(text, m.end()):
                spans.append((start, m.end()))
                start = m.end()
            continue
        so_far = text[start : m.start()].strip()
        next_line = text[m.end() : m.end() + _WINDOW].lstrip(" \t")
        # A line break ends a sentence at a blank line, at the end of the text, and after a heading (a short line
        # of its own without a closing mark, before a capitalised line); otherwise it wraps a long line.
        heading = (
            len(so_far) < 80
            and _starts_line(text, text.find(so_far, start) if so_far else start)
            and so_far[-1:] not in ",;:-–—"
            and next_line[:1].isupper()
        )
        if not so_far or next_line.startswith("\n") or not next_line.strip() or heading:
            spans.append((start, m.start()))
            start = m.end()
    spans.append((start, len(text)))
    result = []
    for low, high in spans:
        chunk = text[low:high]
        stripped = chunk.strip()
        if stripped:
            offset = low + len(chunk) - len(chunk.lstrip())
            result.append(Sentence(offset, offset + len(stripped), stripped))
    return _with_quotations(text, result)


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text)


def _with_quotations(text: str, found: list[Sentence]) -> list[Sentence]:
    speech = [q for q in quotations(text) if len(_words(q.text)) >= QUOTE_MIN_WORDS]
    result = []
    for sentence in found:
        quote = next((q for q in speech if q.start < sentence.end and q.end > sentence.start), None)
        if quote is None:
            result.append(sentence)
            continue
        opening = next(s for s in found if s.start <= quote.start < s.end)
        closing = next((s for s in found if s.start < quote.end <= s.end), found[-1])
        before = text[opening.start : quote.start]
        after = text[quote.end : closing.end]
        result.append(Sentence(sentence.start, sentence.end, sentence.text, quote, f"{before} … {after}".strip()))
    return result


# Names ------------------------------------------------------------------------------------------------------------

_NAME_WORD = r"(?:[A-Z][\w’'.-]*\w|[A-Z]|al-[A-Z][\w-]*|bin|ibn|van|von|der|du)(?![\w’'-])"
_NAME = rf"{_NAME_WORD}(?:(?:\s+(?:of|for|of\s+the|for\s+the)\s+|\s+|-){_NAME_WORD})*"
_NAME_RE = re.compile(rf"(?<![\w’'-])(?:the\s+)?(?P<name>{_NAME})")
# Words before a person's name that say what they are, not who.
_TITLE_WORDS = frozenset(
    """president vice prime minister foreign deputy secretary chief director spokesman spokeswoman spokesperson
    general gen. senator sen. rep. governor gov. mayor chairman chairwoman chair ambassador minister's former
    king queen prince sheikh mr. mrs. ms. dr. prof. commander colonel lieutenant captain sergeant head leader
    envoy official""".split()  # noqa: SIM905
)
# Capitalised words that are not names on their own.
_NOT_NAMES = frozenset(
    """the a an this that these those it its he she his her they their we our i you in on at by for from with but
    and or so yet however meanwhile also then there here after before when while as since although though if
    according despite many some most all several practically former international local western foreign
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december""".split()  # noqa: SIM905
)


def _trim_name(name: str) -> str:
    """'Russian Foreign Minister Sergey Lavrov' -> 'Sergey Lavrov'; 'Hamas's Ministry of Health' stays whole."""
    words = name.split()
    titled = [i for i, word in enumerate(words) if word.lower() in _TITLE_WORDS]
    if titled and titled[-1] < len(words) - 1:
        words = words[titled[-1] + 1 :]
    while words and words[0].lower() in _NOT_NAMES:
        words = words[1:]
    while words and words[-1].lower() in ("of", "for", "on", "the", "and"):
        words = words[:-1]
    return " ".join(words)


def names(text: str, *, known: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """Named entities by capitalisation: (start, end, name). A lone capitalised first word is not one (it may
    just start the sentence), unless it is all capitals (TASS, IDF) or `known` (capitalised mid-sentence
    elsewhere in the article: Fatah, Moscow)."""
    found = []
    for m in _NAME_RE.finditer(text):
        name = _trim_name(m["name"])
        if not name or name.lower() in _NOT_NAMES:
            continue
        start = m.start("name") + m["name"].find(name.split()[0])
        at_start = not text[:start].strip(' "“‘«(')
        if at_start and " " not in name and not name.isupper() and name not in known:
            continue
        if re.fullmatch(r"[A-Z]", name):
            continue
        found.append((start, start + len(name), name))
    return found


def known_names(split: Sequence[Sentence]) -> frozenset[str]:
    """Single-word names the article capitalises mid-sentence: the same word starting a sentence is a name too."""
    return frozenset(name for s in split for start, _, name in names(s.text) if " " not in name and start > 0)


def _last_name_in(phrase: str) -> str | None:
    """The name a subject phrase ends in ('Russian state news agency TASS' -> 'TASS'), or None when its head is a
    common noun ('International observers')."""
    phrase = phrase.strip(' ,:;"“”')
    if len(_words(phrase)) > MAX_SUBJECT_WORDS:
        return None
    m = re.search(rf"(?:^|\s)(?P<name>{_NAME})$", phrase)
    # "factions gathered for a meeting in Moscow have emphasized": Moscow is not who speaks ...
    if m is None or re.search(
        r"\b(?:in|at|on|for|from|with|by|to|of|into|near|over|against)\s+(?:the\s+)?$", phrase[: m.start("name")]
    ):
        # ... but in 'a spokesman for the IDF', 'officials at the Ministry of Health' the organisation speaks.
        org = re.search(rf"\b(?:for|of|at|from)\s+(?:the\s+)?(?P<name>{_NAME})$", phrase)
        if org and re.search(r"(?i)\b(?:spokes\w+|officials?|representatives?|press\s+office)\b", phrase):
            return _trim_name(org["name"]) or None
        return None
    name = _trim_name(m["name"])
    if not name or name.lower() in _NOT_NAMES:
        return None
    return name


# Attribution ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposedHop:
    """One hop of a proposed chain: a source by name (resolved in the database layer), how it passed the claim
    on, and the words that show it."""

    source: str
    relation: str
    excerpt: str = ""
    kind_hint: str = ""  # a claims.models SourceKind value when the words say it ("news agency TASS"), else ""


# Present-tense forms that are also nouns ("state", "claims", "report") are left out: "Russian state news agency".
_SAY = (
    r"(?:said|says|say|told|stated|added|adds|claimed|announced|announces|declared|declares|insisted|insists|"
    r"noted|note|stressed|stresses|emphasi[sz]ed|explained|argued|argues|warned|warns|wrote|writes|confirmed|"
    r"confirms|denied|denies|called)"
)
_REPORT = r"(?:reported|reports|published)"
_AUX = r"(?:(?:has|have|had|was|were|is|are)\s+)?"
_CITING = re.compile(
    rf"(?P<relay>[^,;:–—]+?),?\s+citing\s+(?P<source>[^,;:–—]+?),\s*{_AUX}(?P<verb>{_SAY}|{_REPORT})\b"
)
_ACCORDING = re.compile(rf"\b(?i:according\s+to|as\s+reported\s+by|citing)\s+(?:the\s+)?(?P<source>{_NAME})")
_ACCORDING_UNNAMED = re.compile(
    r"\b(?i:according\s+to|citing)\s+(?:\w+\s+){0,3}?(?:sources|reports|officials|witnesses|observers|media|"
    r"residents|experts|analysts)\b"
)
_SPOKE_TO = re.compile(
    rf"\b(?:who\s+(?:spoke|talked|was\s+speaking)\s+to|speaking\s+to|told)\s+(?:the\s+)?(?P<relay>{_NAME})"
)
_TOLD = re.compile(rf"(?P<subject>[^,;:–—]+?)\s+{_AUX}told\s+(?:the\s+)?(?:(?P<relay>{_NAME})|[a-z])")
_THE_REPORT = re.compile(
    rf"\bthe\s+(?P<source>{_NAME})\s+(?:report|statement|communiqu[ée]|release|agency|ministry)\s+{_AUX}"
    rf"(?P<verb>{_SAY}|{_REPORT}|read|reads|stated)\b"
)
_SUBJECT_VERB = re.compile(rf"(?P<subject>[^,;:–—]+?)\s+{_AUX}(?P<verb>{_SAY}|{_REPORT})\b")
_VERB_SUBJECT = re.compile(rf"[,\"”]\s*(?P<verb>said|says|added|told|wrote)\s+(?:the\s+)?(?P<source>{_NAME})")
# Who a subject phrase names when it names nobody by name: unnamed sources, and institutions the sentence does not
# name ("the regional government said"), which the desk identifies from the article.
_UNNAMED_HEADS = re.compile(
    r"\b(?:observers|analysts|officials?|sources|experts|diplomats|witnesses|residents|reports?|media|critics|"
    r"activists|researchers|scientists|authorities|people|doctors|medics|government|ministry|police|army|military|"
    r"agency|spokes(?:man|woman|person)|office|statement|sources?\s+close\s+to\s+\w+)$",
    re.IGNORECASE,
)
_KIND_HINTS = (
    (re.compile(r"\bnews\s+agency|\bagency\b|\bwire\b", re.IGNORECASE), "news_agency"),
    (re.compile(r"\bministry\b", re.IGNORECASE), "ministry"),
    (re.compile(r"\b(?:army|forces|military|IDF|defen[cs]e\s+forces)\b"), "military"),
    (re.compile(r"\b(?:newspaper|outlet|broadcaster|channel|TV|radio|daily)\b", re.IGNORECASE), "outlet"),
    (re.compile(r"\b(?:government|presidency|office|cabinet|kremlin)\b", re.IGNORECASE), "government"),
    (re.compile(r"\b(?:UN|United\s+Nations|WHO|UNRWA|ICRC|Red\s+Cross|NATO|EU)\b"), "international_body"),
)
# Words in an organisation's name: a capitalised pair of words without them reads as a person's name.
_ORGANISATION_WORDS = re.compile(
    r"\b(?:Organi[sz]ation|Jihad|Ministry|Party|Movement|Front|Council|Committee|Authority|Forces|Army|Agency|"
    r"Institute|University|Union|Nations|Bank|Group|Brigades?|Office|News|Times|Post|Press|Association|Court|"
    r"Department|Government|Company|Corporation|Foundation|Cent(?:er|re)|Service|Commission|Watch|International|"
    r"Observatory|Accords?|Strip|Street|City|Republic|State|States|Kingdom|Federation|Assembly|Parliament)\b"
)


def kind_hint(name: str, context: str = "") -> str:
    """A SourceKind value for a new source from its name and the words around it, or '' when nothing says."""
    for pattern, kind in _KIND_HINTS:
        if pattern.search(name) or pattern.search(context):
            return kind
    words = name.split()
    capitalised = all(w[:1].isupper() or w in ("al", "bin", "ibn") or "-" in w for w in words)
    if (
        2 <= len(words) <= 4
        and capitalised
        and not re.search(r"\b(?:of|for)\b", name)
        and not _ORGANISATION_WORDS.search(name)
    ):
        return "person"
    return ""


def _mask_quotes(text: str) -> str:
    """Quoted words blanked (same length), so that what a quotation says is not read as who says it."""
    return re.sub(r"[\"“][^\"“”]*[\"”]", lambda m: m.group()[0] + " " * (len(m.group()) - 2) + m.group()[-1], text)


def _relation(verb: str, quoted: bool) -> str:
    if quoted:
        return QUOTES
    return CITES if re.fullmatch(_REPORT, verb, re.IGNORECASE) else PARAPHRASES


def _context_of(text: str, name: str) -> str:
    """The words that describe `name` where it appears: the descriptor before it in its clause ("news agency
    TASS") and an appositive after it ("Aiman Rakab, a member of Fatah")."""
    index = text.find(name)
    if index < 0:
        return ""
    before = re.split(r"[,;:.(\"“”]", text[:index])[-1]
    rest = text[index + len(name) :]
    after = rest.split(",")[1] if rest.startswith(",") and rest.count(",") >= 1 else ""
    return f"{before} {name} {after}"


def attribution(text: str, *, quoted: bool = False) -> list[ProposedHop]:
    """The sources the phrasing of `text` names, outermost first, each with the relation by which the one before
    it (the page, for the first) passes the claim on; a last hop with no name stands for unnamed sources.

    `quoted`: the claim is between quotation marks, so the first source named is quoted. Returns [] when the text
    names nobody: the page says it itself.
    """
    if len(text) > MAX_ATTRIBUTION_CHARS:
        return []  # not a sentence (a list, a table, text without punctuation): nobody to read from it
    masked = _mask_quotes(text)

    def hop(name: str, relation: str, excerpt: str) -> ProposedHop:
        return ProposedHop(name, relation, excerpt.strip(" ,:"), kind_hint(name, _context_of(masked, name)))

    def speech_follows(position: int) -> bool:
        return quoted or bool(re.search(r"[\"“]", text[position:]))

    # "X, citing Y, reports": the page relays X, X cites Y.
    if (m := _CITING.search(masked)) and (relay := _last_name_in(m["relay"])):
        source = _last_name_in(m["source"]) or _trim_name(m["source"])
        return [
            hop(relay, _relation(m["verb"], speech_follows(m.end())), m.group()),
            hop(source, CITES, f"citing {m['source'].strip()}"),
        ]
    # "the TASS report stated": the report's author.
    if m := _THE_REPORT.search(masked):
        return [hop(_trim_name(m["source"]), _relation(m["verb"], speech_follows(m.end())), m.group())]
    # "According to Y, a member of Fatah who spoke to X, ...": X paraphrases Y.
    if m := _ACCORDING.search(masked):
        source = _trim_name(m["source"])
        appositive = ",".join(masked[m.end() : m.end() + 160].split(",")[:2])
        spoke = _SPOKE_TO.search(appositive)
        excerpt = masked[m.start() : m.end() + (spoke.end() if spoke else 0)]
        if spoke:
            return [
                hop(_trim_name(spoke["relay"]), QUOTES if quoted else CITES, excerpt),
                hop(source, PARAPHRASES, excerpt),
            ]
        return [hop(source, QUOTES if quoted else CITES, excerpt)]
    if m := _ACCORDING_UNNAMED.search(masked):
        return [ProposedHop("", CITES_UNNAMED, m.group())]
    # "Y told X that ...": the page cites X, X paraphrases Y; "Y told reporters": the page paraphrases Y.
    if (m := _TOLD.search(masked)) and (speaker := _last_name_in(m["subject"])):
        relay = _trim_name(m["relay"] or "")
        said = QUOTES if speech_follows(m.end()) else PARAPHRASES
        if relay and relay.lower() not in _NOT_NAMES:
            return [hop(relay, QUOTES if quoted else CITES, m.group()), hop(speaker, said, m.group())]
        return [hop(speaker, said, m.group())]
    # '"...", said Y'.
    if (m := _VERB_SUBJECT.search(masked)) and (name := _trim_name(m["source"])) and name.lower() not in _NOT_NAMES:
        return [hop(name, QUOTES, m.group().lstrip(',"” '))]
    # "X said", "X reported", "International observers have reported".
    for m in _SUBJECT_VERB.finditer(masked):
        subject = re.sub(r"^.*\b(?:that|and|but|while|when|as)\s+(?=[A-Za-z])", "", m["subject"]).strip()
        verb = m["verb"].lower()
        if verb == "called" and not re.search(r"[\"“]", text[m.end() :]):
            continue  # "called" reports speech only when the words follow in quotation marks
        if _UNNAMED_HEADS.search(subject):
            return [ProposedHop("", CITES_UNNAMED, masked[m.start("subject") + m["subject"].find(subject) : m.end()])]
        if name := _last_name_in(subject):
            excerpt = masked[m.start("subject") + m["subject"].find(name) : m.end()]
            return [hop(name, _relation(verb, speech_follows(m.end())), excerpt)]
    return []


def chain(sentence: Sentence, *, publisher: str) -> list[ProposedHop]:
    """The proposed chain from the page outwards: hop 0 is the publisher; the last hop publishes or cites_unnamed.

    Inside a speech quotation the words around it (the frame) name the speaker the page quotes, and the quoted
    sentence's own phrasing continues the chain from there ("According to Y, who spoke to TASS" inside TASS's
    words: TASS paraphrases Y).
    """
    if sentence.quotation is not None:
        named = attribution(sentence.frame, quoted=True)
        inner = attribution(_inside(sentence, sentence.quotation))
        if named and named[-1].source and inner:
            if inner[0].source.lower() == named[-1].source.lower():
                inner = inner[1:]  # the quoted speaker names itself as the relay
            named += inner
        elif not named:
            named = inner
    else:
        named = attribution(sentence.text)
    if named and named[0].source.lower() == publisher.lower():
        named = named[1:]  # the publisher names itself: "TASS reported" on TASS's own site
    # Hop k passes on hop k + 1 with the relation the words give hop k + 1; the last named source says it itself.
    hops = [ProposedHop(publisher, named[0].relation if named else PUBLISHES, named[0].excerpt if named else "")]
    for index, source in enumerate(named):
        if not source.source:
            break  # unnamed sources: the hop before cites them and ends the chain
        following = named[index + 1] if index + 1 < len(named) else None
        relation = following.relation if following else PUBLISHES
        hops.append(ProposedHop(source.source, relation, following.excerpt if following else "", source.kind_hint))
    return hops


def _inside(sentence: Sentence, quote: Quotation) -> str:
    low = max(sentence.start, quote.start + 1) - sentence.start
    high = min(sentence.end, quote.end - 1) - sentence.start
    return sentence.text[low:high].strip(' "“”')


# Candidates -------------------------------------------------------------------------------------------------------

# "may" in lower case only: "May 2009" is a month.
_HEDGES = re.compile(
    r"\b(?:may|(?i:might|could|perhaps|possibly|probably|likely|unlikely|reportedly|allegedly|apparently|seems?|"
    r"appears?|anticipated|expected|expects?|supposedly|rumou?red|speculat\w+|estimated?))\b"
)
_OPINIONS = re.compile(
    r"\b(?:should|must|ought|believes?|thinks?|feels?|opinion|tragic|terrible|shameful|outrageous|disgraceful|"
    r"wonderful|beneficiar\w+|best|worst|deserves?|hopefully|unfortunately|arguably|analysts\s+note|"
    r"in\s+my\s+view|clearly|obviously|divert\s+attention)\b",
    re.IGNORECASE,
)
_STATUS_VERBS = re.compile(
    r"\b(?:met|meets|visited|visits|signed|signs|led|leads|is\s+led|killed|killing|died|refused|refuses|"
    r"recogni[sz]e[sd]?|adopted|approved|rejected|hosted|hosts|elected|appointed|resigned|arrested|launched|"
    r"released|banned|voted|won|lost|took\s+place|began|begun|ended|joined|condemned|addressed|conducting|"
    r"apologi[sz]e|seeking|laid\s+out|maintain|involved|provided|arrived|intend|gathered)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    """A sentence proposed as a claim, with what the desk would fill in: its kind, values and chain."""

    sentence: str
    span: tuple[int, int]  # offsets of the sentence in the article's text
    score: float
    kind: str
    values: tuple[Match, ...]  # claims.values matches that read as a value (no errors)
    hops: tuple[ProposedHop, ...]
    quote: str  # the verbatim words: the quotation's words in this sentence, else the sentence itself
    features: tuple[str, ...] = field(default=())  # the WEIGHTS keys that counted

    @property
    def expressions(self) -> list[str]:
        return [match.text for match in self.values]


def score(features: Sequence[str], entities: int) -> float:
    """Check-worthiness from the features present (WEIGHTS), entities counted up to ENTITY_CAP."""
    total = sum(WEIGHTS[name] for name in features if name != "entity")
    total += WEIGHTS["entity"] * min(entities, ENTITY_CAP)
    return round(min(1.0, max(0.0, total)), 3)


def _kind(values: Sequence[Parsed], quoted: bool, entities: int) -> str:
    if any(value.kind == QUANTITY for value in values):
        return KIND_QUANTITY
    if any(value.kind == DATE for value in values):
        return KIND_DATE_EVENT
    if quoted:
        return KIND_QUOTE
    return KIND_STATUS if entities else KIND_OTHER


def candidate(
    sentence: Sentence, *, publisher: str, published: dt.date | None, known: frozenset[str] = frozenset()
) -> Candidate:
    """One sentence read as a candidate claim, whatever its score. `known`: see known_names()."""
    text = sentence.text
    matches = tuple(m for m in find_quantities(text, reference=published) if m.value is not None)
    values = [m.value for m in matches if m.value is not None]
    hops = chain(sentence, publisher=publisher)
    masked = _mask_quotes(text)
    entities = names(masked, known=known)
    # Quotations of speech in this sentence: the long ones, or short ones a speech verb introduces.
    in_sentence = [q for q in quotations(text) if len(_words(q.text)) >= QUOTE_MIN_WORDS]
    quoted = sentence.quotation is not None or bool(in_sentence) or any(h.relation == QUOTES for h in hops)
    features: list[str] = []
    if any(v.kind == QUANTITY for v in values):
        features.append("quantity")
    if any(v.kind == DATE for v in values):
        features.append("date")
    if len(hops) > 1 or hops[0].relation != PUBLISHES:
        features.append("unnamed_attribution" if hops[-1].relation == CITES_UNNAMED else "attribution")
    if quoted:
        features.append("quotation")
    if entities:
        features.append("entity")
    if _STATUS_VERBS.search(masked):
        features.append("status_verb")
    if _HEDGES.search(masked):
        features.append("hedge")
    if _OPINIONS.search(masked):
        features.append("opinion")
    if text.rstrip(_CLOSING).endswith("?"):
        features.append("question")
    if len(_words(text)) < SHORT_WORDS:
        features.append("short")
    if sentence.quotation is not None:
        quote = _inside(sentence, sentence.quotation)
    elif in_sentence or hops[0].relation == QUOTES:
        quote = " … ".join(q.text.strip(" ,.") for q in in_sentence or quotations(text)) or text
    else:
        quote = text
    return Candidate(
        sentence=text,
        span=(sentence.start, sentence.end),
        score=score(features, len(entities)),
        kind=_kind(values, quoted, len(entities)),
        values=matches,
        hops=tuple(hops),
        quote=quote,
        features=tuple(features),
    )


def candidates(
    text: str, *, publisher: str, published: dt.date | None = None, min_score: float = DEFAULT_MIN_SCORE
) -> list[Candidate]:
    """The sentences of `text` worth checking (score ≥ `min_score`), in order.

    `publisher` names hop 0 of every chain; `published` gives dates written without a year their year.
    """
    found = []
    split = sentences(text)
    known = known_names(split)
    for sentence in split:
        proposed = candidate(sentence, publisher=publisher, published=published, known=known)
        if proposed.score >= min_score:
            found.append(proposed)
    return found


def sentence_key(sentence: str) -> str:
    """A stable digest of a sentence's words, so re-ingesting an article finds the claims it made before (spacing,
    case and curly or straight quotes do not change it)."""
    words = " ".join(_words(sentence.lower().replace("’", "'")))
    return hashlib.sha256(words.encode()).hexdigest()[:16]

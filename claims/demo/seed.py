"""The demo data set: one news article of 29 February 2024 on the Moscow meeting of Palestinian factions.

Everything here is the desk's own work: claims are worded by the desk, and `quote` holds only a short verbatim
fragment of the article, so the data works (and reads) without the article. The article named no URL or publisher;
its appearance uses a reserved `.example` address and a stand-in publisher, and so does the TASS report it cites,
whose address the article does not give.

Intervals follow the value rules (claims.models.ClaimValue): quantities are open or closed at each end, with no
upper end for "more than"; dates are half-open day intervals [first day, day after the last day) whose precision
says how much the words pinned down. Vague plurals of a unit U ("dozens", "hundreds", "tens of thousands") are
[2U, 10U): "tens of thousands" is [20 000, 100 000), "hundreds" [200, 1 000), "dozens" [24, 120).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from claims.models import ClaimKind, ClaimStatus, DatePrecision, Evidence, HopRelation, Question, ValueQualifier
from sources.models import SourceKind

ORIGIN = "demo"  # Claim.external_origin of every demo claim; external_id is the claim's slug.
ARTICLE_DATE = dt.date(2024, 2, 29)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    is_superuser: bool
    email: str


@dataclass(frozen=True)
class SourceSpec:
    key: str
    name: str
    kind: str
    country: str = ""
    description: str = ""
    aliases: tuple[str, ...] = ()
    parent: str = ""
    wikidata_id: str = ""
    homepage: str = ""


@dataclass(frozen=True)
class AppearanceSpec:
    key: str
    url: str
    title: str
    publisher: str
    published_on: dt.date
    language: str = "en"


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    text: str
    kind: str
    unit: str = ""
    cumulative: bool = False
    description: str = ""


@dataclass(frozen=True)
class HopSpec:
    source: str
    relation: str
    excerpt: str = ""


@dataclass(frozen=True)
class ChainSpec:
    """Hops from the page outwards, as on claims.models.Attribution."""

    appearance: str
    hops: tuple[HopSpec, ...]


@dataclass(frozen=True)
class ValueSpec:
    kind: str
    expression: str
    low: Decimal | dt.date | None
    high: Decimal | dt.date | None
    bounds: str = "[)"
    qualifier: str = ValueQualifier.EXACT
    unit: str = ""
    precision: str = ""
    as_of: dt.date | None = None
    place: str = ""


@dataclass(frozen=True)
class EvidenceSpec:
    url: str
    title: str
    stance: str
    note: str


@dataclass(frozen=True)
class VerdictSpec:
    """Drafted by the fact-checker; when `publish`, approved by the editor and published."""

    rating: str
    summary: str
    explanation: str
    evidence: tuple[EvidenceSpec, ...]
    publish: bool


@dataclass(frozen=True)
class ClaimSpec:
    """One claim. The first chain's appearance becomes the first appearance; its origin becomes the claimant."""

    slug: str
    statement: str
    quote: str
    kind: str
    chains: tuple[ChainSpec, ...]
    status: str = ClaimStatus.NEW
    question: str = ""
    values: tuple[ValueSpec, ...] = ()
    tags: tuple[str, ...] = ()
    claim_date: dt.date | None = ARTICLE_DATE
    verdict: VerdictSpec | None = None


def count(
    expression: str,
    low: int | None,
    high: int | None,
    bounds: str,
    qualifier: str,
    *,
    unit: str = "people",
    as_of: dt.date | None = None,
    place: str = "",
) -> ValueSpec:
    return ValueSpec(
        kind="quantity",
        expression=expression,
        low=None if low is None else Decimal(low),
        high=None if high is None else Decimal(high),
        bounds=bounds,
        qualifier=qualifier,
        unit=unit,
        as_of=as_of,
        place=place,
    )


def on_day(expression: str, day: dt.date) -> ValueSpec:
    return ValueSpec("date", expression, day, day + dt.timedelta(days=1), precision=DatePrecision.DAY)


def in_month(expression: str, year: int, month: int) -> ValueSpec:
    first = dt.date(year, month, 1)
    after = dt.date(year + month // 12, month % 12 + 1, 1)
    return ValueSpec("date", expression, first, after, precision=DatePrecision.MONTH)


def in_years(expression: str, first_year: int, last_year: int) -> ValueSpec:
    return ValueSpec(
        "date",
        expression,
        dt.date(first_year, 1, 1),
        dt.date(last_year + 1, 1, 1),
        qualifier=ValueQualifier.BETWEEN,
        precision=DatePrecision.YEAR,
    )


def page(appearance: str, *hops: HopSpec) -> ChainSpec:
    return ChainSpec(appearance, hops)


def hop(source: str, relation: str, excerpt: str = "") -> HopSpec:
    return HopSpec(source, relation, excerpt)


PUBLISHES, QUOTES, PARAPHRASES, CITES, CITES_UNNAMED = (
    HopRelation.PUBLISHES,
    HopRelation.QUOTES,
    HopRelation.PARAPHRASES,
    HopRelation.CITES,
    HopRelation.CITES_UNNAMED,
)

EDITOR, FACT_CHECKER = "editor", "fact-checker"  # Roles; the editor approves what the fact-checker drafts.
ACCOUNTS = (
    DemoAccount("editor", EDITOR, is_superuser=False, email="editor@demo.example"),
    DemoAccount("factchecker", FACT_CHECKER, is_superuser=False, email="factchecker@demo.example"),
)

# Parents come before their children.
SOURCES = (
    SourceSpec(
        "site",
        "Example News (seed article publisher)",
        SourceKind.OUTLET,
        description="Stand-in for the unnamed publisher of the demo article.",
    ),
    SourceSpec(
        "tass",
        "TASS",
        SourceKind.NEWS_AGENCY,
        "RU",
        "Russian state news agency.",
        aliases=("Russian News Agency TASS",),
        homepage="https://tass.com/",
    ),
    SourceSpec(
        "hamas",
        "Hamas",
        SourceKind.POLITICAL_GROUP,
        "PS",
        "Palestinian Islamist movement; has governed the Gaza Strip since 2007.",
        aliases=("Islamic Resistance Movement",),
    ),
    SourceSpec(
        "moh",
        "Ministry of Health in Gaza",
        SourceKind.MINISTRY,
        "PS",
        "Health ministry of the Hamas-run authorities in the Gaza Strip; keeps the count of the war's dead in Gaza.",
        aliases=("Gaza Health Ministry", "Gaza Ministry of Health", "Hamas's Ministry of Health"),
        parent="hamas",
    ),
    SourceSpec(
        "plo",
        "Palestine Liberation Organization",
        SourceKind.POLITICAL_GROUP,
        "PS",
        "Umbrella organisation of Palestinian factions; Hamas and Islamic Jihad are not members.",
        aliases=("PLO",),
    ),
    SourceSpec(
        "fatah",
        "Fatah",
        SourceKind.POLITICAL_GROUP,
        "PS",
        "Largest faction of the PLO; leads the Palestinian Authority in the West Bank.",
        aliases=("Palestinian National Liberation Movement",),
        parent="plo",
    ),
    SourceSpec(
        "pij",
        "Islamic Jihad",
        SourceKind.POLITICAL_GROUP,
        "PS",
        "Palestinian Islamist armed group, outside the PLO.",
        aliases=("Palestinian Islamic Jihad", "PIJ"),
    ),
    SourceSpec(
        "idf",
        "Israel Defense Forces",
        SourceKind.MILITARY,
        "IL",
        "Israel's armed forces.",
        aliases=("IDF",),
        homepage="https://www.idf.il/en/",
    ),
    SourceSpec(
        "ru-gov",
        "Government of Russia",
        SourceKind.GOVERNMENT,
        "RU",
        aliases=("Russian Government", "Government of the Russian Federation"),
    ),
    SourceSpec(
        "ru-mfa",
        "Ministry of Foreign Affairs of Russia",
        SourceKind.MINISTRY,
        "RU",
        aliases=("Russian Foreign Ministry", "Russian Ministry of Foreign Affairs", "Russian MFA"),
        parent="ru-gov",
        homepage="https://mid.ru/en/",
    ),
    SourceSpec(
        "ios",
        "Institute of Oriental Studies of the Russian Academy of Sciences",
        SourceKind.OTHER,
        "RU",
        "Research institute in Moscow; hosted the 2024 meeting.",
        aliases=("Institute of Oriental Studies", "IOS RAS"),
    ),
    SourceSpec(
        "naumkin",
        "Vitaly Naumkin",
        SourceKind.PERSON,
        "RU",
        "Russian orientalist at the Institute of Oriental Studies; the article calls him its director.",
    ),
    SourceSpec("rakab", "Aiman Rakab", SourceKind.PERSON, "PS", "Fatah member, as TASS describes him."),
    SourceSpec(
        "abu-marzook",
        "Mousa Abu Marzook",
        SourceKind.PERSON,
        "PS",
        "Deputy head of the Hamas politburo; led the Hamas delegation in Moscow.",
        aliases=("Moussa Abu Marzouk", "Mousa Abu Marzouk"),
    ),
    SourceSpec(
        "al-ahmad",
        "Azzam al-Ahmad",
        SourceKind.PERSON,
        "PS",
        "Fatah official, member of the PLO executive committee; led the Fatah delegation in Moscow.",
        aliases=("Azzam al-Ahmed",),
    ),
    SourceSpec(
        "medvedev",
        "Dmitry Medvedev",
        SourceKind.PERSON,
        "RU",
        "President of Russia 2008-2012, later prime minister.",
        aliases=("Dmitri Medvedev",),
    ),
    SourceSpec("putin", "Vladimir Putin", SourceKind.PERSON, "RU", "President of Russia.", wikidata_id="Q7747"),
    SourceSpec(
        "mashal",
        "Khaled Mashal",
        SourceKind.PERSON,
        "PS",
        "Head of the Hamas politburo from 1996 to 2017.",
        aliases=("Khaled Meshaal", "Khalid Mishal"),
    ),
    SourceSpec(
        "lavrov",
        "Sergey Lavrov",
        SourceKind.PERSON,
        "RU",
        "Foreign Minister of Russia since 2004.",
        aliases=("Sergei Lavrov",),
    ),
    SourceSpec("hamdan", "Osama Hamdan", SourceKind.PERSON, "PS", "Hamas official."),
    # Beyond the article: where the desk looked for the official 7 October toll, answering the same question.
    SourceSpec(
        "israel-mfa",
        "Ministry of Foreign Affairs of Israel",
        SourceKind.MINISTRY,
        "IL",
        "Gave the revised official toll of the 7 October attack in November 2023.",
        aliases=("Israeli foreign ministry",),
    ),
    SourceSpec("reuters", "Reuters", SourceKind.NEWS_AGENCY, "GB", "International news agency."),
    SourceSpec("straits-times", "The Straits Times", SourceKind.OUTLET, "SG", "Singapore daily; runs Reuters copy."),
)

APPEARANCES = (
    AppearanceSpec(
        "article",
        "https://news.example/2024/02/29/palestinian-factions-moscow-meeting",
        "Palestinian factions begin reconciliation talks in Moscow (demo article)",
        "site",
        ARTICLE_DATE,
    ),
    AppearanceSpec(
        "tass",
        "https://tass.example/2024/02/29/moscow-meeting-of-palestinian-factions",
        "TASS report on the Moscow meeting (as cited)",
        "tass",
        ARTICLE_DATE,
    ),
    AppearanceSpec(
        "toll-revised",
        "https://www.straitstimes.com/world/middle-east/israel-revises-death-toll-from-oct-7-hamas-attack-to-around-1200",
        "Israel revises death toll from Oct 7 Hamas attack to 'around 1,200' (Reuters)",
        "straits-times",
        dt.date(2023, 11, 11),
    ),
)

QUANTITY, DATE = Question.Kind.QUANTITY, Question.Kind.DATE

QUESTIONS = (
    QuestionSpec(
        "oct7-dead",
        "How many Israeli citizens and soldiers were killed in the 7 October 2023 attack?",
        QUANTITY,
        "people",
        description=(
            "One event: later official figures correct earlier ones rather than add to them. Claims counting all "
            "'people' killed (foreign nationals included, fewer than a hundred) answer it too."
        ),
    ),
    QuestionSpec(
        "oct7-hostages",
        "How many people were taken hostage in the 7 October 2023 attack?",
        QUANTITY,
        "people",
    ),
    QuestionSpec(
        "idf-militants",
        "How many militants has the IDF killed in Gaza since October 2023?",
        QUANTITY,
        "people",
        cumulative=True,
        description="Israeli military figures; no independent count exists.",
    ),
    QuestionSpec(
        "gaza-dead",
        "How many Gaza residents have died in the war since October 2023?",
        QUANTITY,
        "people",
        cumulative=True,
        description="The running count is the Gaza Ministry of Health's; it does not tell civilians from fighters.",
    ),
    QuestionSpec(
        "al-rasheed",
        "How many people were killed or wounded at the aid convoy on Al-Rasheed Street, Gaza City, "
        "on 29 February 2024?",
        QUANTITY,
        "people",
    ),
    QuestionSpec(
        "meeting-start",
        "On what date did the Moscow meeting of Palestinian factions begin?",
        DATE,
        description="The intra-Palestinian meeting Russia hosted in 2024.",
    ),
    QuestionSpec("meeting-length", "How long did the Moscow meeting of Palestinian factions last?", QUANTITY, "days"),
    QuestionSpec(
        "organisations",
        "How many organisations sent representatives to the Moscow talks?",
        QUANTITY,
        "organisations",
        description="The intra-Palestinian meeting Russia hosted in 2024.",
    ),
    QuestionSpec(
        "previous-meeting",
        "When did the previous inter-Palestinian meeting in Moscow take place?",
        DATE,
        description="The one before the meeting of 2024.",
    ),
    QuestionSpec("mashal-visits", "When did Khaled Mashal visit Moscow?", DATE),
    QuestionSpec("lavrov-mashal", "When did Sergey Lavrov meet Khaled Mashal in Damascus?", DATE),
    QuestionSpec("hamdan-visits", "When did Osama Hamdan visit Moscow?", DATE),
    QuestionSpec(
        "lavrov-guests",
        "When did Sergey Lavrov call Fatah, Hamas and Islamic Jihad leaders 'respected guests' and 'dear friends'?",
        DATE,
    ),
)

# Evidence, read when the verdicts were written. Each claim keeps its own evidence rows.
REUTERS_TOLL = EvidenceSpec(
    "https://www.straitstimes.com/world/middle-east/israel-revises-death-toll-from-oct-7-hamas-attack-to-around-1200",
    "Israel revises death toll from Oct 7 Hamas attack to 'around 1,200' (Reuters, 11 November 2023)",
    Evidence.Stance.SUPPORTS,
    "Israel's foreign ministry: 'around 1,200' dead, down from 1,400; the count includes foreign nationals.",
)
AFP_TALLY = EvidenceSpec(
    "https://www.opovo.com.br/noticias/mundo/2024/05/28/ataque-de-7-de-outubro-em-israel-deixou-1-189-mortos-segundo-novo-balanco.html",
    "AFP tally of official Israeli data: 1,189 dead on 7 October (28 May 2024, in Portuguese)",
    Evidence.Stance.SUPPORTS,
    "796 civilians (76 of them foreign), 14 hostages confirmed dead (2 of them Thai), 57 police officers, "
    "9 Shin Bet members and 313 soldiers: about 1,110 Israelis.",
)
MEMO_START = EvidenceSpec(
    "https://www.middleeastmonitor.com/20240229-palestinian-groups-start-reconciliation-talks-in-moscow/",
    "Palestinian groups start reconciliation talks in Moscow (Middle East Monitor, 29 February 2024)",
    Evidence.Stance.SUPPORTS,
    "Reports the talks opening on Thursday 29 February in Lavrov's presence; scheduled for 29 February-2 March.",
)
PLURALIA_START = EvidenceSpec(
    "https://pluralia.forumverona.com/en/news/intra-palestinian-meeting-in-moscow-seeks-to-establish-interim-government/",
    "Intra-Palestinian meeting in Moscow seeks to establish interim government (Pluralia)",
    Evidence.Stance.SUPPORTS,
    "Hamas, Islamic Jihad, Fatah and 11 other factions gathered in Moscow on 29 February; talks until 2 March.",
)
BOGDANOV_INVITES = EvidenceSpec(
    "https://www.islamtimes.org/en/news/1116696/intra-palestinian-meeting-to-be-held-in-moscow",
    "Intra-Palestinian meeting to be held in Moscow (16 February 2024, relaying TASS)",
    Evidence.Stance.CONTEXT,
    "Deputy Foreign Minister Bogdanov: 12 to 14 organisations invited. Relays TASS, so not independent of the claim.",
)


def _refuting(evidence: EvidenceSpec, note: str) -> EvidenceSpec:
    return EvidenceSpec(evidence.url, evidence.title, Evidence.Stance.REFUTES, note)


CLAIMS = (
    ClaimSpec(
        "meeting-start",
        "The meeting of Palestinian factions in Moscow opened on Thursday, 29 February 2024.",
        "On Thursday, February 29, Palestinian factions have begun a three-day meeting",
        ClaimKind.DATE_EVENT,
        (page("article", hop("site", PUBLISHES)),),
        status=ClaimStatus.PUBLISHED,
        question="meeting-start",
        values=(on_day("Thursday, February 29", dt.date(2024, 2, 29)),),
        tags=("moscow-meeting-2024",),
        verdict=VerdictSpec(
            "true",
            "The talks opened in Moscow on Thursday, 29 February 2024, as Russia had announced.",
            "Russia's deputy foreign minister Mikhail Bogdanov announced in mid-February that the intra-Palestinian "
            "meeting would run from 29 February to 2 March 2024, and reports filed on 29 February describe the talks "
            "opening that day with a speech by Foreign Minister Sergey Lavrov. The article gives no year; its date "
            "and the weekday settle it: 29 February 2024 was a Thursday.",
            (MEMO_START, PLURALIA_START),
            publish=True,
        ),
    ),
    ClaimSpec(
        "meeting-length",
        "The Moscow meeting of Palestinian factions was planned to last three days.",
        "a three-day meeting in Moscow",
        ClaimKind.QUANTITY,
        (page("article", hop("site", PUBLISHES)),),
        status=ClaimStatus.TRIAGED,
        question="meeting-length",
        values=(count("three-day", 3, 3, "[]", ValueQualifier.EXACT, unit="days"),),
        tags=("moscow-meeting-2024",),
    ),
    ClaimSpec(
        "factions-stress-unity",
        "The factions gathered in Moscow called for Palestinian unity to end the Israeli occupation and to "
        "counter the foreign backers of Israel's operation in Gaza.",
        "emphasized the need for unity among Palestinians",
        ClaimKind.QUOTE,
        (
            page("tass", hop("tass", CITES, "citing Hamas"), hop("hamas", PUBLISHES)),
            page(
                "article",
                hop("site", QUOTES, "Russian state news agency TASS, citing Hamas, reports"),
                hop("tass", CITES, "citing Hamas"),
                hop("hamas", PUBLISHES),
            ),
        ),
        status=ClaimStatus.TRIAGED,
        tags=("moscow-meeting-2024", "palestinian-unity"),
    ),
    ClaimSpec(
        "organisations-over-ten",
        "Representatives of more than ten Palestinian organisations came to Moscow for the talks.",
        "Representatives from over ten organizations have arrived for negotiations",
        ClaimKind.QUANTITY,
        (
            page("tass", hop("tass", PUBLISHES)),
            page("article", hop("site", QUOTES, "the TASS report stated"), hop("tass", PUBLISHES)),
        ),
        status=ClaimStatus.IN_REVIEW,
        question="organisations",
        values=(count("over ten", 10, None, "()", ValueQualifier.MORE_THAN, unit="organisations"),),
        tags=("moscow-meeting-2024",),
        verdict=VerdictSpec(
            "true",
            "Fourteen factions took part, by the count of reports from the meeting.",
            "Before the meeting Russia said it had invited 12 to 14 organisations; reports from the opening day name "
            "Hamas, Islamic Jihad, Fatah and 11 other factions, 14 in all. Both counts are more than ten.",
            (BOGDANOV_INVITES, PLURALIA_START),
            publish=False,
        ),
    ),
    ClaimSpec(
        "technocratic-government",
        "The factions meeting in Moscow mean to agree on a single technocratic Palestinian government.",
        "intend to reach a consensus on a unified Palestinian technocratic government",
        ClaimKind.OTHER,
        (
            page("tass", hop("tass", PARAPHRASES, "a member of Fatah who spoke to TASS"), hop("rakab", PUBLISHES)),
            page(
                "article",
                hop("site", QUOTES, "the TASS report stated"),
                hop("tass", PARAPHRASES, "According to Aiman Rakab, a member of Fatah who spoke to TASS"),
                hop("rakab", PUBLISHES),
            ),
        ),
        tags=("moscow-meeting-2024", "palestinian-government"),
    ),
    ClaimSpec(
        "hamas-delegation-head",
        "Mousa Abu Marzook, deputy head of the Hamas politburo, led the Hamas delegation at the Moscow talks.",
        "led by the deputy politburo chief of the terrorist organization, Mousa Abu Marzook",
        ClaimKind.STATUS,
        (page("article", hop("site", PUBLISHES)),),
        status=ClaimStatus.TRIAGED,
        tags=("moscow-meeting-2024", "hamas"),
    ),
    ClaimSpec(
        "fatah-delegation-head",
        "Azzam al-Ahmad, of the PLO executive committee, led Fatah's delegation at the Moscow talks.",
        "led by a member of the PLO executive committee, Azzam al-Ahmad",
        ClaimKind.STATUS,
        (page("article", hop("site", PUBLISHES)),),
        tags=("moscow-meeting-2024", "fatah"),
    ),
    ClaimSpec(
        "al-rasheed-casualties",
        "Dozens of people were killed or wounded at the aid convoy on Al-Rasheed Street near Gaza City on "
        "29 February 2024.",
        "resulting in dozens of casualties",
        ClaimKind.QUANTITY,
        (page("article", hop("site", PUBLISHES)),),
        status=ClaimStatus.TRIAGED,
        question="al-rasheed",
        values=(
            count(
                "dozens",
                24,
                120,
                "[)",
                ValueQualifier.VAGUE,
                as_of=ARTICLE_DATE,
                place="Al-Rasheed Street, Gaza City",
            ),
        ),
        tags=("gaza", "casualties"),
    ),
    ClaimSpec(
        "oct7-toll-nearly-thousand",
        "Almost 1,000 Israeli citizens and soldiers died in the 7 October 2023 incursion from Gaza.",
        "resulting in the deaths of nearly a thousand Israeli citizens and soldiers",
        ClaimKind.QUANTITY,
        (page("article", hop("site", PUBLISHES)),),
        status=ClaimStatus.PUBLISHED,
        question="oct7-dead",
        values=(count("nearly a thousand", 900, 1000, "[)", ValueQualifier.NEARLY, place="Israel"),),
        tags=("october-7", "death-toll"),
        verdict=VerdictSpec(
            "mostly-false",
            "The 7 October toll was above a thousand, not just under it: Israel's official figure is about 1,200.",
            "'Nearly a thousand' means fewer than 1,000. By the time of the article Israel's official toll had "
            "stood at about 1,200 for over three months (revised from 1,400 in November 2023). AFP's tally of "
            "official data counts 1,189 dead, about 1,110 of them Israelis once the foreign nationals are set "
            "aside. The order of magnitude is right, but the figure is too low by a tenth or more. Two paragraphs "
            "later the same article says 'over a thousand'.",
            (
                _refuting(REUTERS_TOLL, "Official toll about 1,200, above the claimed range."),
                _refuting(AFP_TALLY, "About 1,110 Israeli citizens and security personnel, above 1,000."),
            ),
            publish=True,
        ),
    ),
    ClaimSpec(
        "oct7-toll-over-thousand",
        "More than 1,000 people were killed when Hamas and other groups attacked Israel on 7 October 2023.",
        "killing over a thousand people",
        ClaimKind.QUANTITY,
        (page("article", hop("site", PUBLISHES)),),
        status=ClaimStatus.PUBLISHED,
        question="oct7-dead",
        values=(count("over a thousand", 1000, None, "()", ValueQualifier.MORE_THAN, place="Israel"),),
        tags=("october-7", "death-toll"),
        verdict=VerdictSpec(
            "true",
            "Israel's official toll for the 7 October attack is about 1,200; "
            "an AFP tally of official data counts 1,189.",
            "In November 2023 Israel's foreign ministry revised its estimate of the dead of 7 October from 1,400 to "
            "about 1,200, foreign nationals included. AFP's tally of official Israeli data (social security, army, "
            "police, Shin Bet) put the toll at 1,189 in May 2024. Both figures are above a thousand.",
            (REUTERS_TOLL, AFP_TALLY),
            publish=True,
        ),
    ),
    # Not in the article: the figure the desk checked the article's two tolls against, from its own source. With it
    # the question has answers from two origins, and the detector finds one agreeing and one conflicting.
    ClaimSpec(
        "oct7-toll-around-1200",
        "Israel's foreign ministry revised the toll of the 7 October 2023 attack to around 1,200 dead.",
        "",  # not from the article: no verbatim words of it here
        ClaimKind.QUANTITY,
        (
            page(
                "toll-revised",
                hop("straits-times", CITES),
                hop("reuters", CITES),
                hop("israel-mfa", PUBLISHES),
            ),
        ),
        status=ClaimStatus.TRIAGED,
        question="oct7-dead",
        values=(count("around 1,200", 1080, 1320, "[]", ValueQualifier.ABOUT, place="Israel"),),
        tags=("october-7", "death-toll"),
        claim_date=dt.date(2023, 11, 10),
    ),
    ClaimSpec(
        "oct7-hostages-hundreds",
        "Hundreds of civilians, some of them Russian citizens, were abducted in the 7 October 2023 attack.",
        "kidnapping hundreds of civilians, including Russian citizens",
        ClaimKind.QUANTITY,
        (page("article", hop("site", PUBLISHES)),),
        question="oct7-hostages",
        values=(count("hundreds", 200, 1000, "[)", ValueQualifier.VAGUE),),
        tags=("october-7", "hostages"),
    ),
    ClaimSpec(
        "idf-militants-killed",
        "Israel's military operation in Gaza had killed more than 12,000 militants by the end of February 2024.",
        "killing more than 12,000 terrorists",
        ClaimKind.QUANTITY,
        # In the article's own voice: it gives no source for the figure, so the article is its origin.
        (page("article", hop("site", PUBLISHES)),),
        status=ClaimStatus.RESEARCHING,
        question="idf-militants",
        values=(
            count(
                "more than 12,000",
                12000,
                None,
                "()",
                ValueQualifier.MORE_THAN,
                as_of=ARTICLE_DATE,
                place="Gaza Strip",
            ),
        ),
        tags=("gaza", "death-toll", "unattributed-figure"),
    ),
    ClaimSpec(
        "gaza-dead-tens-of-thousands",
        "Tens of thousands of people living in the Gaza Strip have died in the war.",
        "tens of thousands of sector residents have died",
        ClaimKind.QUANTITY,
        (
            page(
                "article",
                hop("site", CITES, "According to Hamas's Ministry of Health"),
                hop("moh", PUBLISHES),
            ),
        ),
        status=ClaimStatus.RESEARCHING,
        question="gaza-dead",
        values=(
            count(
                "tens of thousands",
                20000,
                100000,
                "[)",
                ValueQualifier.VAGUE,
                as_of=ARTICLE_DATE,
                place="Gaza Strip",
            ),
        ),
        tags=("gaza", "death-toll"),
    ),
    ClaimSpec(
        "gaza-uninhabitable",
        "The destruction in the Gaza Strip has left it essentially uninhabitable, international observers say.",
        "so devastated that it is essentially uninhabitable",
        ClaimKind.STATUS,
        (page("article", hop("site", CITES_UNNAMED, "International observers have reported")),),
        tags=("gaza",),
    ),
    ClaimSpec(
        "previous-meeting-2019",
        "The Russian Foreign Ministry's previous inter-Palestinian meeting in Moscow was held in February 2019.",
        "took place in February 2019",
        ClaimKind.DATE_EVENT,
        (page("article", hop("site", PUBLISHES)),),
        status=ClaimStatus.TRIAGED,
        question="previous-meeting",
        values=(in_month("February 2019", 2019, 2),),
        tags=("moscow-meeting-2019",),
    ),
    ClaimSpec(
        "moscow-declaration-unsigned",
        "The 2019 Moscow meeting produced no joint declaration because Hamas and Islamic Jihad would not sign it.",
        "Hamas and Islamic Jihad refused to sign the document",
        ClaimKind.STATUS,
        (page("article", hop("site", PUBLISHES)),),
        tags=("moscow-meeting-2019",),
    ),
    ClaimSpec(
        "russia-no-terror-designation",
        "Russia does not designate Hamas or Islamic Jihad as terrorist organisations.",
        "Russian authorities do not recognize Hamas or Islamic Jihad as terrorist organizations",
        ClaimKind.STATUS,
        (page("article", hop("site", PUBLISHES)),),
        status=ClaimStatus.TRIAGED,
        tags=("russia-hamas",),
    ),
    ClaimSpec(
        "medvedev-met-hamas",
        "Dmitry Medvedev, a former Russian president, has held meetings with Hamas leaders.",
        "Former Russian President Dmitry Medvedev met with Hamas leaders",
        ClaimKind.STATUS,
        (page("article", hop("site", PUBLISHES)),),
        tags=("russia-hamas",),
    ),
    ClaimSpec(
        "putin-no-public-hamas-meetings",
        "Vladimir Putin does not meet Hamas representatives in public.",
        "refrains from publicly meeting with representatives of Hamas",
        ClaimKind.STATUS,
        (page("article", hop("site", PUBLISHES)),),
        tags=("russia-hamas",),
    ),
    ClaimSpec(
        "mashal-moscow-visits",
        "Khaled Mashal, for many years head of the Hamas politburo, went to Moscow in March 2006, February 2007 "
        "and February 2010.",
        "visited Moscow in March 2006, February 2007, and February 2010",
        ClaimKind.DATE_EVENT,
        (page("article", hop("site", PUBLISHES)),),
        status=ClaimStatus.RESEARCHING,
        question="mashal-visits",
        values=(
            in_month("March 2006", 2006, 3),
            in_month("February 2007", 2007, 2),
            in_month("February 2010", 2010, 2),
        ),
        tags=("russia-hamas",),
    ),
    ClaimSpec(
        "lavrov-met-mashal",
        "Sergey Lavrov held two meetings with Khaled Mashal in Damascus, in March 2008 and in May 2009.",
        "met with Mashal twice in Damascus",
        ClaimKind.DATE_EVENT,
        (page("article", hop("site", PUBLISHES)),),
        status=ClaimStatus.TRIAGED,
        question="lavrov-mashal",
        values=(in_month("March 2008", 2008, 3), in_month("May 2009", 2009, 5)),
        tags=("russia-hamas",),
    ),
    ClaimSpec(
        "lavrov-continuity",
        "Sergey Lavrov said he stood for 'continuity in relations' between Russia and Hamas.",
        "continuity in relations",
        ClaimKind.QUOTE,
        (page("article", hop("site", QUOTES, "stating that he advocated"), hop("lavrov", PUBLISHES)),),
        tags=("russia-hamas",),
        claim_date=None,
    ),
    ClaimSpec(
        "hamdan-visits",
        "Hamas official Osama Hamdan made repeated visits to Moscow between 2007 and 2011.",
        "repeatedly visited Moscow",
        ClaimKind.DATE_EVENT,
        (page("article", hop("site", PUBLISHES)),),
        question="hamdan-visits",
        values=(in_years("From 2007 to 2011", 2007, 2011),),
        tags=("russia-hamas",),
    ),
    ClaimSpec(
        "lavrov-respected-guests",
        "In January 2017 Sergey Lavrov addressed leaders of Fatah, Hamas and Islamic Jihad as 'respected guests' "
        "and 'dear friends'.",
        'Lavrov called representatives of the Fatah, Hamas, and Islamic Jihad leadership "respected guests"',
        ClaimKind.QUOTE,
        (page("article", hop("site", QUOTES, "Lavrov called"), hop("lavrov", PUBLISHES)),),
        status=ClaimStatus.TRIAGED,
        question="lavrov-guests",
        values=(in_month("January 2017", 2017, 1),),
        tags=("russia-hamas",),
        claim_date=None,
    ),
    ClaimSpec(
        "mfa-hosts-hamas",
        "Since 7 October 2023 the Russian Foreign Ministry has received Hamas delegations more than once.",
        "the Russian Foreign Ministry has repeatedly hosted Hamas delegations",
        ClaimKind.STATUS,
        (page("article", hop("site", PUBLISHES)),),
        status=ClaimStatus.TRIAGED,
        tags=("russia-hamas",),
    ),
    ClaimSpec(
        "russia-war-beneficiary",
        "Russia's government is among the main winners from the war in Israel, many analysts say.",
        "one of the main beneficiaries of the current war in Israel",
        ClaimKind.OTHER,
        (page("article", hop("site", CITES_UNNAMED, "Many analysts note")),),
        status=ClaimStatus.DISMISSED,  # An opinion: nothing to check.
        tags=("russia",),
    ),
)

# Detector suggestions the demo editor has looked at and confirmed (claim slugs, either order, and the kind).
CONFIRMED_RELATIONS = (("oct7-toll-nearly-thousand", "oct7-toll-over-thousand", "contradicts"),)

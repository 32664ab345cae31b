"""Hand-labelled checkable claims of the seed article (../shared/seed/moscow-meeting-article.txt), for measuring
claims.ingest's proposals.

Labelled by reading the article sentence by sentence: a sentence is a checkable claim when it states something a
record could confirm or refute (a figure, a date, an event, who did or said what, a status such as who leads a
delegation). Expectations, opinions and causal judgements are not ("it was anticipated that ...", "many analysts
note ... one of the main beneficiaries", "events ... divert attention"): they are listed in NOT_CHECKABLE.

Each label names its sentence by a fragment of it, the claim kind a desk would give it, the figures and dates in
it as written (what claims.values should find), and, where the phrasing says, the attribution chain from the page
outwards as (source, relation) pairs, PAGE standing for the article's publisher. The chains follow the readings of
the demo data (claims.demo.seed): the page quotes TASS's words and TASS cites Hamas; "According to Hamas's Ministry
of Health" is the page citing the ministry; TASS paraphrases Aiman Rakab, who spoke to it; the observers are
unnamed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

SEED_ARTICLE = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "moscow-meeting-article.txt"
SEED_PUBLISHED = dt.date(2024, 2, 29)
PAGE = "<publisher>"


@dataclass(frozen=True)
class Label:
    fragment: str  # words of the sentence, enough to identify it
    kind: str  # claims.models.ClaimKind
    expressions: tuple[str, ...] = ()  # figures and dates as written in the sentence
    hops: tuple[tuple[str, str], ...] | None = None  # (source, relation) from the page outwards; None: not labelled


def page_says(fragment: str, kind: str, *expressions: str) -> Label:
    """A claim in the article's own voice: the page publishes it."""
    return Label(fragment, kind, expressions, ((PAGE, "publishes"),))


TASS_QUOTED = ((PAGE, "quotes"), ("TASS", "publishes"))

LABELS: tuple[Label, ...] = (
    page_says(
        "Palestinian factions have begun a three-day meeting", "date_event", "Thursday, February 29", "three-day"
    ),
    page_says("Vitaly Naumkin, Director of the Institute of Oriental Studies, addressed", "status"),
    Label(
        "TASS, citing Hamas, reports",
        "quote",
        hops=((PAGE, "quotes"), ("TASS", "cites"), ("Hamas", "publishes")),
    ),
    page_says("resulting in dozens of casualties", "quantity", "dozens"),
    Label("The Russian side provided a platform", "status", hops=TASS_QUOTED),
    Label("Representatives from over ten organizations", "quantity", ("over ten",), TASS_QUOTED),
    Label(
        "According to Aiman Rakab",
        "quote",
        hops=((PAGE, "quotes"), ("TASS", "paraphrases"), ("Aiman Rakab", "publishes")),
    ),
    page_says("Hamas delegation at the talks in Moscow is led by", "status"),
    page_says("are seeking inclusion in the Palestine Liberation Organization", "status"),
    page_says("Fatah has laid out conditions", "status"),
    page_says("nearly a thousand Israeli citizens", "quantity", "nearly a thousand"),
    page_says("killing more than 12,000 terrorists", "quantity", "more than 12,000"),
    Label(
        "According to Hamas's Ministry of Health",
        "quantity",
        ("tens of thousands",),
        ((PAGE, "cites"), ("Hamas's Ministry of Health", "publishes")),
    ),
    Label("International observers have reported", "status", hops=((PAGE, "cites_unnamed"),)),
    page_says("Practically all Palestinian factions are involved", "status"),
    page_says('The previous "inter-Palestinian meeting,"', "date_event", "February 2019"),
    page_says("Hamas and Islamic Jihad refused to sign", "status"),
    page_says("Fatah had to apologize", "status"),
    page_says("do not recognize Hamas or Islamic Jihad", "status"),
    page_says("Moscow continues to maintain regular contacts", "status"),
    page_says("Dmitry Medvedev met with Hamas leaders", "status"),
    page_says("Vladimir Putin refrains from publicly meeting", "status"),
    page_says("visited Moscow in March", "date_event", "March 2006, February 2007, and February 2010"),
    # The meetings are the page's; "continuity in relations" is Lavrov's, quoted: two claims a desk would split.
    Label("Lavrov met with Mashal twice", "date_event", ("twice", "March 2008 and May 2009")),
    page_says("From 2007 to 2011", "date_event", "From 2007 to 2011"),
    Label(
        "Lavrov called representatives",
        "quote",
        ("January 2017",),
        ((PAGE, "quotes"), ("Lavrov", "publishes")),
    ),
    page_says(
        "killing over a thousand people and kidnapping hundreds",
        "quantity",
        "October 7",
        "over a thousand",
        "hundreds",
    ),
    page_says("Moscow takes credit for the release", "status"),
)

NOT_CHECKABLE: tuple[str, ...] = (
    "it was anticipated that",
    "Many analysts note",
    "not only divert attention",
)

# The figures and dates the issue names; LABELS hold them and two more ("twice", "October 7").
ISSUE_EXPRESSIONS = (
    "Thursday, February 29",
    "three-day",
    "over ten",
    "dozens",
    "nearly a thousand",
    "more than 12,000",
    "tens of thousands",
    "February 2019",
    "March 2006, February 2007, and February 2010",
    "March 2008 and May 2009",
    "From 2007 to 2011",
    "January 2017",
    "over a thousand",
    "hundreds",
)

"""Independent origins and circular reporting from attribution chains (claims.crossref.origins): pure, no database."""

from __future__ import annotations

from typing import Any

from claims.crossref.origins import chain_label, independent_origins

SITE, TASS, HAMAS, MINISTRY, AGENCY, BLOG = (
    {"id": 1, "name": "Middle East Monitor"},
    {"id": 2, "name": "TASS"},
    {"id": 3, "name": "Hamas"},
    {"id": 4, "name": "Ministry of Health"},
    {"id": 5, "name": "Agency"},
    {"id": 6, "name": "Blog"},
)


def chain(*hops: tuple[dict[str, Any], str], appearance: int | None = 100, title: str = "") -> dict[str, Any]:
    """A chain in the public shape: hops from the page outwards, each (source, relation)."""
    return {
        "appearance": None
        if appearance is None
        else {"id": appearance, "title": title or f"Page {appearance}", "url": f"https://example.org/{appearance}"},
        "hops": [{"position": i, "source": source, "relation": relation} for i, (source, relation) in enumerate(hops)],
        "origin": None,
    }


def ref(source: dict[str, Any]) -> dict[str, Any]:
    return {"id": source["id"], "name": source["name"]}


# Labels --------------------------------------------------------------------------------------------------------------


def test_a_chain_is_named_by_its_origin_via_its_relays_not_the_page():
    assert chain_label(chain((SITE, "quotes"), (TASS, "cites"), (HAMAS, "publishes"))) == "Hamas via TASS"
    assert chain_label(chain((SITE, "cites"), (HAMAS, "publishes"))) == "Hamas"
    assert chain_label(chain((SITE, "publishes"))) == "Middle East Monitor"
    # Relays are named from the origin towards the page.
    assert (
        chain_label(chain((SITE, "quotes"), (AGENCY, "cites"), (TASS, "cites"), (HAMAS, "publishes")))
        == "Hamas via TASS, Agency"
    )


def test_a_chain_ending_in_unnamed_sources_says_so():
    assert chain_label(chain((SITE, "cites_unnamed"))) == "unnamed sources cited by Middle East Monitor"
    assert (
        chain_label(chain((SITE, "quotes"), (AGENCY, "cites"), (TASS, "cites_unnamed")))
        == "unnamed sources cited by TASS via Agency"
    )


def test_an_empty_chain_is_unknown():
    assert chain_label(chain()) == "unknown"


# Counting origins ----------------------------------------------------------------------------------------------------


def test_one_chain_has_one_origin():
    report = independent_origins([chain((SITE, "quotes"), (TASS, "cites"), (HAMAS, "publishes"))])
    assert report == {
        "count": 1,
        "unnamed_chains": 0,
        "origins": [
            {
                "source": ref(HAMAS),
                "chains": [
                    {
                        "label": "Hamas via TASS",
                        "path": [ref(SITE), ref(TASS), ref(HAMAS)],
                        "appearance": {"id": 100, "title": "Page 100", "url": "https://example.org/100"},
                        "claim": None,
                    }
                ],
            }
        ],
        "circular": [],
    }


def test_tass_citing_hamas_on_two_pages_is_one_origin_with_two_chains():
    report = independent_origins(
        [
            chain((TASS, "cites"), (HAMAS, "publishes"), appearance=101),
            chain((SITE, "quotes"), (TASS, "cites"), (HAMAS, "publishes"), appearance=102),
        ]
    )
    assert report["count"] == 1
    (origin,) = report["origins"]
    assert origin["source"] == ref(HAMAS)
    assert [(c["label"], c["appearance"]["id"]) for c in origin["chains"]] == [("Hamas", 101), ("Hamas via TASS", 102)]
    assert report["circular"] == []


def test_ten_outlets_citing_one_ministry_count_as_one_origin():
    outlets = [{"id": 1000 + n, "name": f"Outlet {n}"} for n in range(10)]
    chains = [chain((outlet, "cites"), (MINISTRY, "publishes"), appearance=200 + n) for n, outlet in enumerate(outlets)]
    report = independent_origins(chains)
    assert report["count"] == 1
    assert report["origins"][0]["source"] == ref(MINISTRY)
    assert len(report["origins"][0]["chains"]) == 10
    assert report["unnamed_chains"] == 0


def test_two_origins_are_ordered_by_how_many_chains_lead_to_them():
    report = independent_origins(
        [
            chain((SITE, "cites"), (MINISTRY, "publishes"), appearance=1),
            chain((SITE, "quotes"), (TASS, "cites"), (HAMAS, "publishes"), appearance=2),
            chain((BLOG, "cites"), (HAMAS, "publishes"), appearance=3),
        ],
        claims=[11, 12, 13],
    )
    assert report["count"] == 2
    assert [o["source"]["name"] for o in report["origins"]] == ["Hamas", "Ministry of Health"]
    assert [c["claim"] for c in report["origins"][0]["chains"]] == [12, 13]
    assert [c["claim"] for c in report["origins"][1]["chains"]] == [11]


def test_origins_with_as_many_chains_are_ordered_by_name():
    report = independent_origins(
        [chain((SITE, "cites"), (MINISTRY, "publishes")), chain((SITE, "cites"), (HAMAS, "publishes"))]
    )
    assert [o["source"]["name"] for o in report["origins"]] == ["Hamas", "Ministry of Health"]


def test_chains_ending_in_unnamed_sources_are_counted_apart_not_as_origins():
    report = independent_origins(
        [
            chain((SITE, "cites_unnamed"), appearance=1),
            chain((SITE, "quotes"), (TASS, "cites_unnamed"), appearance=2),
            chain((BLOG, "cites"), (HAMAS, "publishes"), appearance=3),
        ]
    )
    assert report["count"] == 1
    assert report["unnamed_chains"] == 2
    assert [o["source"] for o in report["origins"]] == [ref(HAMAS)]


def test_only_unnamed_sources_make_no_origin():
    report = independent_origins([chain((SITE, "cites_unnamed")), chain((TASS, "cites_unnamed"))])
    assert (report["count"], report["unnamed_chains"], report["origins"]) == (0, 2, [])


def test_nothing_known_makes_an_empty_report():
    assert independent_origins([]) == {"count": 0, "unnamed_chains": 0, "origins": [], "circular": []}
    assert independent_origins([chain()])["count"] == 0


def test_a_chain_without_a_document_has_no_appearance():
    report = independent_origins([chain((SITE, "cites"), (HAMAS, "publishes"), appearance=None)])
    assert report["origins"][0]["chains"][0]["appearance"] is None


# Circular reporting --------------------------------------------------------------------------------------------------


def test_a_source_met_twice_in_one_chain_is_circular():
    # A cites B cites A: chain_errors lets this shape into the database (every hop before the last relays).
    report = independent_origins(
        [chain((SITE, "quotes"), (TASS, "cites"), (HAMAS, "cites"), (TASS, "publishes"), title="The report")]
    )
    (circular,) = report["circular"]
    assert circular["sources"] == [ref(TASS), ref(HAMAS)]
    assert circular["explanation"] == (
        "TASS cites Hamas cites TASS: the chain on The report leads back to a source it passed through."
    )
    # The chain still ends with someone who says it first-hand, as the chain claims.
    assert report["count"] == 1


def test_a_circle_across_chains_is_circular():
    # TASS says it took the figure from Hamas; elsewhere Hamas is said to take it from TASS.
    report = independent_origins(
        [
            chain((SITE, "quotes"), (TASS, "cites"), (HAMAS, "publishes"), appearance=1),
            chain((BLOG, "quotes"), (HAMAS, "cites"), (TASS, "publishes"), appearance=2),
        ]
    )
    (circular,) = report["circular"]
    assert {source["id"] for source in circular["sources"]} == {TASS["id"], HAMAS["id"]}
    assert circular["explanation"] in (
        "TASS cites Hamas cites TASS: the chains together lead in a circle, so none of them reaches a first-hand "
        "source there.",
        "Hamas cites TASS cites Hamas: the chains together lead in a circle, so none of them reaches a first-hand "
        "source there.",
    )
    assert report["count"] == 2


def test_a_longer_circle_across_three_chains_is_found_once():
    report = independent_origins(
        [
            chain((TASS, "cites"), (HAMAS, "publishes"), appearance=1),
            chain((HAMAS, "cites"), (AGENCY, "publishes"), appearance=2),
            chain((AGENCY, "cites"), (TASS, "publishes"), appearance=3),
        ]
    )
    (circular,) = report["circular"]
    assert {source["id"] for source in circular["sources"]} == {TASS["id"], HAMAS["id"], AGENCY["id"]}
    assert "cites" in circular["explanation"]


def test_a_circle_inside_one_chain_is_not_reported_again_as_a_circle_across_chains():
    report = independent_origins([chain((SITE, "quotes"), (TASS, "cites"), (HAMAS, "cites"), (TASS, "publishes"))])
    assert len(report["circular"]) == 1


def test_many_outlets_relaying_one_origin_is_not_circular():
    report = independent_origins(
        [
            chain((SITE, "quotes"), (TASS, "cites"), (HAMAS, "publishes"), appearance=1),
            chain((BLOG, "quotes"), (TASS, "cites"), (HAMAS, "publishes"), appearance=2),
            chain((TASS, "cites"), (HAMAS, "publishes"), appearance=3),
            chain((HAMAS, "publishes"), appearance=4),
        ]
    )
    assert report["circular"] == []
    assert report["count"] == 1

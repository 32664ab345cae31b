"""Independent origins of a claim or a question's answers, from their attribution chains (no database).

Works on chains in the public shape (claims.api.public.ChainSerializer: `appearance`, `hops` from the page outwards
with `source` {id, name, ...} and `relation`), so the desk's live rows and the snapshot readers are shown go through
the same rules:

- The origin of a chain is the source of its last hop when that hop `publishes`; a chain ending in `cites_unnamed`
  has no known origin and is counted apart (two unnamed sources may be one, or not: nobody can tell).
- Independent origins are the distinct origin sources. Ten outlets citing one ministry are ten chains and one origin.
- Circular reporting: a source that appears twice in one chain (A cites B cites A), or a cycle in the "takes it
  from" graph of all chains together (A cites B in one chain, B cites A in another). A cycle means the figure's
  trail leads back to a relay, not to anybody who said it first-hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any

RELAYING = frozenset({"quotes", "paraphrases", "cites"})

Chain = Mapping[str, Any]


def _ref(source: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": source["id"], "name": source["name"]}


def chain_label(chain: Chain) -> str:
    """How an editor names a chain in one line: "Hamas via TASS", or the page's own source when it says it itself."""
    hops = chain["hops"]
    if not hops:
        return "unknown"
    last = hops[-1]
    # Hop 0 is the page itself; the hops between it and the last are the relays.
    relays = [hop["source"]["name"] for hop in hops[1:-1]]
    if last["relation"] == "publishes":
        head = last["source"]["name"]
    else:
        head = f"unnamed sources cited by {last['source']['name']}"
    return f"{head} via {', '.join(reversed(relays))}" if relays else head


def _path(chain: Chain) -> list[dict[str, Any]]:
    return [_ref(hop["source"]) for hop in chain["hops"]]


def _cycles(edges: Mapping[int, set[int]]) -> list[list[int]]:
    """Each elementary cycle found by a depth-first search (one per back edge), as a list of node ids in order."""
    found: list[list[int]] = []
    seen_cycles: set[frozenset[int]] = set()
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    for start in sorted(edges):
        if start in state:
            continue
        stack: list[tuple[int, Iterable[int]]] = [(start, iter(sorted(edges.get(start, ()))))]
        path = [start]
        state[start] = 1
        while stack:
            node, successors = stack[-1]
            for nxt in successors:
                if state.get(nxt) == 1:
                    cycle = path[path.index(nxt) :]
                    if frozenset(cycle) not in seen_cycles:
                        seen_cycles.add(frozenset(cycle))
                        found.append(cycle)
                elif nxt not in state:
                    state[nxt] = 1
                    path.append(nxt)
                    stack.append((nxt, iter(sorted(edges.get(nxt, ())))))
                    break
            else:
                state[node] = 2
                path.pop()
                stack.pop()
    return found


def independent_origins(chains: Sequence[Chain], claims: Sequence[Any] | None = None) -> dict[str, Any]:
    """The origins report for `chains`; `claims`, when given, is the claim id of each chain (for a question).

    Returns {"count", "unnamed_chains", "origins": [{"source", "chains": [{"label", "path", "appearance", "claim"}]}],
    "circular": [{"sources", "explanation"}]}, origins ordered by how many chains lead to them.
    """
    by_origin: dict[int, dict[str, Any]] = {}
    unnamed = 0
    names: dict[int, str] = {}
    edges: dict[int, set[int]] = {}
    circular: list[dict[str, Any]] = []
    for index, chain in enumerate(chains):
        hops = chain["hops"]
        if not hops:
            continue
        for hop in hops:
            names[hop["source"]["id"]] = hop["source"]["name"]
        ids = [hop["source"]["id"] for hop in hops]
        # Relaying hops point from who passed it on to whom they took it from.
        for hop, nxt in pairwise(hops):
            if hop["relation"] in RELAYING and hop["source"]["id"] != nxt["source"]["id"]:
                edges.setdefault(hop["source"]["id"], set()).add(nxt["source"]["id"])
        repeated = [source for position, source in enumerate(ids) if source in ids[:position]]
        if repeated:
            loop = ids[ids.index(repeated[0]) : ids.index(repeated[0], ids.index(repeated[0]) + 1) + 1]
            circular.append(
                {
                    "sources": [{"id": source, "name": names[source]} for source in dict.fromkeys(loop)],
                    "explanation": " cites ".join(names[source] for source in loop)
                    + f": the chain on {_appearance_name(chain)} leads back to a source it passed through.",
                }
            )
        entry = {
            "label": chain_label(chain),
            "path": _path(chain),
            "appearance": _appearance_ref(chain),
            "claim": claims[index] if claims is not None else None,
        }
        last = hops[-1]
        if last["relation"] != "publishes":
            unnamed += 1
            continue
        origin = by_origin.setdefault(last["source"]["id"], {"source": _ref(last["source"]), "chains": []})
        origin["chains"].append(entry)
    already = {frozenset(source["id"] for source in item["sources"]) for item in circular}
    for cycle in _cycles(edges):
        if frozenset(cycle) in already:
            continue
        loop = [*cycle, cycle[0]]
        circular.append(
            {
                "sources": [{"id": source, "name": names[source]} for source in cycle],
                "explanation": " cites ".join(names[source] for source in loop)
                + ": the chains together lead in a circle, so none of them reaches a first-hand source there.",
            }
        )
    origins = sorted(by_origin.values(), key=lambda item: (-len(item["chains"]), item["source"]["name"]))
    return {"count": len(origins), "unnamed_chains": unnamed, "origins": origins, "circular": circular}


def _appearance_ref(chain: Chain) -> dict[str, Any] | None:
    appearance = chain.get("appearance")
    if not appearance:
        return None
    return {"id": appearance["id"], "title": appearance.get("title", ""), "url": appearance.get("url", "")}


def _appearance_name(chain: Chain) -> str:
    appearance = chain.get("appearance")
    if not appearance:
        return "no known document"
    return appearance.get("title") or appearance.get("url") or f"appearance {appearance['id']}"

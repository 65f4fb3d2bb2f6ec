"""The global choice among scored candidate pairs: a maximum-weight assignment per
connected component (exact on small ones, greedy past `exact_assignment_max_side`), a
pair kept only when no rival comes within the ambiguity margin."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from shared.matching.assignment import max_weight_assignment
from shared.matching.policy import MatchingPolicy
from shared.matching.scoring import Edge

_SCALE = 1_000_000  # scores become integers for the assignment, so ties are exact


def assign(
    doc_edges: dict[int, list[Edge]],
    p: MatchingPolicy,
    tx_ids: Sequence[str],
    doc_ids: Sequence[str],
) -> tuple[dict[int, Edge], dict[int, str]]:
    """Global assignment with the ambiguity test.

    Returns (document -> chosen edge, document -> why it was refused). A chosen
    edge may still be below `min_score`; the caller checks.
    """
    margin = int(round(p.ambiguity_margin * _SCALE))
    # Union-find over documents and transactions (transactions keyed as ~tx).
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for d, edges in doc_edges.items():
        for e in edges:
            a, b = find(d), find(~e.tx)
            if a != b:
                parent[a] = b
    components: dict[int, list[int]] = defaultdict(list)
    for d in doc_edges:
        components[find(d)].append(d)

    chosen: dict[int, Edge] = {}
    refused: dict[int, str] = {}
    for docs in components.values():
        if len(docs) == 1:
            d = docs[0]
            edges = doc_edges[d]
            first = edges[0]
            if len(edges) > 1 and _units(first.score) - _units(edges[1].score) < margin:
                close = [e for e in edges if _units(first.score) - _units(e.score) < margin]
                refused[d] = _ambiguous_text(close, p, tx_ids)
                chosen_none = True
            else:
                chosen_none = False
            if not chosen_none:
                chosen[d] = first
            continue
        txs = sorted({e.tx for d in docs for e in doc_edges[d]})
        if max(len(docs), len(txs)) <= p.exact_assignment_max_side:
            _assign_exact(docs, txs, doc_edges, margin, p, chosen, refused, tx_ids, doc_ids)
        else:
            _assign_greedy(docs, doc_edges, margin, p, chosen, refused, tx_ids)
    return chosen, refused


def _units(score: float) -> int:
    return int(round(score * _SCALE))


def _ambiguous_text(close: list[Edge], p: MatchingPolicy, tx_ids: Sequence[str]) -> str:
    listed = ", ".join(f"{tx_ids[e.tx]} {e.score:.2f}" for e in close[:4])
    return f"ambiguous: {len(close)} candidates within {p.ambiguity_margin} ({listed})"


def _assign_exact(
    docs: list[int],
    txs: list[int],
    doc_edges: dict[int, list[Edge]],
    margin: int,
    p: MatchingPolicy,
    chosen: dict[int, Edge],
    refused: dict[int, str],
    tx_ids: Sequence[str],
    doc_ids: Sequence[str],
) -> None:
    col = {t: j for j, t in enumerate(txs)}
    weights = [[0] * len(txs) for _ in docs]
    by_pair: dict[tuple[int, int], Edge] = {}
    for r, d in enumerate(docs):
        for e in doc_edges[d]:
            weights[r][col[e.tx]] = _units(e.score)
            by_pair[(r, col[e.tx])] = e
    total, rows = max_weight_assignment(weights)
    for r, c in enumerate(rows):
        d = docs[r]
        if c < 0:
            winners = [
                f"{tx_ids[txs[c2]]} by {doc_ids[docs[r2]]}"
                for r2, c2 in enumerate(rows)
                if c2 >= 0 and weights[r][c2] > 0
            ]
            refused[d] = "its candidate transactions are better matched by other documents: " + (
                ", ".join(winners[:3])
            )
            continue
        saved = weights[r][c]
        weights[r][c] = 0
        alt_total, alt_rows = max_weight_assignment(weights)
        weights[r][c] = saved
        edge = by_pair[(r, c)]
        if total - alt_total < margin:
            own = [e for e in doc_edges[d] if _units(edge.score) - _units(e.score) < margin]
            if len(own) > 1:
                refused[d] = _ambiguous_text(own, p, tx_ids)
            else:
                rival = next((docs[r2] for r2, c2 in enumerate(alt_rows) if c2 == c), None)
                refused[d] = f"ambiguous: another assignment within {p.ambiguity_margin}" + (
                    f" gives transaction {tx_ids[txs[c]]} to document {doc_ids[rival]}"
                    if rival is not None
                    else ""
                )
            continue
        chosen[d] = edge


# Rival documents of a transaction counted at most: past that, the message says so and
# the work per document stays bounded (one transaction fitting thousands of documents).
_RIVALS_COUNTED = 10


def _tx_rivals(
    fits: list[tuple[float, int]],
    first_open: dict[int, int],
    tx: int,
    d: int,
    done: set[int],
    units: int,
    margin: int,
) -> list[int]:
    """Documents other than `d`, not done, that `tx` fits within `margin` of `units`
    (`fits` is in descending score order), at most `_RIVALS_COUNTED` + 1."""
    start = first_open.get(tx, 0)
    while start < len(fits) and fits[start][1] in done:
        start += 1  # done documents never come back: skipped once for all
    first_open[tx] = start
    rivals: list[int] = []
    for s2, d2 in fits[start:]:
        if units - _units(s2) >= margin:
            break  # lower scores only from here
        if d2 != d and d2 not in done:
            rivals.append(d2)
            if len(rivals) > _RIVALS_COUNTED:
                break
    return rivals


def _assign_greedy(
    docs: list[int],
    doc_edges: dict[int, list[Edge]],
    margin: int,
    p: MatchingPolicy,
    chosen: dict[int, Edge],
    refused: dict[int, str],
    tx_ids: Sequence[str],
) -> None:
    # Large components only (e.g. hundreds of identical small amounts): best score
    # first; a pair is refused when its document or its transaction has a runner-up
    # within the margin, which is stricter than the exact test.
    pairs = sorted(
        ((e.score, d, e) for d in docs for e in doc_edges[d]), key=lambda x: (-x[0], x[1], x[2].tx)
    )
    by_tx: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for score, d, e in pairs:
        by_tx[e.tx].append((score, d))
    taken_tx: set[int] = set()
    done: set[int] = set()
    first_open: dict[int, int] = {}  # per transaction, where its documents not done start
    for score, d, e in pairs:
        if d in done or e.tx in taken_tx:
            continue
        rivals_doc = [
            x
            for x in doc_edges[d]
            if x is not e and x.tx not in taken_tx and _units(score) - _units(x.score) < margin
        ]
        rivals_tx = _tx_rivals(by_tx[e.tx], first_open, e.tx, d, done, _units(score), margin)
        done.add(d)
        if rivals_doc or rivals_tx:
            refused[d] = (
                _ambiguous_text([e, *rivals_doc], p, tx_ids)
                if rivals_doc
                else (
                    f"ambiguous: transaction fits {len(rivals_tx) + 1} documents within "
                    f"{p.ambiguity_margin}"
                    if len(rivals_tx) <= _RIVALS_COUNTED
                    else f"ambiguous: transaction fits more than {_RIVALS_COUNTED + 1} "
                    f"documents within {p.ambiguity_margin}"
                )
            )
            continue
        chosen[d] = e
        taken_tx.add(e.tx)

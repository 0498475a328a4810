"""Exact shortest pick tour: Ratliff & Rosenthal's dynamic programme, for any number of blocks.

The tour is built as a multigraph on the aisle network: cross-aisle intersections plus pick
spots. Columns (aisles, and the depot if it is not in front of an aisle) are added left to
right. Between columns we keep, for each cross aisle's vertex in the current column (the
"frontier"), its degree class (zero / odd / even) and which frontier vertices share a
component. With only a front and back cross aisle this is exactly Ratliff & Rosenthal's
(1983) set of equivalence classes -- (U,U,1C), (E,E,1C), (E,0,1C), (0,E,1C), (E,E,2C),
(0,0,0C), (0,0,1C) -- and the work is linear in the number of aisles. Middle cross aisles
just widen the frontier (Roodbergen & de Koster (2001) worked out the classes by hand for
one middle cross aisle; here the transitions are derived mechanically). The state count
grows quickly with the number of cross aisles, so callers cap it.

Edges are added one group at a time: first, cross aisle by cross aisle, 0/1/2 copies of the
edge from the previous column (after which the previous column's vertex is final: its degree
must be even, and its component must still reach the frontier or the tour is finished);
then, block by block, one of the six ways to cover a sub-aisle (RR's "vertical" options).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.core.routing.layout import Layout, Pick

ZERO, ODD, EVEN = 0, 1, 2
_INF = float("inf")

# A state: (degree classes, component labels, done). Labels are 0 for degree-0 vertices and
# 1, 2, ... in order of first appearance otherwise; "done" means a component has been closed
# off, which is only allowed if it is the whole tour.
State = tuple[tuple[int, ...], tuple[int, ...], bool]


def _with_edges(cls: int, copies: int) -> int:
    if copies == 0:
        return cls
    if cls == ZERO:
        return ODD if copies == 1 else EVEN
    return cls if copies == 2 else (EVEN if cls == ODD else ODD)


def _canonical(labels: Sequence[int]) -> tuple[int, ...]:
    mapping = {0: 0}
    return tuple(mapping.setdefault(label, len(mapping)) for label in labels)


@dataclass
class _Column:
    x: float
    is_aisle: bool
    required: list[bool]  # per cross aisle: a pick (or the depot) sits on this vertex
    block_ys: list[list[float]]  # per block: sorted distinct pick ys strictly inside it


@dataclass(frozen=True)
class _Option:
    """One way to cover a sub-aisle: cost, edge copies added at its lower/upper end,
    whether it joins the two ends, and the chains of edges it walks (for the Euler tour)."""

    cost: float
    lower: int
    upper: int
    joins: bool
    chains: tuple[tuple[tuple[float, ...], int], ...] = field(default=())


def _subaisle_options(y0: float, y1: float, ys: list[float], is_aisle: bool) -> list[_Option]:
    if not is_aisle:
        return [_Option(0.0, 0, 0, False)]
    whole = (y0, *ys, y1)
    options = [] if ys else [_Option(0.0, 0, 0, False)]
    options.append(_Option(y1 - y0, 1, 1, True, ((whole, 1),)))
    options.append(_Option(2 * (y1 - y0), 2, 2, True, ((whole, 2),)))
    if ys:
        options.append(_Option(2 * (y1 - ys[0]), 0, 2, False, (((*ys, y1), 2),)))
        options.append(_Option(2 * (ys[-1] - y0), 2, 0, False, (((y0, *ys), 2),)))
    if len(ys) >= 2:  # in from both ends, leaving the largest gap between picks unwalked
        g = max(range(len(ys) - 1), key=lambda i: ys[i + 1] - ys[i])
        cost = 2 * ((ys[g] - y0) + (y1 - ys[g + 1]))
        options.append(_Option(cost, 2, 2, False, (((y0, *ys[: g + 1]), 2), ((*ys[g + 1 :], y1), 2))))
    return options


def _columns(layout: Layout, picks: Sequence[Pick]) -> list[_Column]:
    """The columns between the outermost ones holding a pick or the depot. Walking further
    out never helps: every vertical walk out there can be moved onto the outermost aisle
    with a pick, and the cross-aisle walking saved pays for reaching an outlying depot."""
    ys = layout.cross_ys
    cols: dict[float, _Column] = {
        x: _Column(x, True, [False] * len(ys), [[] for _ in ys[1:]])
        for x in layout.aisle_xs
    }
    depot_x = layout.depot.x
    if depot_x not in cols:
        cols[depot_x] = _Column(depot_x, False, [False] * len(ys), [[] for _ in ys[1:]])
    cols[depot_x].required[0] = True
    for aisle, y in picks:
        col = cols[layout.aisle_xs[aisle]]
        if y in ys:
            col.required[ys.index(y)] = True
        else:
            col.block_ys[layout.block_of(y)].append(y)
    for col in cols.values():
        col.block_ys = [sorted(set(b)) for b in col.block_ys]
    ordered = sorted(cols.values(), key=lambda c: c.x)
    needed = [i for i, c in enumerate(ordered) if any(c.required) or any(c.block_ys)]
    return ordered[needed[0] : needed[-1] + 1]


def _horizontal(states, slot, length, required_before):
    """Add 0/1/2 copies of the cross-aisle edge into ``slot`` and retire the old vertex."""
    out: dict[int, tuple[float, int, int]] = {}
    out_get = out.get
    table = _table(("h", slot, required_before))
    table_get = table.get
    for sid, (cost, _, _) in states.items():
        moves = table_get(sid)
        if moves is None:
            moves = table[sid] = tuple(
                (copies, copies * 1.0, _intern(key))
                for copies, key in _horizontal_moves(_STATES[sid], slot, required_before))
        for copies, factor, key in moves:
            total = cost + factor * length
            known = out_get(key)
            if known is None or total < known[0]:
                out[key] = (total, sid, copies)
    return out


def _vertical(states, block, options):
    """Cover the sub-aisle between frontier slots ``block`` and ``block + 1``."""
    out: dict[int, tuple[float, int, int]] = {}
    out_get = out.get
    tables = [(choice, _table(("v", block, o.lower, o.upper, o.joins)), o.cost)
              for choice, o in enumerate(options)]
    for sid, (cost, _, _) in states.items():
        for choice, table, step in tables:
            key = table.get(sid)
            if key is None:
                opt = options[choice]
                move = _vertical_move(_STATES[sid], block, opt.lower, opt.upper, opt.joins)
                key = table[sid] = -1 if move is None else _intern(move)
            if key < 0:
                continue
            total = cost + step
            known = out_get(key)
            if known is None or total < known[0]:
                out[key] = (total, sid, choice)
    return out


# The same few states recur in every column and every route: they are numbered once, and
# each kind of step keeps a table from state number to the numbers it leads to.
_STATES: list[State] = []
_NUMBERS: dict[State, int] = {}
_TABLES: dict[tuple, dict[int, object]] = {}
_LOCK = threading.Lock()


def _intern(state: State) -> int:
    number = _NUMBERS.get(state)
    if number is None:
        with _LOCK:
            number = _NUMBERS.get(state)
            if number is None:
                number = _NUMBERS[state] = len(_STATES)
                _STATES.append(state)
    return number


def _table(kind: tuple) -> dict:
    table = _TABLES.get(kind)
    if table is None:
        table = _TABLES.setdefault(kind, {})
    return table


def _horizontal_moves(state: State, slot: int, required_before: bool):
    moves = []
    classes, labels, done = state
    old_cls, old_label = classes[slot], labels[slot]
    for copies in (0, 1, 2) if not done else (0,):
        retired = _with_edges(old_cls, copies)
        if retired == ODD or (required_before and retired == ZERO):
            continue  # a finished vertex needs even degree; a required one needs a visit
        new_classes = list(classes)
        new_labels = list(labels)
        new_classes[slot] = _with_edges(ZERO, copies)
        if copies:
            new_labels[slot] = old_label or len(labels) + 1  # a fresh label
        else:
            new_labels[slot] = 0
        new_done = done
        if old_label and old_label not in new_labels:  # its component is cut off
            if any(new_classes):
                continue  # another component could never join it
            new_done = True
        moves.append((copies, (tuple(new_classes), _canonical(new_labels), new_done)))
    return tuple(moves)


def _vertical_move(state: State, block: int, lower: int, upper: int, joins: bool):
    classes, labels, done = state
    if done and (lower or upper):
        return None  # the tour is already closed
    lo, hi = block, block + 1
    new_classes = list(classes)
    new_labels = list(labels)
    new_classes[lo] = _with_edges(classes[lo], lower)
    new_classes[hi] = _with_edges(classes[hi], upper)
    if lower and not labels[lo]:
        new_labels[lo] = len(labels) + 1
    if upper and not labels[hi]:
        new_labels[hi] = len(labels) + 2
    if joins:
        keep, drop = new_labels[lo], new_labels[hi]
        new_labels = [keep if label == drop else label for label in new_labels]
    return (tuple(new_classes), _canonical(new_labels), done)


def _is_final(state: State, required: list[bool]) -> bool:
    classes, labels, done = state
    if any(c == ODD for c in classes) or any(r and c == ZERO for r, c in zip(required, classes)):
        return False
    present = {label for label in labels if label}
    return (done and not present) or (not done and len(present) == 1)


@dataclass(frozen=True)
class ExactTour:
    order: tuple[int, ...]  # indices into the picks, in walking order
    length: float  # the optimum found by the DP (the tour subgraph's length)


def exact_tour(layout: Layout, picks: Sequence[Pick]) -> ExactTour:
    """Optimal closed tour from the depot through every pick."""
    if all((layout.aisle_xs[a], y) == tuple(layout.depot) for a, y in picks):
        return ExactTour(tuple(range(len(picks))), 0.0)
    ys = layout.cross_ys
    columns = _columns(layout, picks)
    steps, layers = _run(columns, ys)
    states = layers[-1]
    finals = [s for s in states if _is_final(_STATES[s], columns[-1].required)]
    if not finals:
        raise RuntimeError("internal: the routing programme found no feasible tour")
    best = min(finals, key=lambda s: states[s][0])
    edges = _chosen_edges(steps, layers, best, ys)
    depot_col = next(j for j, c in enumerate(columns) if c.x == layout.depot.x)
    circuit = _euler_circuit(edges, ("c", depot_col, 0))
    return ExactTour(_picks_in_walk_order(layout, picks, columns, circuit), states[best][0])


def _run(columns: list[_Column], ys: tuple[float, ...]):
    """The programme itself: one layer of {state: (cost, previous state, choice)} per step."""
    width = len(ys)
    start = _intern(((ZERO,) * width, (0,) * width, False))
    states: dict[int, tuple[float, int, int]] = {start: (0.0, start, 0)}
    steps: list[tuple[str, int, int, list[_Option] | None]] = []  # kind, column, slot, options
    layers = []
    for j, col in enumerate(columns):
        if j:
            prev = columns[j - 1]
            for slot in range(width):
                states = _horizontal(states, slot, col.x - prev.x, prev.required[slot])
                steps.append(("h", j, slot, None))
                layers.append(states)
        for block in range(width - 1):
            options = _subaisle_options(ys[block], ys[block + 1], col.block_ys[block], col.is_aisle)
            states = _vertical(states, block, options)
            steps.append(("v", j, block, options))
            layers.append(states)
    return steps, layers


def _chosen_edges(steps, layers, final: State, ys) -> list[tuple[tuple, tuple, int]]:
    """Follow the back-pointers from the final state; return (u, v, copies) edges."""
    edges: list[tuple[tuple, tuple, int]] = []
    state = final
    for (kind, j, k, options), layer in zip(reversed(steps), reversed(layers)):
        _, state_before, choice = layer[state]
        if kind == "h" and choice:
            edges.append((("c", j - 1, k), ("c", j, k), choice))
        elif kind == "v":
            for chain, copies in options[choice].chains:
                nodes = [_vertex(j, k, y, ys) for y in chain]
                edges.extend((u, v, copies) for u, v in zip(nodes, nodes[1:]))
        state = state_before
    return edges


def _vertex(column: int, block: int, y: float, ys: tuple[float, ...]) -> tuple:
    if y == ys[block]:
        return ("c", column, block)
    if y == ys[block + 1]:
        return ("c", column, block + 1)
    return ("p", column, y)


def _euler_circuit(edges, start) -> list[tuple]:
    """Hierholzer's algorithm on the multigraph (every degree is even by construction)."""
    adjacency: dict[tuple, list[tuple[tuple, int]]] = {start: []}
    edge_id = 0
    for u, v, copies in edges:
        for _ in range(copies):
            adjacency.setdefault(u, []).append((v, edge_id))
            adjacency.setdefault(v, []).append((u, edge_id))
            edge_id += 1
    used = [False] * edge_id
    stack, circuit = [start], []
    while stack:
        here = stack[-1]
        out = adjacency[here]
        while out and used[out[-1][1]]:
            out.pop()
        if out:
            there, eid = out.pop()
            used[eid] = True
            stack.append(there)
        else:
            circuit.append(stack.pop())
    if not all(used):
        raise RuntimeError("internal: the tour subgraph is not connected")
    return circuit[::-1]


def _picks_in_walk_order(layout, picks, columns, circuit) -> tuple[int, ...]:
    column_of_x = {c.x: j for j, c in enumerate(columns)}
    ys = layout.cross_ys
    waiting: dict[tuple, list[int]] = {}
    for i, (aisle, y) in enumerate(picks):
        j = column_of_x[layout.aisle_xs[aisle]]
        vertex = ("c", j, ys.index(y)) if y in ys else ("p", j, y)
        waiting.setdefault(vertex, []).append(i)
    order: list[int] = []
    for vertex in circuit:
        order.extend(waiting.pop(vertex, ()))
    if waiting:
        raise RuntimeError("internal: the tour misses some picks")
    return tuple(order)

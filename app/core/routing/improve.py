"""The distance matrix of a pick list, and local search on a pick sequence (2-opt, or-opt).

Used where the exact programme would be too slow (many cross aisles): the matrix feeds LKH,
and local search polishes whichever start is best. Node 0 of the matrix is the depot, node
i + 1 is pick i; the tour is closed through the depot.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.routing.layout import Layout, Pick, _exits, distance

_EPS = 1e-9


def distance_matrix(layout: Layout, picks: Sequence[Pick]) -> list[list[float]]:
    """Shortest walking distances between the depot and every pick (``distance`` in bulk).

    Between two picks (both on aisles) an aisle always lies between the cross-aisle exits,
    so the closed form loses its detour term; only pairs with the depot take the general way.
    """
    ys = layout.cross_ys
    points = [layout.point(p) for p in picks]
    exits = [_exits(layout, p) for p in points]
    n = len(points) + 1
    matrix = [[0.0] * n for _ in range(n)]
    for j, q in enumerate(points, start=1):
        matrix[0][j] = matrix[j][0] = distance(layout, layout.depot, q)
    for i, p in enumerate(points):
        row, exits_p = matrix[i + 1], exits[i]
        for j in range(i + 1, len(points)):
            q = points[j]
            if p.x == q.x:
                d = abs(p.y - q.y)
            elif p.y == q.y and p.y in ys:
                d = abs(p.x - q.x)
            else:
                dx = abs(p.x - q.x)
                d = min(cp + cq + abs(yp - yq)
                        for _, yp, cp in exits_p for _, yq, cq in exits[j]) + dx
            row[j + 1] = matrix[j + 1][i + 1] = d
    return matrix


def tour_cost(matrix: list[list[float]], order: Sequence[int]) -> float:
    nodes = [0, *(i + 1 for i in order), 0]
    return sum(matrix[a][b] for a, b in zip(nodes, nodes[1:]))


def improve_order(matrix: list[list[float]], order: Sequence[int]) -> list[int]:
    """Apply improving 2-opt and or-opt moves until neither finds one."""
    tour = [0, *(i + 1 for i in order)]
    improved = True
    while improved:
        improved = _two_opt(matrix, tour)
        improved = _or_opt(matrix, tour) or improved
    return [node - 1 for node in tour[1:]]


def _two_opt(d: list[list[float]], tour: list[int]) -> bool:
    """Reverse tour[i+1 .. j] when that shortens the tour (distances are symmetric)."""
    n = len(tour)
    any_change = False
    changed = True
    while changed:
        changed = False
        for i in range(n - 2):
            a, b = tour[i], tour[i + 1]
            d_ab = d[a][b]
            for j in range(i + 2, n):
                c, e = tour[j], tour[(j + 1) % n]
                if d[a][c] + d[b][e] < d_ab + d[c][e] - _EPS:
                    tour[i + 1 : j + 1] = tour[i + 1 : j + 1][::-1]
                    changed = any_change = True
                    b = tour[i + 1]
                    d_ab = d[a][b]
    return any_change


def _or_opt(d: list[list[float]], tour: list[int]) -> bool:
    """Move a run of 1-3 picks (either way round) to a better place in the tour."""
    n = len(tour)
    for size in (1, 2, 3):
        for start in range(1, n - size + 1):  # never move the depot (position 0)
            end = start + size - 1
            prev, nxt = tour[start - 1], tour[(end + 1) % n]
            first, last = tour[start], tour[end]
            gain = d[prev][first] + d[last][nxt] - d[prev][nxt]
            rest = tour[:start] + tour[end + 1 :]
            segment = tour[start : end + 1]
            for k in range(len(rest)):
                u, v = rest[k], rest[(k + 1) % len(rest)]
                if k == start - 1:
                    continue  # that is where it came from
                forward = d[u][first] + d[last][v]
                backward = d[u][last] + d[first][v]
                best = min(forward, backward)
                if best < d[u][v] + gain - _EPS:
                    piece = segment if forward <= backward else segment[::-1]
                    tour[:] = rest[: k + 1] + piece + rest[k + 1 :]
                    return True
    return False

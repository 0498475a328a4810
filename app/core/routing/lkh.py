"""Tours on layouts the exact programme cannot afford: LKH-3 (through ``elkai``) on the
matrix of exact shortest walking distances.

LKH (Helsgaun's Lin-Kernighan-Helsgaun heuristic) finds the optimum of small and medium
symmetric TSPs in nearly every case; it proves nothing, so the router still compares its
tour with the classic policies (polishing one that wins with 2-opt and or-opt). LKH works in
integers: distances are scaled so that the longest is a million and rounded (whatever the
unit, far finer than a step), and the tour is measured again in the original distances.
"""

from __future__ import annotations

import elkai

_SCALED_LONGEST = 1_000_000  # LKH multiplies by its PRECISION (100); stays well in int32


def lkh_order(matrix: list[list[float]]) -> list[int]:
    """Pick indices (matrix node i + 1 is pick i) in LKH's tour order, from the depot."""
    picks = len(matrix) - 1
    biggest = max((max(row) for row in matrix), default=0.0)
    if picks <= 2 or biggest <= 0:
        return list(range(picks))  # with at most two stops both directions cost the same
    scale = _SCALED_LONGEST / biggest
    scaled = [[round(d * scale) for d in row] for row in matrix]
    tour = elkai.DistanceMatrix(scaled).solve_tsp(runs=1)[:-1]  # closed: first node repeated
    start = tour.index(0)
    return [node - 1 for node in tour[start + 1:] + tour[:start]]

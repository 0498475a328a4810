"""Classic routing policies, as pick orders: alphabetical, S-shape and largest gap.

S-shape and largest gap follow Roodbergen & de Koster (2001) for layouts with several
blocks: walk up the leftmost aisle holding picks to the farthest block with picks, then
handle the blocks one by one from the back towards the depot. With one block they reduce
to the textbook policies. Only the order matters here; the router measures every order
with exact shortest paths, so the figures for these baselines are if anything flattering.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.routing.layout import Layout, Pick


def alphabetical_order(layout: Layout, picks: Sequence[Pick]) -> list[int]:
    """By aisle, then by position along the aisle: what a location-sorted pick list does."""
    return sorted(range(len(picks)), key=lambda i: (picks[i][0], picks[i][1]))


def s_shape_order(layout: Layout, picks: Sequence[Pick]) -> list[int]:
    """Traverse every sub-aisle holding picks completely, alternating direction."""
    order, by_block, far = _start_up_left_aisle(layout, picks)
    rightward = True
    for block in range(far, -1, -1):
        cells = by_block.get(block, {})
        upward = block == far  # the farthest block is entered from its front
        for aisle in sorted(cells, reverse=not rightward):
            order.extend(sorted(cells[aisle], key=lambda i: picks[i][1], reverse=not upward))
            upward = not upward
        if cells:
            rightward = not rightward
    return order


def largest_gap_order(layout: Layout, picks: Sequence[Pick]) -> list[int]:
    """Per block: enter each sub-aisle from both ends up to its largest gap; the last
    sub-aisle (and, in the farthest block, the first one) is walked through."""
    order, by_block, far = _start_up_left_aisle(layout, picks)
    ys = layout.cross_ys
    for block in range(far, -1, -1):
        cells = by_block.get(block, {})
        aisles = sorted(cells)
        if not aisles:
            continue
        by_y = {a: sorted(cells[a], key=lambda i: picks[i][1]) for a in aisles}
        first_through = block == far
        back_parts, front_parts = [], []
        for n, aisle in enumerate(aisles):
            if n == len(aisles) - 1:
                # walked through towards the front (or in and out if it is the only one)
                back_parts.append(by_y[aisle] if len(aisles) == 1 else by_y[aisle][::-1])
            elif n == 0 and first_through:
                back_parts.append(by_y[aisle])  # up from the front
            else:
                lower, upper = _split_at_largest_gap(by_y[aisle], picks, ys[block], ys[block + 1])
                back_parts.append(upper[::-1])  # in from the back, down to the gap
                front_parts.append(lower)  # in from the front on the way back
        order.extend(i for part in back_parts for i in part)
        order.extend(i for part in reversed(front_parts) for i in part)
    return order


def _start_up_left_aisle(layout: Layout, picks: Sequence[Pick]):
    """Picks in the leftmost pick aisle below the farthest block, taken walking up; and the
    remaining picks grouped by block and aisle."""
    by_block: dict[int, dict[int, list[int]]] = {}
    if not picks:
        return [], by_block, -1
    blocks = [layout.block_of(y) for _, y in picks]
    far = max(blocks)
    left = min(a for a, _ in picks)
    first = sorted(
        (i for i, (a, _) in enumerate(picks) if a == left and blocks[i] < far),
        key=lambda i: picks[i][1],
    )
    taken = set(first)
    for i, (aisle, _) in enumerate(picks):
        if i not in taken:
            by_block.setdefault(blocks[i], {}).setdefault(aisle, []).append(i)
    return first, by_block, far


def _split_at_largest_gap(ordered: list[int], picks, y0: float, y1: float):
    ys = [y0] + [picks[i][1] for i in ordered] + [y1]
    gap = max(range(len(ys) - 1), key=lambda k: ys[k + 1] - ys[k])
    return ordered[:gap], ordered[gap:]

"""Pick-routing benchmark: route lengths against the optimum and the usual policies.

    /tmp/venv/bin/python tests/benchmarks/bench_routing.py [--orders N] [--seed S]

Layouts: 10 and 20 aisles, 3 m apart, 30 m long, depot in front of the first aisle; one
block, and two blocks (a middle cross aisle at 15 m). Random orders with picks spread
uniformly over the aisles. For each layout and order size it prints the router's average
length, and ratios (averages of per-order ratios):
  opt     router / Held-Karp optimum (orders of at most 12 picks only)
  alpha   router / alphabetical order (aisle, then position)
  s-shape router / S-shape;  l-gap  router / largest gap
  heur    the 2-opt + or-opt fallback (method="heuristic") / router
and the time per route of the router and of the fallback.
"""

from __future__ import annotations

import argparse
import random
import time

from app.core.routing import (
    Layout,
    Pick,
    alphabetical_route,
    distance,
    largest_gap_route,
    s_shape_route,
    shortest_route,
)

PICK_COUNTS = (5, 10, 12, 20, 30, 45, 60)
HELD_KARP_MAX = 12


def held_karp(layout: Layout, picks: list[Pick]) -> float:
    n = len(picks)
    stops = [layout.depot, *picks]
    d = [[distance(layout, p, q) for q in stops] for p in stops]
    inf = float("inf")
    best = [[inf] * n for _ in range(1 << n)]
    for i in range(n):
        best[1 << i][i] = d[0][i + 1]
    for mask in range(1, 1 << n):
        row = best[mask]
        for last in range(n):
            cost = row[last]
            if cost == inf:
                continue
            d_last = d[last + 1]
            for nxt in range(n):
                if not mask >> nxt & 1:
                    new = cost + d_last[nxt + 1]
                    target = best[mask | 1 << nxt]
                    if new < target[nxt]:
                        target[nxt] = new
    full = best[(1 << n) - 1]
    return min(full[i] + d[i + 1][0] for i in range(n))


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def run_cell(layout: Layout, n_picks: int, orders: int, rng: random.Random) -> dict[str, float]:
    n_aisles = len(layout.aisle_xs)
    figures: dict[str, list[float]] = {k: [] for k in
                                        ("len", "opt", "alpha", "s", "gap", "heur", "t", "th")}
    hk_orders = orders if n_picks < HELD_KARP_MAX else max(orders // 4, 5)
    for k in range(orders):
        picks = [Pick(rng.randrange(n_aisles), round(rng.uniform(0, layout.aisle_length), 2))
                 for _ in range(n_picks)]
        t0 = time.perf_counter()
        route = shortest_route(layout, picks)
        t1 = time.perf_counter()
        heuristic = shortest_route(layout, picks, method="heuristic")
        t2 = time.perf_counter()
        figures["len"].append(route.length)
        figures["t"].append(t1 - t0)
        figures["th"].append(t2 - t1)
        figures["alpha"].append(route.length / alphabetical_route(layout, picks).length)
        figures["s"].append(route.length / s_shape_route(layout, picks).length)
        figures["gap"].append(route.length / largest_gap_route(layout, picks).length)
        figures["heur"].append(heuristic.length / route.length)
        if n_picks <= HELD_KARP_MAX and k < hk_orders:
            figures["opt"].append(route.length / held_karp(layout, picks))
    return {k: mean(v) for k, v in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=50, help="random orders per cell")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    header = (f"{'layout':<16}{'picks':>6}{'length m':>10}{'opt':>8}{'alpha':>8}{'s-shape':>9}"
              f"{'l-gap':>8}{'heur':>8}{'ms/route':>10}{'heur ms':>9}")
    print(f"{args.orders} random orders per row; ratios are router / policy (lower is better)")
    print(header)
    print("-" * len(header))
    for n_aisles in (10, 20):
        for middles in ((), (15.0,)):
            layout = Layout.from_aisles([3.0 * i for i in range(n_aisles)], 30.0, middles)
            name = f"{n_aisles} aisles, {len(middles) + 1} blk"
            for n_picks in PICK_COUNTS:
                f = run_cell(layout, n_picks, args.orders, rng)
                opt = f"{f['opt']:.4f}" if n_picks <= HELD_KARP_MAX else "-"
                print(f"{name:<16}{n_picks:>6}{f['len']:>10.1f}{opt:>8}{f['alpha']:>8.3f}"
                      f"{f['s']:>9.3f}{f['gap']:>8.3f}{f['heur']:>8.4f}"
                      f"{1000 * f['t']:>10.2f}{1000 * f['th']:>9.1f}")
    print(f"total run time {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()

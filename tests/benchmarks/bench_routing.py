"""Pick-routing benchmark: route lengths against the optimum and the usual policies, and time.

    .venv/bin/python tests/benchmarks/bench_routing.py [--orders N] [--seed S]

Layouts: aisles 3 m apart, 30 m long, depot in front of the first aisle; one to six blocks
(middle cross aisles evenly spaced). Up to three blocks the router runs the exact programme,
beyond that LKH-3 (elkai). Random orders with picks spread uniformly over the aisles. For each
layout and order size it prints the router's average length and ratios (averages of per-order
ratios; "max" is the worst order):
  opt/max   router / Held-Karp optimum (orders of at most 12 picks only)
  lkh/max   the LKH path (method="heuristic") / the exact programme (up to three blocks only)
  alpha     router / alphabetical order (aisle, then position)
  s-shape   router / S-shape;  l-gap  router / largest gap
and the wall time per route (median). Then the target row: 60 picks, 30 aisles, 3 blocks,
p95 of the wall time per route against 100 ms; exit status 1 if it fails.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

from app.core.routing import (
    MAX_EXACT_CROSS_AISLES,
    Layout,
    Pick,
    alphabetical_route,
    distance,
    largest_gap_route,
    s_shape_route,
    shortest_route,
)

PICK_COUNTS = (5, 10, 12, 20, 30, 60)
HELD_KARP_MAX = 12
TARGET_MS = 100.0


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


def floor(aisles: int, blocks: int) -> Layout:
    middles = [30.0 * k / blocks for k in range(1, blocks)]
    return Layout.from_aisles([3.0 * i for i in range(aisles)], 30.0, middles)


def random_picks(layout: Layout, n: int, rng: random.Random) -> list[Pick]:
    return [Pick(rng.randrange(len(layout.aisle_xs)), round(rng.uniform(0, layout.aisle_length), 2))
            for _ in range(n)]


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def run_cell(layout: Layout, n_picks: int, orders: int, rng: random.Random) -> dict[str, list[float]]:
    exact = len(layout.cross_ys) <= MAX_EXACT_CROSS_AISLES
    f: dict[str, list[float]] = {k: [] for k in ("len", "opt", "lkh", "alpha", "s", "gap", "t")}
    hk_orders = orders if n_picks < HELD_KARP_MAX else max(orders // 5, 3)
    for k in range(orders):
        picks = random_picks(layout, n_picks, rng)
        t0 = time.perf_counter()
        route = shortest_route(layout, picks)
        f["t"].append(time.perf_counter() - t0)
        f["len"].append(route.length)
        f["alpha"].append(route.length / alphabetical_route(layout, picks).length)
        f["s"].append(route.length / s_shape_route(layout, picks).length)
        f["gap"].append(route.length / largest_gap_route(layout, picks).length)
        if exact:
            f["lkh"].append(shortest_route(layout, picks, method="heuristic").length / route.length)
        if n_picks <= HELD_KARP_MAX and k < hk_orders:
            f["opt"].append(route.length / held_karp(layout, picks))
    return f


def ratio(values: list[float], worst: bool = False) -> str:
    if not values:
        return "-"
    return f"{max(values) if worst else mean(values):.4f}"


def target_row(rng: random.Random, routes: int = 40) -> bool:
    layout = floor(30, 3)
    shortest_route(layout, random_picks(layout, 60, rng))  # warm the programme's state tables
    wall, cpu = [], []
    for _ in range(routes):
        picks = random_picks(layout, 60, rng)
        t0, c0 = time.perf_counter(), time.process_time()
        shortest_route(layout, picks)
        wall.append(1000 * (time.perf_counter() - t0))
        cpu.append(1000 * (time.process_time() - c0))
    p95 = statistics.quantiles(wall, n=20)[-1]
    ok = p95 <= TARGET_MS
    print(f"route, 60 picks, 30 aisles, 3 blocks (exact): median {statistics.median(wall):.1f} ms, "
          f"p95 {p95:.1f} ms (CPU median {statistics.median(cpu):.1f} ms), target <= {TARGET_MS:g} ms, "
          f"ratio {p95 / TARGET_MS:.2f}, {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=30, help="random orders per cell")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    header = (f"{'layout':<17}{'picks':>6}{'length m':>10}{'opt':>8}{'max':>8}{'lkh':>8}{'max':>8}"
              f"{'alpha':>8}{'s-shape':>9}{'l-gap':>8}{'ms/route':>10}")
    print(f"{args.orders} random orders per row; ratios are router / reference (lower is better)")
    print(header)
    print("-" * len(header))
    for aisles, blocks in ((10, 1), (20, 1), (10, 2), (20, 2), (30, 3), (10, 4), (10, 5), (20, 6)):
        layout = floor(aisles, blocks)
        name = f"{aisles} aisles, {blocks} blk"
        for n_picks in PICK_COUNTS:
            f = run_cell(layout, n_picks, args.orders, rng)
            print(f"{name:<17}{n_picks:>6}{mean(f['len']):>10.1f}{ratio(f['opt']):>8}"
                  f"{ratio(f['opt'], True):>8}{ratio(f['lkh']):>8}{ratio(f['lkh'], True):>8}"
                  f"{mean(f['alpha']):>8.3f}{mean(f['s']):>9.3f}{mean(f['gap']):>8.3f}"
                  f"{1000 * statistics.median(f['t']):>10.2f}")
    ok = target_row(rng)
    print(f"total run time {time.perf_counter() - started:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

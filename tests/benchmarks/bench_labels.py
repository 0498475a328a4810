"""Label throughput: Stockfloor's renderers next to bare reportlab / bare string templates.

Run from a checkout:  python tests/benchmarks/bench_labels.py  [--pdf 1000] [--zpl 10000]
Not collected by pytest (bench_*.py).  Prints seconds, labels per second and ratios.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from datetime import date
from pathlib import Path

try:
    import app  # noqa: F401
except ImportError:  # run as a plain script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.core.checkdigits import make_sscc  # noqa: E402
from app.printing.data import LABEL_4X6, LicensePlateLabel  # noqa: E402
from app.printing.labels import draw_primitives, render_labels_pdf  # noqa: E402
from app.printing.layout import layout  # noqa: E402
from app.printing.zpl import render_labels_zpl  # noqa: E402


def logistic_labels(count: int) -> list[LicensePlateLabel]:
    return [LicensePlateLabel(
        sscc=make_sscc(0, "9501101", serial),
        ship_from=("Stockfloor DC North", "Industriestrasse 12", "40210 Duesseldorf"),
        ship_to=("ACME Retail GmbH", "Warehouse Gate 4", "10115 Berlin"),
        gtin="09501101530003", contents="Chocolate bars 12 x 100 g", count=48 + serial % 50,
        lot=f"L{serial:05d}", best_before=date(2027, 12, 31), reference=f"PO-{serial}")
        for serial in range(1, count + 1)]


class Recorder:
    """Stands in for a reportlab canvas and records every drawing call."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *args, **kwargs: self.calls.append((name, args, kwargs))


def timed(function, repeat: int = 1):
    """Best of ``repeat`` runs: the least disturbed by whatever else the machine does."""
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def race(first, second, repeat: int):
    """Best times of two functions run alternately, so a busy spell hits both."""
    results = [timed(first), timed(second)]
    for _ in range(repeat - 1):
        for index, function in enumerate((first, second)):
            elapsed, _ = timed(function)
            results[index] = (min(results[index][0], elapsed), results[index][1])
    return results


def bare_pdf(recorded: list[list[tuple]]) -> bytes:
    """The same rectangles and strings, replayed straight onto a reportlab canvas."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(LABEL_4X6.width, LABEL_4X6.height), pageCompression=1)
    for calls in recorded:
        for name, args, kwargs in calls:
            getattr(canvas, name)(*args, **kwargs)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def bare_zpl(labels: list[LicensePlateLabel]) -> bytes:
    """A hand-written template with the same fields, no layout engine, no fitting."""
    out = []
    for lb in labels:
        out.append(
            "^XA^CI28^PW812^LL1218^LH0,0\n"
            f"^FO39,39^A0N,21,21^FDFROM^FS^FO39,64^A0N,32,32^FD{lb.ship_from[0]}^FS\n"
            f"^FO39,101^A0N,27,27^FD{lb.ship_from[1]}^FS"
            f"^FO39,132^A0N,27,27^FD{lb.ship_from[2]}^FS\n"
            f"^FO426,39^A0N,21,21^FDTO^FS^FO426,64^A0N,32,32^FD{lb.ship_to[0]}^FS\n"
            f"^FO426,101^A0N,27,27^FD{lb.ship_to[1]}^FS^FO426,132^A0N,27,27^FD{lb.ship_to[2]}^FS\n"
            f"^FO39,204^GB733,3,3^FS^FO39,243^A0N,68,68^FD{lb.sscc}^FS\n"
            f"^FO39,354^A0N,35,35^FD{lb.gtin}^FS^FO426,354^A0N,35,35^FD{lb.count}^FS\n"
            f"^FO39,418^A0N,35,35^FD{lb.lot}^FS^FO426,418^A0N,35,35^FD2027-12-31^FS\n"
            f"^FO106,548^BY2^BCN,261,N,N,N,D^FD(02){lb.gtin}(15)271231(37){lb.count}"
            f">8(10){lb.lot}^FS\n"
            f"^FO93,883^BY4^BCN,261,N,N,N,N^FD>;>800{lb.sscc}^FS\n^XZ\n")
    return "".join(out).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", type=int, default=1000, help="4x6 GS1 labels to one PDF")
    parser.add_argument("--zpl", type=int, default=10000, help="labels to ZPL")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    options = parser.parse_args()
    r = options.repeat

    labels = logistic_labels(options.pdf)
    render_labels_pdf(labels[:5], LABEL_4X6)  # warm-up: imports, font metrics

    layout_time, layouts = timed(lambda: [layout(lb, LABEL_4X6.width, LABEL_4X6.height)
                                          for lb in labels], r)
    recorded = []
    for primitives in layouts:
        recorder = Recorder()
        draw_primitives(recorder, primitives, 0, LABEL_4X6.height, dpi=203)
        recorded.append(recorder.calls)
    (ours, pdf), (bare, bare_bytes) = race(lambda: render_labels_pdf(labels, LABEL_4X6),
                                           lambda: bare_pdf(recorded), r)
    calls = sum(len(c) for c in recorded) / len(recorded)
    n = len(labels)
    try:
        import _rl_accel  # noqa: F401
        accel = "with"
    except ImportError:
        accel = "WITHOUT"
    print(f"reportlab C accelerator (rl-accel): {accel}; best of {r} runs")
    print(f"PDF, {n} x 4x6 in GS1 logistic labels (2 GS1-128 symbols, ~{calls:.0f} drawing "
          "calls each)")
    print(f"  Stockfloor render_labels_pdf : {ours:6.2f} s  {n / ours:7.0f} labels/s  "
          f"{ours / n * 1000:5.2f} ms/label  {len(pdf) / 1e6:.2f} MB")
    print(f"    of which layout + encoding : {layout_time:6.2f} s")
    print(f"  bare reportlab, same calls   : {bare:6.2f} s  {n / bare:7.0f} labels/s  "
          f"{bare / n * 1000:5.2f} ms/label  {len(bare_bytes) / 1e6:.2f} MB")
    print(f"  ratio Stockfloor / bare      : {ours / bare:6.2f} x")

    zlabels = logistic_labels(options.zpl)
    render_labels_zpl(zlabels[:5])
    (ours_z, zpl), (bare_z, bare_zpl_bytes) = race(
        lambda: render_labels_zpl(zlabels, LABEL_4X6, dpi=203), lambda: bare_zpl(zlabels), r)
    m = len(zlabels)
    print(f"ZPL, {m} x 4x6 in GS1 logistic labels")
    print(f"  Stockfloor render_labels_zpl : {ours_z:6.2f} s  {m / ours_z:7.0f} labels/s  "
          f"{ours_z / m * 1000:5.3f} ms/label  {len(zpl) / 1e6:.2f} MB")
    print(f"  bare f-string template       : {bare_z:6.2f} s  {m / bare_z:7.0f} labels/s  "
          f"{bare_z / m * 1000:5.3f} ms/label  {len(bare_zpl_bytes) / 1e6:.2f} MB")
    print(f"  ratio Stockfloor / bare      : {ours_z / bare_z:6.1f} x")


if __name__ == "__main__":
    main()

"""How fast does the attention heatmap redraw when the learner steps a layer or head?

The TUI computes the attention tensor once per text; a key press only slices it and renders
the heatmap again.  Target: < 100 ms for a 64-token input.  This times, on a synthetic
[6 layers, 12 heads, 64, 64] tensor (the bundled model's shape):

* ``heatmap``  – rendering the ``Heatmap`` renderable to a recording Rich console;
* ``redraw``   – what a key press does: ``select_map`` + ``describe_head`` + that render;
* ``baseline`` – the naive way: a Rich ``Table`` with one markup cell per weight;
* ``tui``      – (with ``--tui``) a key press in a headless Textual app with the real widget,
                 from the action to the repainted screen (includes Textual's own overhead).

Run:  python benchmarks/bench_attention.py [--tokens 64] [--repeats 30] [--tui]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.color import Color  # noqa: E402

from timing import p50_ms  # noqa: E402  (benchmarks/timing.py)
from tutor.analysis.attention import describe_head, select_map  # noqa: E402
from tutor.widgets.attention_map import Heatmap, levels, palette  # noqa: E402

LOW, HIGH = Color.parse("#121212"), Color.parse("#0178D4")


def synthetic(n: int, layers: int = 6, heads: int = 12, seed: int = 0) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.full(n, 0.3), size=(layers, heads, n)).astype(np.float32)
    tokens = ["[CLS]", *[f"tok{i}" for i in range(n - 2)], "[SEP]"]
    return tokens, weights


def render(renderable) -> None:
    console = Console(file=StringIO(), record=True, width=400, color_system="truecolor")
    console.print(renderable)
    console.export_text()


def naive_table(tokens: list[str], matrix: np.ndarray, styles) -> Table:
    table = Table(box=None, padding=(0, 0), show_header=True)
    table.add_column("", no_wrap=True)
    for token in tokens:
        table.add_column(token[:2], no_wrap=True)
    grid = levels(matrix)
    colours = [s.bgcolor.get_truecolor().hex for s in styles]
    for token, row in zip(tokens, grid):
        table.add_row(token[:9], *[f"[on {colours[v]}]  [/]" for v in row])
    return table


def tui_redraw(tokens: list[str], weights: np.ndarray, repeats: int) -> float:
    """p50 ms from ``action_head`` to a repainted screen, in a headless 120×40 app."""
    import asyncio
    from types import SimpleNamespace

    from textual.app import App
    from textual.reactive import reactive

    from tutor.course.blocks import AttentionBlock
    from tutor.widgets.attention_map import AttentionMap

    engine = SimpleNamespace(attention=lambda text: SimpleNamespace(tokens=tokens, weights=weights))

    class Bench(App):
        engine_status = reactive("loading")

        def compose(self):
            yield AttentionMap(AttentionBlock(text="synthetic"))

        def on_mount(self) -> None:
            self.engine = engine
            self.engine_status = "ready"

    async def run() -> float:
        app = Bench()
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            view = app.query_one(AttentionMap)
            samples = []
            for _ in range(repeats):
                start = time.perf_counter()
                view.action_head(1)
                await pilot.pause()
                samples.append((time.perf_counter() - start) * 1000)
            return statistics.median(samples)

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--tui", action="store_true", help="also time a key press in a headless Textual app")
    args = parser.parse_args()
    tokens, weights = synthetic(args.tokens)
    styles = palette(LOW, HIGH)
    matrix, _ = select_map(weights, 3, 5)
    step = iter(range(10**9))

    def redraw() -> None:  # what the l/h keys do: a new slice, its note, a new render
        k = next(step)
        m, _ = select_map(weights, k % 6 + 1, k % 12 + 1)
        describe_head(m, tokens)
        render(Heatmap(tokens, m, styles, selected=k % len(tokens)))

    heatmap = p50_ms(lambda: render(Heatmap(tokens, matrix, styles, selected=1)), args.repeats)
    full = p50_ms(redraw, args.repeats)
    baseline = p50_ms(lambda: render(naive_table(tokens, matrix, styles)), max(5, args.repeats // 3))
    n = args.tokens
    print(f"attention heatmap, {n}×{n} tokens, p50 of {args.repeats} runs")
    print(f"  heatmap render               {heatmap:8.1f} ms")
    print(f"  redraw (slice+note+render)   {full:8.1f} ms   target < 100 ms: {'OK' if full < 100 else 'SLOW'}")
    print(f"  naive Rich Table             {baseline:8.1f} ms")
    print(f"  speed-up vs naive            {baseline / heatmap:8.1f}×")
    if args.tui:
        tui = tui_redraw(tokens, weights, args.repeats)
        print(f"  TUI key press → repaint      {tui:8.1f} ms   target < 100 ms: {'OK' if tui < 100 else 'SLOW'}")


if __name__ == "__main__":
    main()

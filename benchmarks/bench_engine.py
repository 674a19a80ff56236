"""Engine speed, against baselines run in the same process (not a test; prints figures).

* fill-mask p50 on a ~20-token sentence: our engine vs HF ``pipeline("fill-mask")`` on the
  same model and sentence (target: <= 15 ms and <= 0.5x the pipeline on a 2-core box);
* ranking a 10-blank x 4-option passage: the engine (each option's masked rows in one batch)
  vs one forward pass per masked row (target: <= 1 s, >= 4x faster).  Options are not
  batched together: the int8 path picks activation scales per batch, so a shared batch
  would let one option's score depend on the others;
* how often the int8 fast path agrees with fp32 (top-1 fill-mask, option rankings).

Run: python benchmarks/bench_engine.py [--model M] [--repeat N]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import p50_ms  # noqa: E402  (benchmarks/timing.py)

SENTENCE = "After a long day at school the tired children walked home and ate a warm [MASK] with their parents."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    import torch
    from transformers import pipeline

    from tutor.engine import load_engine
    from tutor.engine.evaluate import cloze_items, read_jsonl
    from tutor.paths import EVAL_DIR

    start = time.perf_counter()
    engine = load_engine(args.model)
    load_s = time.perf_counter() - start
    n_tokens = len(engine.tokens(SENTENCE))
    print(f"model {engine.name} · {torch.get_num_threads()} threads · load {load_s:.2f} s (imports done before)")

    pipe = pipeline("fill-mask", model=engine.model, tokenizer=engine.tokenizer, device=-1, top_k=5)
    ours_fast = p50_ms(lambda: engine.fill_mask(SENTENCE, top_k=5), args.repeat)
    ours_fp32 = p50_ms(lambda: engine.fill_mask(SENTENCE, top_k=5, precise=True), args.repeat)
    theirs = p50_ms(lambda: pipe(SENTENCE), args.repeat)
    print(f"\nfill-mask, {n_tokens} tokens, p50 of {args.repeat}:")
    print(f"  HF pipeline (fp32)           {theirs:7.1f} ms   1.00x")
    print(f"  engine, fp32, head at blank  {ours_fp32:7.1f} ms   {ours_fp32 / theirs:.2f}x")
    print(f"  engine, int8 fast path       {ours_fast:7.1f} ms   {ours_fast / theirs:.2f}x   (target <= 15 ms, <= 0.5x)")

    li_hua = json.loads((EVAL_DIR / "li_hua.json").read_text())
    items = cloze_items(li_hua)

    def batched():
        for item in items:
            engine.rank_options(item["text"], item["options"])

    def one_row_at_a_time():
        import tutor.engine.pll as pll

        saved, pll.ROWS_PER_BATCH = pll.ROWS_PER_BATCH, 1
        try:
            batched()
        finally:
            pll.ROWS_PER_BATCH = saved

    repeat = max(3, args.repeat // 10)
    t_batched = p50_ms(batched, repeat)
    t_rows = p50_ms(one_row_at_a_time, max(2, repeat // 2))
    print(f"\nrank a 10-blank x 4-option passage (Li Hua), p50 of {repeat}:")
    print(f"  unbatched (one forward pass per masked row) {t_rows:8.0f} ms   1.00x")
    print(f"  engine (each option's rows batched)         {t_batched:8.0f} ms   {t_rows / t_batched:.1f}x   (target <= 1000 ms, >= 4x)")

    probes = read_jsonl(EVAL_DIR / "probes.jsonl")
    agree = sum(engine.fill_mask(p["text"], 1)[0][0][0] == engine.fill_mask(p["text"], 1, precise=True)[0][0][0]
                for p in probes)
    rank_items = items + read_jsonl(EVAL_DIR / "mcq_cloze.jsonl")
    same = 0
    for item in rank_items:
        fast = [s.option for s in sorted(engine.rank_options(item["text"], item["options"]), key=lambda s: -s.score)]
        slow = [s.option for s in sorted(engine.rank_options(item["text"], item["options"], precise=True),
                                         key=lambda s: -s.score)]
        same += fast[0] == slow[0]
    print(f"\nint8 vs fp32 agreement: fill-mask top-1 {agree}/{len(probes)} probes; "
          f"option ranking top-1 {same}/{len(rank_items)} cloze items")


if __name__ == "__main__":
    main()

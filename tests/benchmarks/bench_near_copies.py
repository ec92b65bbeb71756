"""Benchmark of near-copy detection: 10,000 Chinese pieces of about 1,500 characters with
planted near-copies. Prints the time to find all pairs with similarity >= 0.8 and the recall
against an exact (brute-force Jaccard) computation on a sample of pieces.

    .venv/bin/python tests/benchmarks/bench_near_copies.py [--pieces 10000] [--sample 40]

Not a pytest test (not collected); it needs no database.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from party_training.edx_plugin.writing_assignment import near_copies  # noqa: E402  pylint: disable=wrong-import-position

# The commonest CJK characters occupy the start of the block; a Zipf-like draw from them
# gives text with realistic repetition of frequent characters.
ALPHABET = [chr(c) for c in range(0x4E00, 0x4E00 + 3500)]
PUNCTUATION = "，。；、！？"


def make_text(rng: random.Random, length: int) -> str:
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(ALPHABET))]
    chars = rng.choices(ALPHABET, weights=weights, k=length)
    for pos in range(rng.randint(15, 30), length, rng.randint(18, 40)):
        chars[pos] = rng.choice(PUNCTUATION)
    return "".join(chars)


def mutate(rng: random.Random, text: str, rate: float) -> str:
    """A near-copy: characters replaced, deleted or inserted at ``rate``, punctuation changed."""
    out = []
    for ch in text:
        roll = rng.random()
        if roll < rate / 3:
            out.append(rng.choice(ALPHABET))
        elif roll < 2 * rate / 3:
            continue
        elif roll < rate:
            out.extend((ch, rng.choice(ALPHABET)))
        else:
            out.append("," if ch == "，" else ch)
    return "".join(out)


def build_corpus(pieces: int, seed: int) -> tuple[list[tuple[int, str]], set[int]]:
    rng = random.Random(seed)
    boilerplate = "深入学习贯彻习近平新时代中国特色社会主义思想，坚定理想信念，牢记初心使命。"
    corpus: list[tuple[int, str]] = []
    planted: set[int] = set()
    while len(corpus) < pieces:
        base = boilerplate + make_text(rng, rng.randint(1300, 1700))
        corpus.append((len(corpus), base))
        if rng.random() < 0.08 and len(corpus) < pieces:
            # A small cluster copied from one source, at edit rates from trivial to heavy
            # (the heavy ones fall below 0.8 and must not be reported).
            for _ in range(rng.randint(1, 4)):
                if len(corpus) >= pieces:
                    break
                planted.add(len(corpus))
                corpus.append((len(corpus), mutate(rng, base, rng.choice([0.002, 0.01, 0.02, 0.04, 0.08]))))
    return corpus, planted


def exact_pairs_for(sample: list[int], corpus: list[tuple[int, str]], threshold: float) -> set[tuple[int, int]]:
    sets = [near_copies.shingles(text) for _, text in corpus]
    pairs = set()
    for i in sample:
        for j in range(len(corpus)):
            if i != j and near_copies.jaccard(sets[i], sets[j]) >= threshold:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pieces", type=int, default=10000)
    parser.add_argument("--sample", type=int, default=40, help="pieces whose pairs are computed exactly")
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    corpus, planted = build_corpus(args.pieces, args.seed)
    chars = sum(len(t) for _, t in corpus)
    print(f"pieces: {len(corpus)}, average length: {chars / len(corpus):.0f} characters, "
          f"planted near-copies: {len(planted)}")

    started, cpu_started = time.perf_counter(), time.process_time()
    found = near_copies.find_near_copies(corpus, threshold=args.threshold)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    # CPU time is printed too: on a shared machine the wall time includes waiting for a core.
    print(f"find_near_copies: {elapsed:.2f} s wall, {cpu:.2f} s CPU; "
          f"pairs found with similarity >= {args.threshold}: {len(found)}")

    rng = random.Random(args.seed + 1)
    half = args.sample // 2
    sample = rng.sample(sorted(planted), min(half, len(planted)))
    sample += rng.sample(range(len(corpus)), args.sample - len(sample))
    started = time.perf_counter()
    truth = exact_pairs_for(sample, corpus, args.threshold)
    exact_elapsed = time.perf_counter() - started
    found_pairs = {(min(p.first, p.second), max(p.first, p.second)) for p in found}
    in_sample = {p for p in found_pairs if p[0] in sample or p[1] in sample}
    hits = len(truth & in_sample)
    recall = hits / len(truth) if truth else 1.0
    precision = hits / len(in_sample) if in_sample else 1.0
    print(f"exact computation on a sample of {len(sample)} pieces against all {len(corpus)}: "
          f"{exact_elapsed:.1f} s, true pairs: {len(truth)}")
    print(f"recall on the sample: {recall:.3f} ({hits}/{len(truth)}), precision on the sample: {precision:.3f}")


if __name__ == "__main__":
    main()

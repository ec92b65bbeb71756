"""Near-copy detection for writing assignments (writing_assignment): character shingles,
bottom-k MinHash sketches, an inverted index.

Chinese has no spaces between words, so pieces are compared as sets of overlapping
character 4-grams ("shingles") of the text with whitespace and punctuation removed (a copy
whose punctuation or line breaks were changed is still a copy). Similarity is the Jaccard
index of the two shingle sets.

Finding every pair above a threshold among n pieces must not compare n² pairs:

1. each piece gets a bottom-k sketch: the k smallest hash values of its shingles;
2. an inverted index from sketch value to pieces counts, per pair, the sketch values they
   share; pairs with a Jaccard index of 0.8 share most of their sketches, unrelated pieces
   share almost none, so only pairs sharing at least ``k * MIN_SHARED`` values are candidates;
3. candidates are verified with the exact Jaccard index of their full shingle sets.

Everything is pure Python on C-level builtins (``map``, ``zip``, ``set``, ``sorted``);
``tests/benchmarks/bench_near_copies.py`` measures 10,000 pieces of 1,500 characters.
"""
from __future__ import annotations

import heapq
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

SHINGLE = 4
SKETCH_SIZE = 64
# Share of sketch values a candidate pair must have in common. Pairs at Jaccard 0.8 share
# about 80% of the union's bottom-k; a third leaves a wide margin for sampling noise.
MIN_SHARED = 1 / 3
# A sketch value held by more pieces than this is boilerplate (a slogan every piece
# quotes); counting its pairs would be quadratic and tells nothing.
MAX_POSTING = 2000

_STRIP = re.compile(r"[\W_]+", re.UNICODE)
_TAG = re.compile(r"<[^>]*>")


def normalize(text: str) -> str:
    """Text as compared: no tags, full-width folded to half-width (NFKC), lower case, no
    whitespace or punctuation."""
    text = _STRIP.sub("", _TAG.sub("", text or "")).lower()
    # Stripping first leaves full-width punctuation out, so most Chinese text is already in
    # NFKC and skips the (slow) normalization.
    if not unicodedata.is_normalized("NFKC", text):
        text = _STRIP.sub("", unicodedata.normalize("NFKC", text))
    return text


def shingles(text: str) -> set[int]:
    """Hashes of the character 4-grams of the normalized text.

    A shingle is hashed as a tuple of code points: tuple and int hashes are not salted per
    process (unlike ``str`` hashes), so sketches agree across workers, and the whole loop
    runs in C.
    """
    codes = list(map(ord, normalize(text)))
    if len(codes) < SHINGLE:
        return {hash(tuple(codes))} if codes else set()
    return set(map(hash, zip(*(codes[i:] for i in range(SHINGLE)))))


def sketch(hashes: set[int], size: int = SKETCH_SIZE) -> tuple[int, ...]:
    return tuple(heapq.nsmallest(size, hashes))


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def estimated_jaccard(a: Sequence[int], b: Sequence[int], size: int = SKETCH_SIZE) -> float:
    """Bottom-k estimate: of the k smallest values of the union, the share present in both."""
    sa, sb = set(a), set(b)
    union_bottom = sorted(sa | sb)[:size]
    if not union_bottom:
        return 0.0
    return sum(1 for v in union_bottom if v in sa and v in sb) / len(union_bottom)


@dataclass(frozen=True)
class NearCopy:
    first: object  # the caller's key of a piece
    second: object
    similarity: float


def find_near_copies(pieces: Iterable[tuple[object, str]], threshold: float = 0.8,
                     size: int = SKETCH_SIZE) -> list[NearCopy]:
    """All pairs of ``(key, text)`` pieces whose shingle sets have a Jaccard index >= threshold.

    Memory holds one sketch per piece (k integers) and the texts of candidate pairs only,
    so a course of thousands of pieces is scanned in one pass.
    """
    keys: list[object] = []
    texts: list[str] = []
    sketches: list[tuple[int, ...]] = []
    index: dict[int, list[int]] = defaultdict(list)
    for key, text in pieces:
        number = len(keys)
        keys.append(key)
        texts.append(text)
        sk = sketch(shingles(text), size)
        sketches.append(sk)
        for value in sk:
            index[value].append(number)

    shared: dict[tuple[int, int], int] = defaultdict(int)
    for posting in index.values():
        if 1 < len(posting) <= MAX_POSTING:
            for pair in combinations(posting, 2):
                shared[pair] += 1
    need = max(2, int(size * MIN_SHARED))
    # Sampling error of a k=64 sketch is about 0.05 at J=0.8: verify anything within 0.2.
    margin = threshold - 0.2
    exact_cache: dict[int, set[int]] = {}

    def full(number: int) -> set[int]:
        if number not in exact_cache:
            exact_cache[number] = shingles(texts[number])
        return exact_cache[number]

    found = []
    for (i, j), count in shared.items():
        if count < need or estimated_jaccard(sketches[i], sketches[j], size) < margin:
            continue
        similarity = jaccard(full(i), full(j))
        if similarity >= threshold:
            found.append(NearCopy(keys[i], keys[j], round(similarity, 4)))
    found.sort(key=lambda pair: -pair.similarity)
    return found


def shared_runs(text: str, other: str, width: int = 8) -> list[tuple[str, bool]]:
    """``text`` cut into runs that do / do not share a ``width``-character passage with ``other``
    (the side-by-side view of a near-copy pair marks the shared ones)."""
    grams = {other[i:i + width] for i in range(max(0, len(other) - width + 1))}
    covered = [False] * len(text)
    for i in range(max(0, len(text) - width + 1)):
        if text[i:i + width] in grams:
            covered[i:i + width] = [True] * width
    runs: list[tuple[str, bool]] = []
    for char, mark in zip(text, covered):
        if runs and runs[-1][1] == mark:
            runs[-1] = (runs[-1][0] + char, mark)
        else:
            runs.append((char, mark))
    return runs

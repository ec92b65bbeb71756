"""Hypothesis strategies of hostile uploads for the property tests of every upload path (roster,
question banks, and any later import through core's file service): arbitrary bytes, damaged
workbooks, and CSV of any shape, cell size and encoding, with headers an import recognises."""
from __future__ import annotations

import csv
import io

from hypothesis import strategies as st

ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16", "latin-1", "cp1252"]
NAMES = ["upload.csv", "upload.txt", "upload.xlsx", "upload"]
CELL_SIZES = [0, 1, 65, 101, 201, 2_001, 32_768, 140_000]


def _cells(words: list[str]):
    sized = st.sampled_from(CELL_SIZES).map(lambda n: "党" * n)
    return st.one_of(st.text(max_size=20), st.sampled_from(words), sized,
                     st.sampled_from(["=1+1", "-1", '"', '""x', "a\nb", "\x00", "\ufeff", "陳大文", "；；", "2015年7月1日"]))


@st.composite
def _csv_bytes(draw, words: list[str]):
    header = draw(st.lists(st.sampled_from(words), min_size=1, max_size=len(words)))
    rows = draw(st.lists(st.lists(_cells(words), max_size=len(header) + 2), max_size=6))
    delimiter = draw(st.sampled_from([",", "\t", ";"]))
    if draw(st.booleans()):
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter).writerows([header, *rows])
        text = out.getvalue()
    else:  # hand-made: stray quotes and ragged rows stay as they are
        text = "\n".join(delimiter.join(row) for row in [header, *rows])
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors=draw(st.sampled_from(["ignore", "replace"])))


def hostile_files(words: list[str]):
    """(file name, content) of an upload: ``words`` are headers and values the import knows."""
    content = st.one_of(_csv_bytes(words), _csv_bytes(words), st.binary(max_size=600),
                        st.binary(max_size=600).map(lambda b: b"PK\x03\x04" + b))
    return st.tuples(st.sampled_from(NAMES), content)

"""CSV / TSV inputs: a header row with flexible field names, then one article per row (streamed). Locations
are ``path#N`` with N the 1-based data row (the header is not counted)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator

from ..model import Article, IngestProblem
from ._common import InputError, decode_line, record_to_article

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _decoded(lines: Iterable[bytes], encodings: set[str]) -> Iterator[str]:
    for i, raw in enumerate(lines):
        text, enc = decode_line(raw, first=i == 0)
        encodings.add(enc)
        yield text


def read_csv(lines: Iterable[bytes], where: str, *, source: str | None, stem: str,
             delimiter: str | None = None) -> Iterator[Article | IngestProblem]:
    encodings: set[str] = set()
    stream = _decoded(lines, encodings)
    try:
        header_line = next(stream, None)
        while header_line is not None and not header_line.strip():
            header_line = next(stream, None)
    except InputError as e:
        yield IngestProblem(where, str(e))
        return
    if header_line is None:
        yield IngestProblem(where, "empty file (no CSV header)")
        return
    if delimiter is None:
        counts = {d: header_line.count(d) for d in (",", "\t", ";", "|")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    header = next(csv.reader([header_line], delimiter=delimiter))
    header = [h.strip() for h in header]
    reader = csv.reader(stream, delimiter=delimiter)
    row_no = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except InputError as e:
            row_no += 1
            yield IngestProblem(f"{where}#{row_no}", f"{e}; the rest of the file is skipped")
            return
        except csv.Error as e:
            row_no += 1
            yield IngestProblem(f"{where}#{row_no}", f"malformed CSV row ({e}); the rest of the file is skipped")
            return
        if not row or all(not c.strip() for c in row):
            continue
        row_no += 1
        loc = f"{where}#{row_no}"
        if len(row) != len(header):
            yield IngestProblem(loc, f"row has {len(row)} columns, header has {len(header)}")
            continue
        for item in record_to_article(dict(zip(header, row)), loc, source_arg=source, stem=stem):
            if isinstance(item, Article) and "cp1252" in encodings:
                item.meta["encoding"] = "cp1252"
            yield item
    if row_no == 0:
        yield IngestProblem(where, "CSV file has a header but no rows")

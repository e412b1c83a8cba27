"""HTML pages: trafilatura extracts the main text (paragraphs separated by blank lines), the title and the
canonical URL; htmldate finds the publication date (fast mode: no extensive search)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from ..model import Article, IngestProblem
from ._common import host_of, html_to_text, normalise_date

for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.ERROR)

_CANONICAL = re.compile(r"""<link[^>]+rel=["']?canonical["']?[^>]*>""", re.IGNORECASE)
_HREF = re.compile(r"""href=["']([^"'>\s]+)""", re.IGNORECASE)


def _canonical(page: str) -> str | None:
    m = _CANONICAL.search(page)
    if m:
        h = _HREF.search(m.group(0))
        if h:
            return h.group(1)
    return None


def _paragraphs(body) -> str:  # type: ignore[no-untyped-def]
    """Text of trafilatura's output tree, one paragraph per block element."""
    paras: list[str] = []
    for el in body:
        if el.tag == "list":
            for item in el:
                t = " ".join("".join(item.itertext()).split())
                if t:
                    paras.append(t)
            continue
        t = " ".join("".join(el.itertext()).split())
        if t:
            paras.append(t)
    return "\n\n".join(paras)


def read_html(page: str, where: str, *, source: str | None, stem: str,
              url: str | None = None) -> Iterator[Article | IngestProblem]:
    import trafilatura
    from htmldate import find_date

    if not page.strip():
        yield IngestProblem(where, "empty file")
        return
    try:
        doc = trafilatura.bare_extraction(page, url=url, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=True)
    except Exception as e:  # trafilatura/lxml raise many kinds on broken markup
        yield IngestProblem(where, f"cannot parse HTML ({type(e).__name__}: {e})")
        return
    text = ""
    title = canonical = sitename = None
    if doc is not None:
        body = getattr(doc, "body", None)
        text = _paragraphs(body) if body is not None and len(body) else (getattr(doc, "text", None) or "")
        title = getattr(doc, "title", None)
        sitename = getattr(doc, "sitename", None)
    canonical = _canonical(page) or url or (getattr(doc, "url", None) if doc is not None else None)
    if not text.strip():
        # trafilatura found no main content (short pages): fall back to all visible text
        text = html_to_text(page)
    if not text.strip():
        yield IngestProblem(where, "no text found in HTML")
        return
    if title and text.startswith(title):
        text = text[len(title):].lstrip()
    try:
        date = find_date(page, extensive_search=False, outputformat="%Y-%m-%d", original_date=True, url=url)
    except Exception:
        date = None
    date = normalise_date(date) if date else None
    yield Article(id="", text=text, raw=text, title=title or None, date=date,
                  source=source or sitename or host_of(canonical) or stem, url=canonical, origin=where,
                  meta={"format": "html"})

"""The web UI: server-rendered Jinja2 pages (autoescaped) over the same Store methods and export rows as the
JSON API. No inline scripts: behaviour comes from /static/htmx.min.js and /static/app.js."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..export import article_row, highlight_html, search_row

TEMPLATES = Path(__file__).parent / "templates"

env = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(enabled_extensions=("html", "svg"), default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _idpath(value: str | None) -> str:
    """An id as one URL path segment (ids may be URLs with slashes, '?' or '#')."""
    return quote(value or "", safe="")


def _mark(snippet: str | None) -> Markup:
    """Safe highlighted snippet: escaped first, then <mark> added (see export.highlight_html)."""
    return Markup(highlight_html(snippet))


env.filters["idpath"] = _idpath
env.filters["mark"] = _mark


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = env.get_template(template).render(request=request, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, status: int, error: str, detail: Any = None) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status, error=error,
                  detail=detail if isinstance(detail, str) else None)


def _qs(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def pages_router(pool: Any) -> APIRouter:
    from ..api import ApiError, date_range, encode_cursor, int_cursor

    router = APIRouter(include_in_schema=False)

    @router.get("/search", response_class=HTMLResponse)
    def search_page(
        request: Request,
        q: Annotated[str, Query(max_length=500)] = "",
        source: Annotated[str, Query(max_length=300)] = "",
        since: Annotated[date | None, Query()] = None,
        until: Annotated[date | None, Query()] = None,
        cursor: Annotated[str | None, Query(max_length=2000)] = None,
    ) -> Response:
        offset = int_cursor("search", cursor) or 0
        if offset > 10_000:
            raise ApiError(400, "bad cursor", "search pages stop after 10000 hits; narrow the query")
        lo, hi = date_range(since, until)
        limit = 20
        with pool.read() as store:
            sources = store.source_names()
            hits = store.search_page(q, source=source or None, since=lo, until=hi, limit=limit + 1,
                                     offset=offset) if q.strip() else []
        more = len(hits) > limit
        rows = [search_row(h) for h in hits[:limit]]
        next_url = None
        if more:
            next_url = "/search?" + _qs(q=q, source=source, since=lo, until=hi,
                                        cursor=encode_cursor("search", offset + limit))
        context = dict(q=q, source=source, since=lo or "", until=hi or "", sources=sources, hits=rows,
                       next_url=next_url, offset=offset)
        if request.headers.get("hx-request") == "true" and request.headers.get("hx-target") == "results":
            return render(request, "_search_results.html", **context)
        return render(request, "search.html", **context)

    @router.get("/articles/{article_id:path}", response_class=HTMLResponse)
    def article_page(request: Request, article_id: str) -> Response:
        with pool.read() as store:
            article = store.get_article(article_id)
            original = store.get_article(article.duplicate_of) if article and article.duplicate_of else None
        if article is None:
            raise ApiError(404, "not found", f"no article with id {article_id!r}")
        return render(request, "article.html", a=article_row(article),
                      paragraphs=[p for p in article.text.split("\n\n") if p.strip()],
                      original=article_row(original) if original else None)

    @router.get("/docs", response_class=HTMLResponse)
    def docs(request: Request) -> Response:
        return render(request, "docs.html")

    @router.get("/favicon.ico")
    def favicon() -> Response:
        return RedirectResponse("/static/favicon.svg", status_code=308)

    return router

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
from starlette.concurrency import run_in_threadpool

from ..cluster.features import article_lead
from ..export import article_row, claim_export_row, highlight_html, search_row
from ..model import figure_label
from ..store import Store

# Imported here, when the server starts, not on the first event page: summarisation pulls in scikit-learn
# (over a second to import), and a page read runs on the event loop, where that would stall every connection.
from ..summarize.cached import event_summary, fingerprint, store_timeline
from ..summarize.summary import LLMConfig
from .chart import build_chart

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


def _headline(article: Any, limit: int = 110) -> str:
    """What to call an article (an ``Article`` or an exported row): its title, else its lead sentence cut at a
    word ("..."), else its id. Seed-style text files and many feeds carry no headline."""
    get = article.get if isinstance(article, dict) else lambda k: getattr(article, k, None)
    return get("title") or article_lead(article, limit) or get("id") or ""


def _figure(f: dict[str, Any]) -> str:
    """A claim's figure (as the export contract shows it) in words: "20 million USD", "~772 soldiers killed"."""
    return figure_label(f.get("value"), f.get("unit"), f.get("subject"), bool(f.get("approximate")))


env.filters["idpath"] = _idpath
env.filters["figure"] = _figure
env.filters["mark"] = _mark
env.filters["headline"] = _headline


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = env.get_template(template).render(request=request, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, status: int, error: str, detail: Any = None) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status, error=error,
                  detail=detail if isinstance(detail, str) else None)


MAX_STORY_EVENTS = 300


def _lede(text: str, limit: int = 320) -> str:
    first = next((p.strip() for p in text.split("\n\n") if p.strip()), "")
    return first if len(first) <= limit else first[:limit].rsplit(" ", 1)[0] + " …"


def _story_titles(store: Any, events: list[Any]) -> dict[str, str | None]:
    ids = [e.story_id for e in events if e.story_id]
    found = store.story_titles(ids)
    return {i: found.get(i) for i in ids}


def cached_summary(store: Any, event_id: str) -> list[Any] | None:
    """The event's cited summary from the store's cache when it is current (read-only), else None."""
    cached = store.get_event_summary(event_id)
    if cached is None:
        return None
    if cached[0] != fingerprint(store.event_member_ids(event_id), 4, LLMConfig.from_env()):
        return None
    return cached[1]


def fresh_summary(db_path: str, event_id: str) -> list[Any]:
    """Compute (and cache) the event's summary with a short-lived read-write connection."""
    with Store(db_path) as store:
        return event_summary(store, event_id) or []


def story_timeline(store: Any, story_id: str) -> list[dict[str, Any]]:
    """The storyline's dated timeline (the same entry point as `storyline timeline STORY_ID`)."""
    return store_timeline(store, story_id=story_id, dates=8, sentences=2)


def _form_date(name: str, value: str) -> date | None:
    """A date field of a form: empty means no filter."""
    from ..api import ApiError

    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ApiError(400, "bad request", f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def _qs(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


FLAGS_SHOWN = 8  # disagreements listed open on an event page; the rest behind "N more" (a big event has dozens)


def pages_router(pool: Any) -> APIRouter:
    from ..api import ApiError, date_range, encode_cursor, int_cursor, pair_cursor

    router = APIRouter(include_in_schema=False)
    for name in env.list_templates():  # compile every template now rather than during a first request
        env.get_template(name)

    @router.get("/search", response_class=HTMLResponse)
    async def search_page(
        request: Request,
        q: Annotated[str, Query(max_length=500)] = "",
        source: Annotated[str, Query(max_length=300)] = "",
        since: Annotated[str, Query(max_length=10)] = "",
        until: Annotated[str, Query(max_length=10)] = "",
        cursor: Annotated[str | None, Query(max_length=2000)] = None,
    ) -> Response:
        offset = int_cursor("search", cursor) or 0
        if offset > 10_000:
            raise ApiError(400, "bad cursor", "search pages stop after 10000 hits; narrow the query")
        lo, hi = date_range(_form_date("since", since), _form_date("until", until))
        limit = 20

        def read() -> Response:
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

        return await pool.run(read)

    @router.get("/articles/{article_id:path}", response_class=HTMLResponse)
    async def article_page(request: Request, article_id: str) -> Response:
        with pool.read() as store:
            article = store.get_article(article_id)
            original = store.get_article(article.duplicate_of) if article and article.duplicate_of else None
        if article is None:
            raise ApiError(404, "not found", f"no article with id {article_id!r}")
        return render(request, "article.html", a=article_row(article),
                      paragraphs=[p for p in article.text.split("\n\n") if p.strip()],
                      original=article_row(original) if original else None)

    @router.get("/", response_class=HTMLResponse)
    async def front_page(request: Request, cursor: Annotated[str | None, Query(max_length=2000)] = None) -> Response:
        after = pair_cursor("events", cursor)
        limit = 20
        with pool.read() as store:
            keys = store.event_page(after=after, limit=limit + 1)
            events = store.get_events([eid for _, eid in keys[:limit]])
            titles = _story_titles(store, events)
        next_url = "/?" + _qs(cursor=encode_cursor("events", list(keys[limit - 1][0]))) if len(keys) > limit else None
        return render(request, "index.html", events=events, story_titles=titles, next_url=next_url)

    @router.get("/stories", response_class=HTMLResponse)
    async def stories_page(request: Request, cursor: Annotated[str | None, Query(max_length=2000)] = None) -> Response:
        after = pair_cursor("stories", cursor)
        limit = 20
        with pool.read() as store:
            keys = store.story_page(after=after, limit=limit + 1)
            stories = [s for _, sid in keys[:limit] if (s := store.get_story(sid)) is not None]
        next_url = ("/stories?" + _qs(cursor=encode_cursor("stories", list(keys[limit - 1][0])))
                    if len(keys) > limit else None)
        return render(request, "stories.html", stories=stories, next_url=next_url)

    @router.get("/events/{event_id}", response_class=HTMLResponse)
    async def event_page(request: Request, event_id: str) -> Response:
        answer = await pool.run(event_answer, request, event_id, None)
        if answer is None:  # no current summary yet: computed and stored off the event loop, then the page
            summary = await run_in_threadpool(fresh_summary, pool.db_path, event_id)
            answer = await pool.run(event_answer, request, event_id, summary)
        return answer

    def event_answer(request: Request, event_id: str, summary: list[Any] | None) -> Response | None:
        """The event page, or None when the event's summary is not cached (and ``summary`` not given)."""
        with pool.read() as store:
            event = store.get_event(event_id)
            if event is None:
                raise ApiError(404, "not found", f"no event with id {event_id!r}")
            if event.id != event_id:
                return RedirectResponse(f"/events/{_idpath(event.id)}", status_code=308)
            if summary is None:
                summary = cached_summary(store, event.id)
                if summary is None:
                    return None
            articles = store.event_articles(event.id)
            story = store.get_story(event.story_id) if event.story_id else None
            said = store.event_who_said_what(event.id, with_ids=True)  # (the ids link each entity to its page)
        cite = {a.id: i for i, a in enumerate(articles, 1)}
        source_of = {a.id: a.source for a in articles}
        outlets: dict[str, list[dict[str, Any]]] = {}
        for a in articles:
            row = article_row(a)
            row["lede"] = _lede(a.text)
            outlets.setdefault(a.source or "unknown outlet", []).append(row)
        claims = [{**c, "source": source_of.get(c["article_id"])} for c in said["claims"]]
        disputed = {i for d in said["disagreements"] for i in d["claims"]}
        entities = said["entities"]
        return render(request, "event.html", ev=event, story=story, cite=cite,
                      titles={a.id: a.title for a in articles},
                      outlets=[{"name": k, "articles": v} for k, v in outlets.items()],
                      summary=summary or [], claims=claims, disagreements=said["disagreements"],
                      disputed=disputed, entities=entities, flags_shown=FLAGS_SHOWN)

    @router.get("/stories/{story_id}", response_class=HTMLResponse)
    def story_page(request: Request, story_id: str) -> Response:
        with pool.read() as store:
            story = store.get_story(story_id)
            if story is None:
                raise ApiError(404, "not found", f"no storyline with id {story_id!r}")
            if story.id != story_id:
                return RedirectResponse(f"/stories/{_idpath(story.id)}", status_code=308)
            events = [e for eid in story.event_ids[:MAX_STORY_EVENTS] if (e := store.get_event(eid)) is not None]
            volume = store.story_volume(story.id)
            timeline = story_timeline(store, story.id)
        chart = build_chart([{"id": e.id, "title": e.title, "start": e.start, "end": e.end,
                              "articles": len(e.article_ids)} for e in events], volume)
        return render(request, "story.html", story=story, events=list(reversed(events)), chart=chart,
                      timeline=timeline, story_titles={story.id: story.title})

    @router.get("/entities/{entity_id}", response_class=HTMLResponse)
    async def entity_page(request: Request, entity_id: str) -> Response:
        def read() -> Response:  # an entity named in many articles takes a while: see StorePool.run
            with pool.read() as store:
                entity = store.entity_info(entity_id)
                if entity is None:
                    raise ApiError(404, "not found", f"no entity with id {entity_id!r}")
                if entity["id"] != entity_id:  # merged into another: its page
                    return RedirectResponse(f"/entities/{_idpath(entity['id'])}", status_code=308)
                events = store.get_events([r["event_id"] for r in store.entity_events(entity_id, limit=30)])
                claims = [claim_export_row(c, ev)
                          for _, c, ev in store.claim_page(speaker_entity_id=entity_id, limit=50)]
                articles = [article_row(a) for a in store.get_articles(entity["article_ids"][:50])]
                titles = _story_titles(store, events)
            return render(request, "entity.html", entity=entity, events=events, claims=claims, articles=articles,
                          more_articles=max(0, len(entity["article_ids"]) - 50), story_titles=titles)

        return await pool.run(read)

    @router.get("/docs", response_class=HTMLResponse)
    async def docs(request: Request) -> Response:
        return render(request, "docs.html")

    @router.get("/favicon.ico")
    async def favicon() -> Response:
        return RedirectResponse("/static/favicon.svg", status_code=308)

    return router

"""The command-line face: parse arguments, call pipeline/store, format output. No logic lives here."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Iterator, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .export import ExportError, export
from .model import IngestProblem, figure_label
from .store import MigrationNeeded, Store, StoreError, default_db_path

app = typer.Typer(
    name="storyline",
    help="A self-hosted news event engine: ingest articles, drop wire copies, group reports into events and "
    "storylines, and explore them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True, highlight=False)

DbOption = Annotated[
    Optional[str],
    typer.Option("--db", help="SQLite database path [default: $STORYLINE_DB or ./storyline.db]", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of a table.")]


def fail(message: str, code: int = 2) -> None:
    err.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


@contextmanager
def open_store(db: str | None, *, readonly: bool = False, create: bool = True) -> Iterator[Store]:
    """The store at ``db`` (default: the configured one). A read-only view, or one that only caches what it
    reads (``create=False``), refuses a missing database rather than leave an empty one behind."""
    path = db or default_db_path()
    try:
        try:
            store = Store(path, readonly=readonly, create=create)
        except MigrationNeeded:  # a store of an older storyline: bring its schema up to date once, then read
            Store(path).close()
            store = Store(path, readonly=readonly)
    except StoreError as exc:
        fail(str(exc))
    try:
        yield store
    finally:
        store.close()


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush stays quiet."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        out.print(f"storyline {__version__}")
        raise typer.Exit()


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, http(s) URLs, or - for stdin.")],
    db: DbOption = None,
    source: Annotated[Optional[str], typer.Option("--source", help="Outlet name for inputs that carry none.")] = None,
    source_from_dir: Annotated[
        bool, typer.Option("--source-from-dir", help="Files naming no outlet get their folder's name as source.")
    ] = False,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow fetching URLs on loopback/private/link-local addresses.")
    ] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Articles per transaction.")] = 256,
    workers: Annotated[
        Optional[int],
        typer.Option("--workers", min=1,
                     help="Processes, this one included: N-1 analyse articles while it stores (default: one per core)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Read articles, clean them, mark wire copies, group them into events, and store everything."""
    from .pipeline import ingest as run_ingest

    def on_problem(problem: IngestProblem) -> None:
        if not as_json:
            # "warning: where: reason" (the problem's own text repeats a warning's severity after the place)
            err.print(f"{problem.severity}: {problem.where}: {problem.reason}", markup=False, highlight=False)

    with open_store(db) as store:
        progress = Progress(
            SpinnerColumn(), TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err, transient=True, disable=as_json or not err.is_terminal,
        )
        with progress:
            task = progress.add_task("ingest", total=None)
            report = run_ingest(
                inputs, store, source=source, source_from_dir=source_from_dir, allow_private=allow_private,
                stdin=sys.stdin.buffer,
                batch_size=batch_size, workers=workers, on_problem=on_problem,
                on_progress=lambda n: progress.advance(task, n),
            )
        if as_json:
            print_json(report.to_dict())
        else:
            out.print(report.summary_line(), markup=False, highlight=False)
    raise typer.Exit(0 if report.ok else 1)


@app.command("export")
def export_cmd(
    what: Annotated[str, typer.Option("--what", help="articles | events | stories | entities | claims")] = "articles",
    fmt: Annotated[str, typer.Option("--format", help="jsonl | csv | parquet")] = "jsonl",
    out_path: Annotated[Optional[str], typer.Option("--out", help="Write to FILE instead of stdout.")] = None,
    db: DbOption = None,
) -> None:
    """Export the store, one record per line (the stable export contract)."""
    with open_store(db, readonly=True) as store:
        try:
            if fmt == "parquet" or out_path is None:
                n = export(store, what, fmt, out=sys.stdout, path=out_path)
            else:
                with open(out_path, "w", encoding="utf-8", newline="") as fh:
                    n = export(store, what, fmt, out=fh)
        except ExportError as exc:
            fail(str(exc))
        except BrokenPipeError:  # `storyline export | head`: the reader has what it wanted
            _silence_stdout()
            raise typer.Exit(0)
        except OSError as exc:
            fail(f"{out_path or 'stdout'}: {exc.strerror or exc}")
    if out_path:
        err.print(f"wrote {n} {what} to {out_path}", markup=False, highlight=False)


@app.command()
def stats(db: DbOption = None, as_json: JsonOption = False) -> None:
    """What the store holds: articles, sources, wire copies, events, storylines."""
    with open_store(db, readonly=True) as store:
        data = store.stats()
    if as_json:
        print_json(data)
        return
    table = Table(title=f"storyline store {db or default_db_path()}", show_header=False)
    for key, value in data.items():
        if key != "sources":
            table.add_row(key.replace("_", " "), str(value))
    out.print(table)
    sources = Table("source", "articles", title="sources")
    for s in data["sources"]:
        sources.add_row(s["name"], str(s["articles"]))
    out.print(sources)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to look for in titles and texts.")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 20,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over articles (SQLite FTS5), best match first."""
    with open_store(db, readonly=True) as store:
        hits = store.search(query, limit=limit)
    if as_json:
        print_json(hits)
        return
    if not hits:
        err.print("no matches", markup=False)
        return
    table = Table("date", "source", "title", "snippet", "id")
    for h in hits:
        table.add_row(h["date"] or "", h["source"] or "", h["title"] or "", h["snippet"] or "", h["id"])
    out.print(table)


@app.command()
def entities(
    event: Annotated[Optional[str], typer.Option("--event", help="Only what this event's articles mention.")] = None,
    type_: Annotated[Optional[str], typer.Option("--type", help="PERSON | ORG | PLACE | MISC")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="At most this many.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Canonical entities (people, organisations, places) with every spelling seen, most-reported first."""
    with open_store(db, readonly=True) as store:
        rows = store.list_entities(event_id=event, type=type_, limit=limit)
    if as_json:
        print_json(rows)
        return
    if not rows:
        err.print("no entities", markup=False)
        return
    table = Table("type", "name", "aliases", "articles", "mentions", "id")
    for e in rows:
        table.add_row(e["type"], e["name"], "; ".join(a for a in e["aliases"] if a != e["name"]),
                      str(len(e["article_ids"])), str(e["mentions"]), e["id"])
    out.print(table)


@app.command()
def summary(
    event_id: Annotated[str, typer.Argument(help="The event's id.")],
    sentences: Annotated[int, typer.Option("--sentences", min=1, max=20, help="Summary length.")] = 4,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """A cited summary of one event: each sentence with the articles that state it."""
    from .summarize.cached import event_summary

    with open_store(db, create=False) as store:  # (read-write: the summary is cached)
        result = event_summary(store, event_id, sentences)
    if result is None:
        fail(f"no event {event_id!r}")
    if as_json:
        print_json([{"text": s.text, "article_ids": s.article_ids, "date": s.date} for s in result])
        return
    for s in result:
        out.print(f"{s.text}  [{', '.join(s.article_ids)}]", markup=False, highlight=False)


@app.command()
def timeline(
    story_id: Annotated[Optional[str], typer.Argument(help="A storyline id (or use --query / --all).")] = None,
    query: Annotated[
        Optional[str], typer.Option("--query", help="Timeline of the articles matching these words.")
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Timeline of every stored article.")] = False,
    dates: Annotated[int, typer.Option("--dates", min=1, help="How many dates.")] = 10,
    sentences: Annotated[int, typer.Option("--sentences", min=1, help="Sentences per date.")] = 2,
    since: Annotated[Optional[str], typer.Option("--since", help="First day, YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Last day, YYYY-MM-DD.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """A dated timeline: the most important days, each with what happened and who reported it."""
    from .summarize.cached import TimelineScopeError, store_timeline

    with open_store(db, readonly=True) as store:
        try:
            entries = store_timeline(store, story_id=story_id, query=query, everything=everything, dates=dates,
                                     sentences=sentences, since=since, until=until)
        except TimelineScopeError as exc:
            fail(str(exc))
    if as_json:
        print_json(entries)
        return
    if not entries:
        err.print("no dated sentences to build a timeline from", markup=False)
        return
    for e in entries:
        out.print(e["date"], style="bold", markup=False, highlight=False)
        for s in e["sentences"]:
            out.print(f"  - {s}", markup=False, highlight=False)
        out.print(f"    sources: {', '.join(e['article_ids'])}", markup=False, highlight=False)


@app.command()
def cluster(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Forget all events and storylines and cluster again.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Group stored articles into events and storylines (only the ones not clustered yet, unless --rebuild)."""
    from .pipeline import cluster as cluster_articles

    with open_store(db) as store:
        result = cluster_articles(store, rebuild=rebuild)
    if as_json:
        print_json(result)
        return
    err.print(f"clustered {result['clustered']} articles, {result['merges']} merges: {result['events']} events "
              f"in {result['stories']} storylines", markup=False, highlight=False)


def _rows_out(headers: list[str], rows: list[list[str]], title: str | None = None) -> None:
    """A rich table on a terminal, tab-separated plain text otherwise."""
    if out.is_terminal:
        table = Table(*headers, title=title)
        for r in rows:
            table.add_row(*r)
        out.print(table)
    else:
        sys.stdout.write("\t".join(headers) + "\n")
        for r in rows:
            sys.stdout.write("\t".join(c.replace("\t", " ").replace("\n", " ") for c in r) + "\n")


@app.command()
def events(
    story: Annotated[Optional[str], typer.Option("--story", help="Only this storyline's events.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Events still running on or after YYYY-MM-DD.")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="At most this many.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Events (one real-world happening each) in time order."""
    from .export import event_export_row as event_row

    with open_store(db, readonly=True) as store:
        rows = store.list_events(story_id=story, since=since, limit=limit)
    if as_json:
        print_json([event_row(e) for e in rows])
        return
    if not rows:
        err.print("no events", markup=False)
        return
    _rows_out(["start", "end", "articles", "sources", "title", "id", "story"],
              [[e.start or "", e.end or "", str(len(e.article_ids)), str(len(e.sources)), e.title or "", e.id,
                e.story_id or ""] for e in rows])


@app.command()
def stories(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Storylines (long-running threads of events), most recent first."""
    from .export import story_export_row as story_row

    with open_store(db, readonly=True) as store:
        rows = store.list_stories()
    if as_json:
        print_json([story_row(s) for s in rows])
        return
    if not rows:
        err.print("no storylines", markup=False)
        return
    _rows_out(["start", "end", "events", "title", "id"],
              [[s.start or "", s.end or "", str(len(s.event_ids)), s.title or "", s.id] for s in rows])


@app.command()
def show(
    event_id: Annotated[str, typer.Argument(help="The event's id (a merged-away id shows the event it joined).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One event: its dates, storyline and articles."""
    from .cluster.features import article_lead
    from .export import event_export_row as event_row

    with open_store(db, readonly=True) as store:
        event = store.get_event(event_id)
        if event is None:
            fail(f"no event {event_id!r}")
        assert event is not None
        articles = store.event_articles(event.id)
        story = store.get_story(event.story_id) if event.story_id else None
        who = store.event_who_said_what(event.id)
    if as_json:
        print_json({**event_row(event, who), "articles": [{"id": a.id, "date": a.date, "source": a.source,
                                                           "title": a.title, "duplicate_of": a.duplicate_of}
                                                          for a in articles]})
        return
    lines = [f"event    {event.id}" + (f" (asked for {event_id})" if event.id != event_id else ""),
             f"title    {event.title or ''}",
             f"dates    {event.start or '?'} .. {event.end or '?'}",
             f"story    {event.story_id or ''}" + (f"  {story.title}" if story and story.title else ""),
             f"sources  {', '.join(event.sources)}"]
    for line in lines:
        out.print(line, markup=False, highlight=False)
    _rows_out(["date", "source", "title", "id"],
              [[a.date or "", a.source or "",
                (a.title or article_lead(a, 80)) + (" (copy)" if a.duplicate_of else ""), a.id]
               for a in articles])
    _show_who_said_what(who)


def _show_who_said_what(who: dict[str, Any]) -> None:
    """The Entities, Claims and Disagreements sections of ``show`` (claims numbered for the disagreements)."""
    out.print(f"\nEntities ({len(who['entities'])})", markup=False, highlight=False)
    if who["entities"]:
        _rows_out(["type", "name", "aliases", "articles"],
                  [[e["type"], e["name"], ", ".join(a for a in e["aliases"] if a != e["name"]),
                    str(len(e["article_ids"]))] for e in who["entities"]])
    out.print(f"\nClaims ({len(who['claims'])})", markup=False, highlight=False)
    if who["claims"]:
        def figures(c: dict[str, Any]) -> str:
            return "; ".join(figure_label(f["value"], f["unit"], f["subject"], bool(f.get("approximate")))
                             for f in c["figures"])
        _rows_out(["#", "speaker", "verb", "claim", "figures", "article"],
                  [[str(i), c["speaker"] or "", ("denies" if c["polarity"] == "deny" and c["verb"] != "deny"
                                                 else c["verb"] or ""),
                    c["text"], figures(c), c["article_id"]] for i, c in enumerate(who["claims"])])
    out.print(f"\nDisagreements ({len(who['disagreements'])})", markup=False, highlight=False)
    for d in who["disagreements"]:
        claims = ", ".join(f"#{i}" for i in d["claims"])
        out.print(f"{d['kind']:<8} {claims}  {d.get('note') or ''}", markup=False, highlight=False)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port.")] = 8000,
    token: Annotated[
        Optional[str],
        typer.Option("--token", envvar="STORYLINE_TOKEN", show_envvar=True,
                     help="Bearer token that allows POST /api/v1/articles; without it the API is read-only."),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64,
                                         help="Server processes (e.g. one per core).")] = 1,
    cache_size: Annotated[int, typer.Option("--cache-size", min=0,
                                            help="Answers kept in memory per process (0: no cache).")] = 2048,
) -> None:
    """Serve the web UI and the JSON API (/api/v1, docs at /docs) until interrupted."""
    from .api import serve as run_server

    path = db or default_db_path()
    with open_store(path):  # create or migrate it, and fail cleanly when the path is unusable
        pass
    err.print(f"serving {path} on http://{host}:{port} with {workers} worker{'s' if workers > 1 else ''}  "
              f"(uploads {'enabled' if token else 'disabled: no --token'})", markup=False, highlight=False)
    run_server(path, host=host, port=port, token=token or None, workers=workers, cache_entries=cache_size)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()

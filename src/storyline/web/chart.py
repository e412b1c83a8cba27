"""Layout of the storyline timeline chart: events as bars over time (one lane each while they overlap) above
articles per day stacked by outlet. Pure geometry; ``templates/_chart.html`` draws it as SVG (autoescaped)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

WIDTH = 960
MARGIN_X = 12
LANE_H = 14
LANE_GAP = 5
MAX_LANES = 10
VOLUME_H = 110
AXIS_H = 22
TOP = 8
COLOURS = 8  # css classes c0..c7 for the top outlets, c8 for the rest


@dataclass
class Chart:
    width: int
    height: int
    events: list[dict[str, Any]] = field(default_factory=list)
    bars: list[dict[str, Any]] = field(default_factory=list)
    ticks: list[dict[str, Any]] = field(default_factory=list)
    legend: list[dict[str, Any]] = field(default_factory=list)
    volume_top: int = 0
    axis_y: int = 0
    first: str = ""
    last: str = ""


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def build_chart(events: list[dict[str, Any]], volume: list[dict[str, Any]]) -> Chart | None:
    """``events``: [{id, title, start, end, articles}], ``volume``: [{date, source, articles}]. None when nothing
    is dated."""
    days = [d for e in events for d in (_day(e.get("start")), _day(e.get("end"))) if d]
    days += [d for v in volume if (d := _day(v.get("date")))]
    if not days:
        return None
    d0, d1 = min(days), max(days)
    span = (d1 - d0).days + 1
    plot_w = WIDTH - 2 * MARGIN_X
    day_w = plot_w / span

    def x(d: date) -> float:
        return MARGIN_X + (d - d0).days * day_w

    # events: greedy lanes by start day
    lane_end: list[date] = []
    placed: list[dict[str, Any]] = []
    for e in sorted(events, key=lambda e: (e.get("start") or "", e.get("id") or "")):
        s = _day(e.get("start"))
        if s is None:
            continue
        t = _day(e.get("end")) or s
        if t < s:
            s, t = t, s
        lane = next((i for i, end in enumerate(lane_end) if end < s), None)
        if lane is None:
            lane = len(lane_end) if len(lane_end) < MAX_LANES else min(range(len(lane_end)), key=lane_end.__getitem__)
            if lane == len(lane_end):
                lane_end.append(t)
        lane_end[lane] = max(lane_end[lane], t)
        n = int(e.get("articles") or 0)
        span_text = s.isoformat() if s == t else f"{s.isoformat()} – {t.isoformat()}"
        placed.append({
            "id": e["id"],
            "x": round(x(s), 2),
            "y": TOP + lane * (LANE_H + LANE_GAP),
            "w": round(max(day_w * ((t - s).days + 1) - 1, 3), 2),
            "h": LANE_H,
            "tip": f"{e.get('title') or 'Untitled event'} — {span_text}, {n} article{'s' if n != 1 else ''}",
        })
    lanes = max(len(lane_end), 1)
    volume_top = TOP + lanes * (LANE_H + LANE_GAP) + 14

    # volume: stacked by outlet, top outlets get their own colour
    totals: dict[str, int] = {}
    for v in volume:
        totals[v["source"] or ""] = totals.get(v["source"] or "", 0) + int(v["articles"])
    ranked = sorted(totals, key=lambda s: (-totals[s], s))
    colour = {s: f"c{i}" for i, s in enumerate(ranked[:COLOURS])}
    per_day: dict[date, list[tuple[str, int]]] = {}
    for v in volume:
        d = _day(v["date"])
        if d is not None:
            per_day.setdefault(d, []).append((v["source"] or "", int(v["articles"])))
    peak = max((sum(n for _, n in items) for items in per_day.values()), default=1) or 1
    bars: list[dict[str, Any]] = []
    for d, items in sorted(per_day.items()):
        y = volume_top + VOLUME_H
        for source, n in sorted(items, key=lambda it: ranked.index(it[0])):
            h = VOLUME_H * n / peak
            y -= h
            bars.append({"x": round(x(d), 2), "y": round(y, 2), "w": round(max(day_w - 1, 1), 2), "h": round(h, 2),
                         "cls": colour.get(source, "c8"),
                         "tip": f"{d.isoformat()}: {n} article{'s' if n != 1 else ''} from {source or 'unknown'}"})
    legend = [{"name": s or "unknown", "cls": colour[s], "articles": totals[s]} for s in ranked[:COLOURS]]
    if len(ranked) > COLOURS:
        legend.append({"name": "other outlets", "cls": "c8", "articles": sum(totals[s] for s in ranked[COLOURS:])})

    axis_y = volume_top + VOLUME_H
    step = max(1, round(span / 6))
    ticks = []
    d = d0
    while d <= d1:
        ticks.append({"x": round(x(d), 2), "label": d.isoformat()})
        d += timedelta(days=step)
    return Chart(width=WIDTH, height=axis_y + AXIS_H, events=placed, bars=bars, ticks=ticks, legend=legend,
                 volume_top=volume_top, axis_y=axis_y, first=d0.isoformat(), last=d1.isoformat())

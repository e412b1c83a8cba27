"""SQL filter fragments shared by the store's listings."""

from __future__ import annotations

from typing import Any


def article_filters(
    *,
    since: str | None = None,
    until: str | None = None,
    source: str | None = None,
    story_id: str | None = None,
    event_id: str | None = None,
) -> tuple[list[str], list[Any]]:
    """WHERE conditions (and their parameters) on articles aliased ``a``: publication dates, outlet, storyline,
    event. Shared by every listing that filters through articles."""
    where: list[str] = []
    params: list[Any] = []
    for condition, value in (
        ("a.date >= ?", since),
        ("a.date <= ?", until),
        ("a.source_id = (SELECT id FROM sources WHERE name = ?)", source),
        ("a.story_id = ?", story_id),
        ("a.event_id = ?", event_id),
    ):
        if value:
            where.append(condition)
            params.append(value)
    return where, params

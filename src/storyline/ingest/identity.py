"""Stable article identity: a content hash, and an id when the input gave none (its URL, else the hash)."""

from __future__ import annotations

import dataclasses
import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..model import Article


def normalise_for_hash(text: str | None) -> str:
    """Case-folded text with all whitespace runs collapsed to one space."""
    return " ".join((text or "").casefold().split())


def content_hash(title: str | None, text: str | None) -> str:
    """sha1 hex of the normalised title and text."""
    payload = normalise_for_hash(title) + "\n" + normalise_for_hash(text)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, default port dropped, no fragment, no ``utm_*`` tracking parameters."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.scheme or not parts.netloc:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host
    if parts.username:
        netloc = parts.username + (":" + parts.password if parts.password else "") + "@" + host
    if ":" in host and not host.startswith("["):
        netloc = netloc.replace(host, f"[{host}]")
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc += f":{port}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not k.lower().startswith("utm_")]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def assign_identity(article: Article) -> Article:
    """Set ``content_hash``; give an id-less article its normalised URL as id, else ``sha1:`` + 16 hex digits."""
    h = content_hash(article.title, article.text)
    ident = (article.id or "").strip()
    if not ident:
        ident = normalise_url(article.url) if article.url and article.url.strip() else "sha1:" + h[:16]
    return dataclasses.replace(article, id=ident, content_hash=h)

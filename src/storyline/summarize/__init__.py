"""Cited event summaries and dated timelines."""

from .summary import LLMConfig, rewrite_abstractive, summarize_event
from .timeline import build_timeline

__all__ = ["LLMConfig", "build_timeline", "rewrite_abstractive", "summarize_event"]

"""Incremental event clustering and storyline linking (stable ids, merges recorded)."""

from .clusterer import STATE_VERSION, ClusterParams, Clusterer, ClusterUpdate

__all__ = ["STATE_VERSION", "ClusterParams", "ClusterUpdate", "Clusterer"]

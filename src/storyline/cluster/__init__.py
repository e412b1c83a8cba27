"""Incremental event clustering and storyline linking (stable ids, merges recorded)."""

from .clusterer import STATE_VERSION, ArticleFeatures, ClusterParams, Clusterer, ClusterUpdate, article_features

__all__ = ["STATE_VERSION", "ArticleFeatures", "ClusterParams", "ClusterUpdate", "Clusterer", "article_features"]

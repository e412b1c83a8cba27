"""Sentence vectors and similarity shared by the summariser and the timeline builder.

TF-IDF over content tokens (``enrich.sentences.content_tokens``), L2-normalised, so a dot product is a cosine.
Penn-Treebank bracket tokens (``-LRB-`` ...) and quote marks of pre-tokenised corpora are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from ..enrich.sentences import content_tokens

_PTB = frozenset({"lrb", "rrb", "lsb", "rsb", "lcb", "rcb"})
_PTB_DISPLAY = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
                "``": '"', "''": '"'}
_PTB_RE = re.compile(r"-LRB-|-RRB-|-LSB-|-RSB-|-LCB-|-RCB-|``|''")


def analyzer(text: str) -> list[str]:
    return [t for t in content_tokens(text) if t not in _PTB and not t.isdigit()]


def vectorize(texts: Sequence[str], *, min_df: int = 1) -> sparse.csr_matrix:
    """Rows: L2-normalised TF-IDF vectors (sublinear tf). Empty input gives a 0x0 matrix."""
    if not texts:
        return sparse.csr_matrix((0, 0))
    vec = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=min_df, norm="l2")
    try:
        return vec.fit_transform(texts).tocsr()
    except ValueError:  # no terms at all
        return sparse.csr_matrix((len(texts), 0))


def centroid(rows: sparse.csr_matrix) -> np.ndarray:
    """The normalised mean of the rows (a dense vector)."""
    if rows.shape[0] == 0 or rows.shape[1] == 0:
        return np.zeros(rows.shape[1])
    c = np.asarray(rows.mean(axis=0)).ravel()
    n = np.linalg.norm(c)
    return c / n if n > 0 else c


def tidy(text: str) -> str:
    """Display form of a sentence from a pre-tokenised corpus: brackets and quotes restored."""
    return _PTB_RE.sub(lambda m: _PTB_DISPLAY[m.group(0)], text)


def _stem_analyzer(text: str) -> list[str]:
    # truncation to six characters: a crude, language-light stemmer ("Ostravan"/"Ostrava", "talks"/"talked")
    return [t[:6] for t in analyzer(text)]


def overlap_vectors(texts: Sequence[str]) -> sparse.csr_matrix:
    """Rows: L2-normalised binary vectors of (stemmed) content words; their dot product is the set-overlap
    cosine, robust where TF-IDF weights are unreliable (a few sentences of one event, IDF of shared names)."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    if not texts:
        return sparse.csr_matrix((0, 0))
    try:
        m = CountVectorizer(analyzer=_stem_analyzer, binary=True).fit_transform(texts)
    except ValueError:
        return sparse.csr_matrix((len(texts), 0))
    return normalize(m.astype(float)).tocsr()


def overlap_similarity(texts: Sequence[str]) -> np.ndarray:
    """Dense pairwise set-overlap cosine (see ``overlap_vectors``)."""
    if not texts:
        return np.zeros((0, 0))
    m = overlap_vectors(texts)
    if m.shape[1] == 0:
        return np.eye(len(texts))
    return (m @ m.T).toarray()

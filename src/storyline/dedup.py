"""Wire-copy detection: exact duplicates by content hash, near duplicates by MinHash-LSH (datasketch).

Every article gets a MinHash signature over word 5-shingles of its normalised text (case-folded word tokens;
a shingle is hashed by mixing the crc32 of its words, vectorised with numpy, instead of sha1 per shingle);
signatures are returned as LeanMinHash bytes so the pipeline can store them and rebuild the index later with
``add_existing``. An article is a near duplicate when the estimated Jaccard similarity with an earlier article
(stored, or earlier in the batch) is at least ``threshold``; among such candidates the most similar wins, ties
going to the one added first. ``duplicate_of`` always names the original, never another copy. Texts under
``MIN_WORDS`` words are only matched exactly. Everything is deterministic (fixed seed, ordered candidates).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from .model import Article

MIN_WORDS = 8
# (num_perm, shingle_size, seed) of the default deduper: stored signatures are only comparable with these
DEFAULT_PARAMS = (128, 5, 1)
_PROTOTYPES: dict[tuple[int, int], MinHash] = {}


def _prototype(num_perm: int, seed: int) -> MinHash:
    """One MinHash per (num_perm, seed) whose permutations are shared by every signature (they are costly)."""
    key = (num_perm, seed)
    if key not in _PROTOTYPES:
        _PROTOTYPES[key] = MinHash(num_perm=num_perm, seed=seed)
    return _PROTOTYPES[key]


def _build_punct_table() -> dict[int, str]:
    import unicodedata

    table = {}
    for cp in range(0x3000):
        if unicodedata.category(chr(cp))[0] in "PSZC" and chr(cp) not in " ":
            table[cp] = " "
    return table


_PUNCT_TO_SPACE = _build_punct_table()


def _words(text: str) -> list[str]:
    """Case-folded words: punctuation, symbols and controls become spaces (str.translate: fast)."""
    return text.casefold().translate(_PUNCT_TO_SPACE).split()


_WORD_HASH: dict[str, int] = {}
_WORD_HASH_LIMIT = 1_000_000
# odd 64-bit multipliers, one per position in a shingle (fixed: signatures must stay comparable across runs)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
                dtype=np.uint64)


def _word_hashes(words: list[str]) -> np.ndarray:
    """crc32 of every word (cached: news vocabulary is small), as uint64."""
    cache = _WORD_HASH
    if len(cache) > _WORD_HASH_LIMIT:
        cache.clear()
    for w in set(words).difference(cache):
        cache[w] = zlib.crc32(w.encode("utf-8"))
    return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))


def _shingle_hashes(words: list[str], k: int) -> list[int]:
    """32-bit hashes of the word k-shingles (one shingle of all words when there are fewer than k)."""
    return _shingle_array(words, k).tolist()


def _shingle_array(words: list[str], k: int) -> np.ndarray:
    """``_shingle_hashes`` as a uint64 array."""
    if not words:
        return np.zeros(0, dtype=np.uint64)
    wh = _word_hashes(words)
    k = min(k, len(words), len(_MIX))
    n = len(words) - k + 1
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            acc += wh[j:j + n] * _MIX[j]
        acc ^= acc >> np.uint64(29)
        acc *= _MIX[0]
        acc ^= acc >> np.uint64(32)
    return acc & np.uint64(0xFFFFFFFF)


def signature_parts(text: str, num_perm: int = 128, shingle_size: int = 5, seed: int = 1) -> tuple[LeanMinHash, int]:
    """An article's MinHash signature and its word count: a pure function of the text, so the pipeline runs it
    in its per-article worker task and hands the result to ``Deduper.process``."""
    words = _words(text)
    shingles = _shingle_array(words, shingle_size)
    proto = _prototype(num_perm, seed)
    if shingles.size and _fast_ok(proto):
        values = _affine32_minhash(shingles, proto.permutations)
        return LeanMinHash(seed=seed, hashvalues=values, scheme=proto.scheme), len(words)
    return _minhash(shingles.tolist(), num_perm, seed), len(words)


def _affine32_minhash(shingles: np.ndarray, permutations: np.ndarray) -> np.ndarray:
    """The hash values ``MinHash.update_batch`` computes for the 'affine32' scheme with an identity hash
    function (MurmurHash3 finaliser, then h -> a*h + b mod 2^32 per permutation, minimum over the shingles),
    without its per-shingle Python loop. ``_fast_ok`` checks it against datasketch before it is used."""
    hv = shingles.astype(np.uint32)
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    hv = hv ^ (hv >> np.uint32(16))
    a, b = permutations
    return (hv[:, None] * a[None, :] + b[None, :]).min(axis=0)


_FAST_OK: dict[int, bool] = {}


def _fast_ok(proto: MinHash) -> bool:
    """Whether ``_affine32_minhash`` gives exactly datasketch's values for this prototype (checked once on a
    spread of shingle hashes; any other scheme or datasketch version falls back to ``update_batch``)."""
    key = id(proto)
    if key not in _FAST_OK:
        ok = getattr(proto, "scheme", None) == "affine32"
        if ok:
            try:
                sample = np.random.RandomState(7).randint(0, 1 << 32, 512, dtype=np.uint64)
                ok = bool(np.array_equal(_affine32_minhash(sample, proto.permutations),
                                         _minhash(sample.tolist(), len(proto), proto.seed).hashvalues))
            except Exception:
                ok = False
        _FAST_OK[key] = ok
    return _FAST_OK[key]


def _identity(x: int) -> int:
    return x


def _minhash(shingles: list[int], num_perm: int, seed: int) -> LeanMinHash:
    proto = _prototype(num_perm, seed)
    kwargs = {"scheme": proto.scheme} if hasattr(proto, "scheme") else {}
    m = MinHash(num_perm=num_perm, seed=seed, permutations=proto.permutations, hashfunc=_identity, **kwargs)
    if shingles:
        m.update_batch(shingles)
    return LeanMinHash(m)


def _to_bytes(lm: LeanMinHash) -> bytes:
    buf = bytearray(lm.bytesize(byteorder="<"))
    lm.serialize(buf, byteorder="<")
    return bytes(buf)


def _from_bytes(data: bytes) -> np.ndarray:
    return np.asarray(LeanMinHash.deserialize(data, byteorder="<").hashvalues, dtype=np.uint64)


class Deduper:
    def __init__(self, threshold: float = 0.65, num_perm: int = DEFAULT_PARAMS[0],
                 shingle_size: int = DEFAULT_PARAMS[1], seed: int = DEFAULT_PARAMS[2]) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.seed = seed
        # The default 0.65 (5-shingle Jaccard, estimated from 128 permutations: standard error ~0.04) catches
        # the usual wire-copy edits — a rewritten first sentence, a trimmed tail, an added closing line all
        # leave a 300-word story at 0.73-0.9 — while two independent reports of the same event share far
        # fewer 5-word runs (at most 0.05 between unrelated pairs of the sample corpus).
        # The LSH band threshold sits below the decision threshold so that pairs just above it are still
        # proposed as candidates (the S-curve of an LSH at t misses about half the pairs at t..t+0.05);
        # every candidate is then checked against ``threshold`` with the full signature.
        self._lsh = MinHashLSH(threshold=max(0.3, threshold - 0.2), num_perm=num_perm)
        self._values: dict[str, np.ndarray] = {}
        self._order: dict[str, int] = {}  # insertion order: "earliest" among equally similar candidates
        self._root: dict[str, str] = {}  # article id -> the original it copies (absent for originals)
        # earlier originals found to copy an even earlier one during ``process``: {old original: new original};
        # the pipeline re-points them (and their copies) in the store, then calls ``take_relinked``
        self.relinked: dict[str, str] = {}

    # ------------------------------------------------------------------------------------------ index

    def _insert(self, article_id: str, values: np.ndarray, lean: LeanMinHash | None = None) -> None:
        if article_id in self._order:
            return
        self._order[article_id] = len(self._order)
        self._values[article_id] = values
        if lean is None:
            lean = self._lean_from_values(values)
        self._lsh.insert(article_id, lean)

    def _lean_from_values(self, values: np.ndarray) -> LeanMinHash:
        proto = _prototype(self.num_perm, self.seed)
        kwargs = {"scheme": proto.scheme} if hasattr(proto, "scheme") else {}
        return LeanMinHash(MinHash(num_perm=self.num_perm, seed=self.seed, hashvalues=values,
                                   permutations=proto.permutations, **kwargs))

    def original(self, article_id: str) -> str:
        """Follow duplicate_of links to the original."""
        seen = {article_id}
        while article_id in self._root:
            article_id = self._root[article_id]
            if article_id in seen:  # a cycle in stored data: stop where we are
                break
            seen.add(article_id)
        return article_id

    def add_existing(self, article_id: str, signature: bytes, duplicate_of: str | None = None) -> None:
        """Add a stored article's signature (rebuilding the index from the store), with its duplicate link."""
        values = _from_bytes(signature)
        if len(values) != self.num_perm:
            raise ValueError(f"signature of {article_id!r} has {len(values)} values, expected {self.num_perm}")
        if duplicate_of and duplicate_of != article_id:
            self._root[article_id] = duplicate_of
        if values.any() and not (values == values[0]).all():  # not the empty-text signature
            self._insert(article_id, values)

    # ------------------------------------------------------------------------------------------ batch

    @property
    def params(self) -> tuple[int, int, int]:
        """(num_perm, shingle_size, seed): what ``signature_parts`` needs to make this deduper's signatures."""
        return self.num_perm, self.shingle_size, self.seed

    def _signature_parts(self, text: str) -> tuple[LeanMinHash, int]:
        return signature_parts(text, *self.params)

    def process(self, articles: Sequence[Article], known_hashes: dict[str, str],
                parts: Mapping[str, tuple[LeanMinHash, int]] | None = None) -> dict[str, bytes]:
        """Mark duplicates in ``articles`` (in place) and return every article's signature bytes.

        ``parts``: article id -> ``signature_parts(article.text, *self.params)`` computed beforehand (e.g. in a
        worker process, as the pipeline does); articles missing from it are signed here."""
        signatures: dict[str, bytes] = {}
        seen_hash: dict[str, str] = {}
        for a in articles:
            given = parts.get(a.id) if parts else None
            lean, n_words = given if given is not None else self._signature_parts(a.text or "")
            signatures[a.id] = _to_bytes(lean)
            values = np.asarray(lean.hashvalues, dtype=np.uint64)
            dup = None
            h = a.content_hash
            if h:
                if h in known_hashes and known_hashes[h] != a.id:
                    dup = known_hashes[h]
                elif h in seen_hash:
                    dup = seen_hash[h]
            if dup is None and n_words >= MIN_WORDS:
                dup = self._best_match(lean, values, a.id)
            if dup is not None:
                root = self.original(dup)
                if root != a.id:
                    a.duplicate_of = root
                    self._root[a.id] = root
            if h and h not in seen_hash:
                seen_hash[h] = a.id
            if n_words >= MIN_WORDS:
                self._insert(a.id, values, lean)
        if self.relinked:  # an original in this batch may have become a copy of an earlier one
            for a in articles:
                root = self.original(a.id)
                a.duplicate_of = root if root != a.id else None
        return signatures

    def _best_match(self, lean: LeanMinHash, values: np.ndarray, article_id: str) -> str | None:
        candidates = [c for c in self._lsh.query(lean) if c != article_id]
        if not candidates:
            return None
        candidates.sort(key=self._order.__getitem__)
        best, best_sim = None, -1.0
        roots: list[str] = []
        for c in candidates:
            sim = float(np.count_nonzero(self._values[c] == values)) / self.num_perm
            if sim >= self.threshold:
                roots.append(self.original(c))
                if sim > best_sim:
                    best, best_sim = c, sim
        # A copy that matches two articles that were each taken for an original shows they are one story
        # (e.g. two outlets each republished the agency piece, editing it differently, before it arrived):
        # the later-added original becomes a copy of the earliest, and so do its copies.
        distinct = sorted(set(roots), key=lambda r: self._order.get(r, -1))
        for other in distinct[1:]:
            if other != distinct[0] and other != article_id:
                self._root[other] = distinct[0]
                self.relinked[other] = distinct[0]
        return best

    def take_relinked(self) -> dict[str, str]:
        """The re-pointed originals since the last call, each mapped to its (final) original."""
        out = {old: self.original(new) for old, new in self.relinked.items()}
        self.relinked = {}
        return out

    @staticmethod
    def signature(text: str) -> bytes:
        """Signature bytes of ``text`` with the default parameters (128 permutations, 5-shingles, seed 1)."""
        return _to_bytes(_minhash(_shingle_hashes(_words(text), 5), 128, 1))

    @staticmethod
    def jaccard(sig_a: bytes, sig_b: bytes) -> float:
        """Estimated Jaccard similarity of two signatures."""
        a, b = _from_bytes(sig_a), _from_bytes(sig_b)
        if len(a) != len(b):
            raise ValueError("signatures of different sizes")
        return float(np.count_nonzero(a == b)) / len(a)


__all__ = ["DEFAULT_PARAMS", "Deduper", "MIN_WORDS", "signature_parts"]

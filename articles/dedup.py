"""Duplicate and near-duplicate fingerprints (pure Python + numpy, no Django).

Exact duplicates share a content hash of the cleaned text with whitespace
collapsed. Near-duplicates (a wire story republished with small edits) are
found with MinHash over word shingles and LSH banding: each article stores
BANDS band keys, and any article sharing one key is a candidate whose Jaccard
similarity is then estimated from the two signatures. Lookup is an indexed
equality query, so it scales with the number of candidates, not of articles.
"""

from __future__ import annotations

import functools
import hashlib
import re
import zlib

import numpy as np

from articles.cleaning import normalize_for_hash

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS  # 4 rows a band: candidate probability 0.998 at J=0.7, 0.12 at J=0.3
SHINGLE_WORDS = 4

_MAX_HASH = np.uint64((1 << 32) - 1)
_rng = np.random.RandomState(20240601)  # fixed: signatures are stored and compared across processes
_A = _rng.randint(0, 1 << 63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)  # odd multipliers
_B = _rng.randint(0, 1 << 63, size=NUM_PERM, dtype=np.uint64)
_MIX = np.uint64(1_000_003)  # odd multiplier combining word hashes into a shingle hash

_WORD = re.compile(r"\w+")


def content_hash(text: str) -> str:
    """Hash of the cleaned text, insensitive to whitespace differences."""
    return hashlib.sha256(normalize_for_hash(text).encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=1 << 18)
def _word_hash(word: str) -> int:
    # News vocabulary repeats: a cache hit is several times cheaper than encoding and hashing.
    return zlib.crc32(word.encode("utf-8"))


def shingles(text: str) -> np.ndarray:
    """Distinct 32-bit hashes of the text's overlapping SHINGLE_WORDS-word sequences."""
    words = _WORD.findall(text.casefold())
    if not words:
        return np.empty(0, dtype=np.uint64)
    # Hash each word once, then combine neighbours with numpy: hashing every
    # 4-word string in Python would cost four times as many calls.
    word_hashes = np.fromiter(map(_word_hash, words), dtype=np.uint64, count=len(words))
    if len(words) < SHINGLE_WORDS:
        combined = word_hashes[:1].copy()
        for h in word_hashes[1:]:
            combined = combined * _MIX + h
    else:
        n = len(words) - SHINGLE_WORDS + 1
        combined = np.zeros(n, dtype=np.uint64)
        for offset in range(SHINGLE_WORDS):
            combined = combined * _MIX + word_hashes[offset : offset + n]
    return np.unique(combined & _MAX_HASH)


def signature(text: str) -> np.ndarray:
    """MinHash signature (NUM_PERM uint32 values) of the text's word shingles."""
    values = shingles(text)
    if values.size == 0:
        return np.full(NUM_PERM, _MAX_HASH, dtype=np.uint32)
    # Multiply-shift hashing, one row per permutation: (a*x + b) mod 2**64,
    # keeping the high 32 bits (the well-mixed ones). No modulo: it is the cost.
    hashed = (np.outer(_A, values) + _B[:, None]) >> np.uint64(32)
    return hashed.min(axis=1).astype(np.uint32)


def signature_to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<u4")


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per LSH band (fits a BigIntegerField)."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].astype("<u4").tobytes()
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    if a.size != b.size or a.size == 0:
        return 0.0
    return float(np.count_nonzero(a == b)) / a.size

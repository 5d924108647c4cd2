"""Duplicate and near-duplicate fingerprints (pure Python + numpy, no Django).

Exact duplicates share a content hash of the cleaned text with whitespace
collapsed. Near-duplicates (a wire story republished with small edits) are
found with MinHash over word shingles and LSH banding: each article stores
BANDS band keys, and any article sharing one key is a candidate whose Jaccard
similarity is then estimated from the two signatures. Lookup is an indexed
equality query, so it scales with the number of candidates, not of articles.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib

import numpy as np

NUM_PERM = 100
BANDS = 20
ROWS = NUM_PERM // BANDS  # 5 rows a band: candidate probability 0.97 at J=0.7, 0.03 at J=0.3
SHINGLE_WORDS = 4

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_rng = np.random.RandomState(20240601)  # fixed: signatures are stored and compared across processes
_A = _rng.randint(1, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


def normalize_whitespace(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def content_hash(text: str) -> str:
    """Hash of the cleaned text, insensitive to whitespace differences."""
    return hashlib.sha256(normalize_whitespace(text).encode("utf-8")).hexdigest()


def shingles(text: str) -> set[int]:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        return {zlib.crc32(" ".join(words).encode("utf-8"))} if words else set()
    return {
        zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8"))
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def signature(text: str) -> np.ndarray:
    """MinHash signature (NUM_PERM uint32 values) of the text's word shingles."""
    values = np.fromiter(shingles(text), dtype=np.uint64)
    if values.size == 0:
        return np.full(NUM_PERM, _MAX_HASH, dtype=np.uint32)
    # Universal hashing (a*x + b) mod p, one row per permutation; uint64
    # wrap-around before the modulo is harmless for MinHash quality.
    hashed = (np.outer(_A, values) + _B[:, None]) % _MERSENNE & _MAX_HASH
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

"""Name keys: the same name written differently gets the same key (pure Python)."""

from __future__ import annotations

import re
import unicodedata

_HONORIFICS = re.compile(
    r"^(?:m|mm|mme|mmes|mlle|dr|pr|me|sm|sa|s\.m|s\.e|cheikh|cheick|general|colonel|president|ministre)\.?\s+",
)
_ARTICLES = re.compile(r"^(?:l'|l’|le |la |les )")
_NON_WORD = re.compile(r"[^\w]+")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def name_key(name: str) -> str:
    """« M. Mohamed Hassad » and « mohamed  HASSAD » -> "mohamed hassad"."""
    key = strip_accents(name).casefold().strip()
    key = _ARTICLES.sub("", key)
    while True:
        stripped = _HONORIFICS.sub("", key)
        if stripped == key:
            break
        key = stripped
    return _NON_WORD.sub(" ", key).strip()

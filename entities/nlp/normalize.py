"""Name keys: the same name written differently gets the same key (pure Python)."""

from __future__ import annotations

import functools
import re
import unicodedata

_HONORIFICS = re.compile(
    r"^(?:m|mm|mme|mmes|mlle|dr|pr|me|sm|sa|s\.m|s\.e|cheikh|cheick|general|colonel|president|ministre)\.?\s+",
)
_ARTICLES = re.compile(r"^(?:l'|l’|le |la |les )")
_NON_WORD = re.compile(r"[^\w]+")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)  # the linker asks for the same names many times per batch
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


# -- person names across spellings -------------------------------------------------------------------

# « bin », « ben », « ibn » (son of) are one word in every transliteration; « ould » stays itself
# (a Mauritanian « Ould » is part of the name as written).
_FILIATION = {"bin": "bin", "ben": "bin", "ibn": "bin", "bint": "bint"}
# Arabic article, written « Al- », « El- », « al », « el », « Al », or glued: left out of the comparison.
_ARTICLE_PARTICLES = frozenset({"al", "el", "ul", "l"})
# « Abdel Wahed », « Abdel-Ouahed », « Abdelouahed », « Abd al-Wahid »: a compound first name written
# in one or two words.
_JOINED_PREFIXES = frozenset({"abd", "abdel", "abdul", "abdal", "abdoul", "abou", "abu", "aboul", "abul"})
_HONORIFIC_WORDS = frozenset(
    {"m", "mm", "mme", "dr", "pr", "sm", "cheikh", "cheick", "sheikh", "emir", "prince", "princesse", "roi"}
)
_TOKEN_RE = re.compile(r"[^\W\d_]+")
_DOUBLES = re.compile(r"(.)\1+")


def _fold_word(word: str) -> str:
    """One transliterated word to a spelling-blind form: « Abdelouahed » and « Abdelwahed » -> "abdelwahed"."""
    word = re.sub(r"ou(?=[aeiy])", "w", word)  # « Ouahed » / « Wahed », « Youssef » keeps its « ou »
    word = word.replace("ou", "u").replace("kh", "k").replace("dh", "d").replace("th", "t").replace("q", "k")
    word = word.replace("ph", "f").replace("sh", "ch").replace("ee", "i").replace("y", "i")
    return _DOUBLES.sub(r"\1", word)


@functools.lru_cache(maxsize=65536)
def person_name_tokens(name: str) -> tuple[str, ...]:
    """The words of a person's name, spelling-blind, without honorifics or the Arabic article.

    « Cheikh Khalifa ben Hamad Al-Thani » -> ("kalifa", "bin", "hamad", "tani"); « Khalifa bin Hamad »
    -> ("kalifa", "bin", "hamad"); « Abdel Ouahed » and « Abdelwahed » -> ("abdlwahed",).
    """
    words = _TOKEN_RE.findall(strip_accents(name).casefold())
    while words and words[0] in _HONORIFIC_WORDS:
        words = words[1:]
    out: list[str] = []
    glue = ""
    for word in words:
        if word in _ARTICLE_PARTICLES:
            if glue:
                glue += "al"  # « Abd al-Wahid »
            continue
        if word in _FILIATION:
            out.append(_FILIATION[word])
            continue
        if word in _JOINED_PREFIXES:
            glue += word
            continue
        out.append(_fold_word(glue + word))
        glue = ""
    if glue:
        out.append(_fold_word(glue))
    # « Abdelwahed » and « Abdel Wahed » meet; « Abd al-Wahid » keeps its « al »: drop it inside too
    return tuple(re.sub(r"^(ab[du])(?:e|u)?l?a?l", r"\1l", w) if w.startswith(("abd", "abu")) else w for w in out)

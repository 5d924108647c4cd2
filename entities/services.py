"""Writes on extraction results.

Slow work (the NLP pipeline) happens before these are called, outside any
transaction; each function here writes in one short transaction.
"""

from __future__ import annotations

from django.db import transaction

from articles.services import article_mark_extracted
from entities.nlp import ExtractionResult


def extraction_store(*, article_id: int, result: ExtractionResult) -> bool:
    """Write one article's extraction result and mark it extracted.

    Returns False when the article is no longer ours to write (another
    worker finished it, or it was re-queued), in which case nothing is written.
    """
    with transaction.atomic():
        # Suggestions (mentions, dates, events of a new ExtractionRun) are
        # written here by the extraction issue, in this same transaction.
        return article_mark_extracted(article_id)

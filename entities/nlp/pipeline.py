"""The extraction pipeline: texts in, ExtractionResults out.

``extract_many`` is the single entry point the workers call. The spaCy model is
loaded once per process (the first call) and texts go through ``nlp.pipe`` in
batches; the project's own rules then fix entities, and find roles, dates and
events on each parsed document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from entities.nlp.types import ExtractionResult

PIPELINE_VERSION = "0-seam"


def extract_many(items: Iterable[tuple[str, dt.date | None]]) -> list[ExtractionResult]:
    return [ExtractionResult(pipeline_version=PIPELINE_VERSION) for _text, _published in items]

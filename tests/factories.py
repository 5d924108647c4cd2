"""Articles with known extraction results, stored through the real extraction service."""

from __future__ import annotations

from articles import services as article_services
from articles.models import Article
from entities import services
from entities.nlp.types import DateSpan, EntitySpan, EventArgument, EventSpan, ExtractionResult

TEXT = (
    "Le ministre Mohamed Hassad a reçu mardi à Rabat son homologue Fernando Grande-Marlaska. "
    "Mohamed Hassad a salué la coopération avec l'Espagne."
)


def _at(text: str, surface: str, nth: int = 0) -> int:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start


def claimed_for_extraction(owner, text: str, *, title: str = "Dépêche", **create) -> Article:
    """An article created by ``owner`` and claimed as a worker claims it, ready for ``extraction_store``.

    Not queued for the real pipeline: the extraction the test stores is the one it wants.
    """
    item = article_services.ArticleInput(text=text, title=title, location="test", **create)
    outcome = article_services.articles_ingest(actor=owner, inputs=[item], enqueue_extraction=False)[0]
    assert outcome.kind == "created", outcome.reason
    article = outcome.article
    Article.objects.filter(pk=article.pk).update(status=Article.Status.QUEUED)
    assert article_services.article_claim_for_extraction(article.pk)
    return article


def extracted(
    owner,
    *,
    text: str = TEXT,
    title: str = "Hassad reçoit Marlaska",
    entities: list[tuple[str, str, int]] | None = None,
    with_event: bool = True,
    **create,
) -> Article:
    """An article created by ``owner`` and extracted with the given (surface, label, occurrence) spans.

    By default: two PER mentions of Hassad, one of Marlaska, Rabat (GPE), a MEETING on « a reçu »
    with Hassad as actor and Marlaska as counterpart, and the date « mardi ».
    """
    article = claimed_for_extraction(owner, text, title=title, **create)
    if entities is None:
        entities = [
            ("Mohamed Hassad", "PER", 0),
            ("Rabat", "GPE", 0),
            ("Fernando Grande-Marlaska", "PER", 0),
            ("Mohamed Hassad", "PER", 1),
        ]
    spans = []
    for index, (surface, label, nth) in enumerate(entities):
        start = _at(text, surface, nth)
        group = next(i for i, e in enumerate(entities) if e[:2] == (surface, label))
        spans.append(EntitySpan(start, start + len(surface), surface, label, 0.4 + 0.1 * index, group, surface))
    dates, events = [], []
    if with_event and "a reçu" in text:
        day = text.index("mardi")
        dates.append(DateSpan(day, day + 5, "mardi", "2024-03-05", "day"))
        trigger = text.index("a reçu")
        sentence_end = text.index(".") + 1
        arguments = tuple(
            EventArgument(role, i) for i, role in ((0, "actor"), (2, "counterpart"), (1, "location")) if i < len(spans)
        )
        events.append(
            EventSpan(
                "MEETING", trigger, trigger + 6, "a reçu", 0, sentence_end, arguments, 0, "2024-03-05", "day", 0.9
            )
        )
    result = ExtractionResult(pipeline_version="test", entities=spans, dates=dates, events=events)
    services.extraction_store(article_id=article.pk, result=result)
    article.refresh_from_db()
    return article

"""Reads with rules on extraction results: what an export or a page shows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet

from articles.models import Article
from entities.models import Event, EventArgument, HeaderEntity, Mention, Role, Status


def _date_iso(value: str) -> str | None:
    return value or None


def articles_for_export(queryset: QuerySet[Article] | None = None) -> QuerySet[Article]:
    queryset = queryset if queryset is not None else Article.objects.all()
    live_mentions = Mention.objects.exclude(status=Status.REJECTED).select_related("entity").order_by("start", "end")
    live_events = (
        Event.objects.exclude(status=Status.REJECTED)
        .order_by("trigger_start")
        .prefetch_related(Prefetch("arguments", queryset=EventArgument.objects.select_related("mention")))
    )
    return (
        queryset.select_related("source")
        .prefetch_related(
            Prefetch("mentions", queryset=live_mentions),
            Prefetch("roles", queryset=Role.objects.exclude(status=Status.REJECTED).select_related("holder")),
            Prefetch("events", queryset=live_events),
            Prefetch("header_entities", queryset=HeaderEntity.objects.select_related("entity").order_by("field")),
        )
        .order_by("pk")
    )


def article_facts(article: Article) -> dict:
    """One article's facts in the export format (rejected suggestions left out)."""
    mentions = list(article.mentions.all())
    entities = {m.entity_id: m.entity for m in mentions if m.entity_id}
    # The dateline's place and the agency are the article's entities too, without offsets
    # (so without a mention): the export's shape stays the documented one.
    for h in article.header_entities.all():
        entities.setdefault(h.entity_id, h.entity)
    mention_entity = {m.pk: m.entity_id for m in mentions}
    return {
        "article": {
            "id": article.pk,
            "external_id": article.external_id or None,
            "title": article.title,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "source": article.source.name if article.source else None,
            "url": article.url or None,
            "status": article.status,
        },
        "entities": [{"id": e.pk, "name": e.name, "label": e.label, "aliases": e.aliases} for e in entities.values()],
        "mentions": [
            {
                "id": m.pk,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "label": m.label,
                "entity_id": m.entity_id,
                "status": m.status,
                "origin": m.origin,
                "confidence": m.confidence,
            }
            for m in mentions
        ],
        "roles": [
            {
                "entity_id": mention_entity.get(r.holder_id) if r.holder_id else None,
                "role": r.role,
                "of_entity_id": r.of_entity_id,
                "of_name": r.of_name or None,
            }
            for r in article.roles.all()
        ],
        "events": [
            {
                "id": e.pk,
                "type": e.type,
                "trigger": {"start": e.trigger_start, "end": e.trigger_end, "text": e.trigger_text},
                "date": _date_iso(e.date_value),
                "date_precision": e.date_precision or None,
                "location_id": e.location_id,
                "participants": [
                    {"entity_id": a.entity_id, "role": a.role} for a in e.arguments.all() if a.role != "location"
                ],
                "historical": e.historical,
                "cluster_id": e.cluster_id,
                "status": e.status,
                "origin": e.origin,
                "confidence": e.confidence,
            }
            for e in article.events.all()
        ],
    }


def iter_facts(queryset: QuerySet[Article] | None = None, chunk_size: int = 200) -> Iterator[dict]:
    articles: Iterable[Article] = articles_for_export(queryset).iterator(chunk_size=chunk_size)
    for article in articles:
        yield article_facts(article)


def article_suggestions(article: Article) -> dict:
    """What the extraction found in one article, for its page (rejected ones included, marked)."""
    return {
        "header": list(article.header_entities.select_related("entity").order_by("field")),
        "mentions": list(article.mentions.select_related("entity").order_by("start", "end")),
        "roles": list(article.roles.select_related("holder", "of_entity").order_by("start")),
        "dates": list(article.dates.order_by("start")),
        "events": list(
            article.events.order_by("trigger_start").prefetch_related(
                Prefetch("arguments", queryset=EventArgument.objects.select_related("mention"))
            )
        ),
    }

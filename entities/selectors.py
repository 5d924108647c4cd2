"""Reads with rules on extraction results: what an export or a page shows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from articles.models import Article, AuditEntry
from entities.highlight import Highlight, highlight
from entities.models import Claim, Event, EventArgument, HeaderEntity, Mention, Role, Status


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
            Prefetch("claims", queryset=Claim.objects.exclude(status=Status.REJECTED).order_by("sentence_start", "pk")),
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
            # the instant in TIME_ZONE: its first ten characters are the day of publication
            "published_at": timezone.localtime(article.published_at).isoformat() if article.published_at else None,
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
        "claims": [
            {
                "kind": c.kind,
                "predicate": c.predicate,
                "subject_id": c.subject_id,
                "object_id": c.object_id,
                "date": c.date_value or None,
                "date_precision": c.date_precision or None,
                "event_id": c.event_id,
                "sentence": {"start": c.sentence_start, "end": c.sentence_end},
                "status": c.status,
                "origin": c.origin,
                "confidence": c.confidence,
            }
            for c in article.claims.all()
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


# ---------------------------------------------------------------------------
# The review page


def review_context(article: Article) -> dict:
    """Everything the review page shows of one article, in a fixed number of queries."""
    mentions = list(article.mentions.select_related("entity").order_by("start", "end"))
    events = list(
        article.events.select_related("location")
        .order_by("trigger_start")
        .prefetch_related(
            Prefetch("arguments", queryset=EventArgument.objects.select_related("mention", "entity").order_by("role"))
        )
    )
    dates = list(article.dates.order_by("start"))
    roles = list(article.roles.select_related("holder", "of_entity").order_by("start"))
    text = article.text
    spans = [
        Highlight(
            m.start,
            m.end,
            "mention",
            m.pk,
            f"hl-{m.label} st-{m.status}",
            f"{m.label} · {m.get_status_display()}" + (f" · {m.entity.name}" if m.entity_id else ""),
            m.label,
        )
        for m in mentions
    ]
    spans += [
        Highlight(e.trigger_start, e.trigger_end, "event", e.pk, f"st-{e.status}", f"{e.get_type_display()}")
        for e in events
    ]
    spans += [Highlight(d.start, d.end, "date", d.pk, f"st-{d.status}", f"date {d.value}") for d in dates]
    for e in events:
        e.sentence = (
            text[e.sentence_start : e.trigger_start],
            text[e.trigger_start : e.trigger_end],
            text[e.trigger_end : e.sentence_end],
        )
    pending = sum(1 for m in mentions if m.status == Status.SUGGESTED) + sum(
        1 for e in events if e.status == Status.SUGGESTED
    )
    return {
        "highlighted": highlight(text, spans),
        "mentions": mentions,
        "events": events,
        "dates": dates,
        "roles": roles,
        "header": list(article.header_entities.select_related("entity").order_by("field")),
        "pending": pending,
        "places": [m for m in mentions if m.label in ("GPE", "LOC") and m.entity_id and m.status != Status.REJECTED],
    }


_VERBS = {
    "mention.accepted": "a accepté la mention",
    "mention.rejected": "a rejeté la mention",
    "mention.correct": "a corrigé la mention",
    "mention.add": "a ajouté la mention",
    "mention.link": "a lié la mention",
    "event.accepted": "a accepté l'événement",
    "event.rejected": "a rejeté l'événement",
    "event.update": "a modifié l'événement",
    "event.argument_add": "a ajouté un argument à l'événement",
    "event.argument_remove": "a retiré un argument de l'événement",
    "date.accepted": "a accepté la date",
    "role.accepted": "a accepté la fonction",
    "article.reviewed": "a marqué l'article relu",
    "article.reopen": "a rouvert l'article",
    "article.claim": "a pris l'article en relecture",
    "article.release": "a rendu l'article",
    "article.create": "a ajouté l'article",
    "article.requeue": "a relancé l'extraction",
    "article.reextract": "a relancé l'extraction",
    "entity.merge": "a fusionné l'entité",
    "entity.unmerge": "a séparé l'entité",
    "entity.judge": "a jugé la paire d'entités",
    "cluster.confirm": "a confirmé le groupe d'événements",
    "cluster.detach": "a détaché l'événement de son groupe",
    "cluster.attach": "a rattaché l'événement au groupe",
    "cluster.merge": "a fusionné le groupe d'événements",
}


def describe(entry: AuditEntry) -> str:
    """One audit row as a sentence for the analyst (without the actor)."""
    action = entry.action
    prefix = ""
    if action.startswith("undo."):
        prefix, action = "a annulé : ", action[len("undo.") :]
    verb = _VERBS.get(action, action)
    if prefix:
        verb = verb.removeprefix("a ")
    before, after = entry.before or {}, entry.after or {}
    state = after or before
    detail = ""
    if entry.object_type == "mention":
        detail = f" « {state.get('text', '')} » ({state.get('label', '')})"
        if action == "mention.correct" and before:
            detail = (
                f" « {before.get('text')} » ({before.get('label')}) → « {after.get('text')} » ({after.get('label')})"
            )
        elif action == "mention.link":
            detail += f" à l'entité « {after.get('entity_name') or before.get('entity_name') or '?'} »"
    elif entry.object_type == "event":
        detail = f" « {state.get('trigger_text', '')} »"
        changes = [
            f"{name} {before.get(key) or '—'} → {after.get(key) or '—'}"
            for key, name in (("type", "type"), ("date_value", "date"), ("location", "lieu"))
            if before and after and before.get(key) != after.get(key)
        ]
        if changes:
            detail += " (" + ", ".join(changes) + ")"
    elif entry.object_type in ("date", "role"):
        detail = f" « {before.get('text', '')} »"
    elif entry.object_type == "cluster":
        detail = f" n° {entry.object_id}"
    elif entry.object_type == "entity" and action in ("entity.merge", "entity.unmerge"):
        source, target = after.get("source") or {}, after.get("target") or {}
        joint = " dans " if action == "entity.merge" else " de "
        detail = f" « {source.get('name', '?')} »{joint}« {target.get('name', '?')} »"
    return f"{prefix}{verb}{detail}"


def article_history(article: Article) -> list[AuditEntry]:
    entries = list(AuditEntry.objects.filter(article=article).select_related("actor").order_by("-created_at", "-id"))
    for entry in entries:
        entry.description = describe(entry)
    return entries

"""Writes on extraction results and on analysts' decisions about them.

Slow work (the NLP pipeline) happens before ``extraction_store`` is called,
outside any transaction; each function here writes in one short transaction.

The rule that protects analysts' work (DESIGN.md): a new run replaces only the
earlier runs' *unreviewed* suggestions. Accepted, corrected and analyst-added
facts stay, and a suggestion that a person rejected, or corrected away, is not
proposed again, not even shifted by a few characters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article, AuditEntry
from articles.services import article_mark_extracted
from entities.models import DateMention, Entity, Event, EventArgument, ExtractionRun, Mention, Origin, Role, Status
from entities.nlp.normalize import name_key
from entities.nlp.types import ExtractionResult


class ReviewError(Exception):
    """A decision that cannot be applied; the message is for the analyst."""


@dataclass(frozen=True)
class _Block:
    start: int
    end: int
    label: str

    def overlaps(self, start: int, end: int, label: str) -> bool:
        return label == self.label and start < self.end and self.start < end


def _mention_blocks(article: Article) -> list[_Block]:
    """Spans where a person already decided something, under the labels concerned."""
    blocks = []
    for m in Mention.objects.filter(article=article).exclude(origin=Origin.MODEL, status=Status.SUGGESTED):
        blocks.append(_Block(m.start, m.end, m.label))
        if m.suggested_start is not None:
            blocks.append(_Block(m.suggested_start, m.suggested_end, m.suggested_label or m.label))
    return blocks


def _resolve_entities(result: ExtractionResult, needed: set[int]) -> dict[int, Entity]:
    """One Entity per needed within-article group, found again by label and name key, else created."""
    groups: dict[int, tuple[str, str, set[str]]] = {}
    for span in result.entities:
        if span.group not in needed:
            continue
        name, label, aliases = groups.get(span.group, (span.canonical, span.label, set()))
        aliases |= {span.text, *span.aliases}
        groups[span.group] = (name, label, aliases)
    wanted = {(label, name_key(name)): (name, aliases) for name, label, aliases in groups.values() if name_key(name)}
    existing: dict[tuple[str, str], Entity] = {}
    for entity in Entity.objects.filter(key__in={k for _, k in wanted}, merged_into=None):
        existing.setdefault((entity.label, entity.key), entity)
    missing = [
        Entity(name=name[:300], label=label, key=key[:300], aliases=sorted(a for a in aliases if a != name))
        for (label, key), (name, aliases) in wanted.items()
        if (label, key) not in existing
    ]
    for entity in Entity.objects.bulk_create(missing):
        existing[(entity.label, entity.key)] = entity
    return {group: existing[(label, name_key(name))] for group, (name, label, _) in groups.items() if name_key(name)}


def extraction_store(
    *, article_id: int, result: ExtractionResult, started_at: dt.datetime | None = None, duration_ms: int = 0
) -> ExtractionRun | None:
    """Write one article's extraction as a new run and mark the article extracted.

    Returns None, writing nothing, when the article is no longer this worker's
    to write (another worker finished it, or it was re-queued meanwhile).
    """
    with transaction.atomic():
        # Locking the article serialises this write with analysts' decisions on it.
        article = Article.objects.select_for_update().only("id", "status").filter(pk=article_id).first()
        if article is None or article.status != Article.Status.EXTRACTING:
            return None
        run = ExtractionRun.objects.create(
            article=article,
            pipeline_version=result.pipeline_version[:60],
            started_at=started_at or timezone.now(),
            duration_ms=duration_ms,
        )
        # An article's first run has nothing to replace and no decision to respect:
        # skip those reads (most of the store's queries on a bulk import).
        fresh = not (
            ExtractionRun.objects.filter(article=article).exclude(pk=run.pk).exists()
            or Mention.objects.filter(article=article).exists()
            or Event.objects.filter(article=article).exists()
        )
        if not fresh:
            for model in (Mention, Role, DateMention, Event):
                model.objects.filter(article=article, origin=Origin.MODEL, status=Status.SUGGESTED).delete()

        mentions = _store_mentions(article, run, result, fresh)
        dates = _store_dates(article, run, result, fresh)
        _store_roles(article, run, result, mentions, fresh)
        events = _store_events(article, run, result, mentions, dates, fresh)
        ExtractionRun.objects.filter(pk=run.pk).update(
            mention_count=sum(m is not None and m.run_id == run.pk for m in mentions.values()), event_count=events
        )
        article_mark_extracted(article.pk)
    return run


def _store_mentions(
    article: Article, run: ExtractionRun, result: ExtractionResult, fresh: bool
) -> dict[int, Mention | None]:
    """Create the run's mention suggestions; returns, per entity index, the mention standing for it."""
    blocks = [] if fresh else _mention_blocks(article)
    kept = {} if fresh else {(m.start, m.end, m.label): m for m in Mention.objects.filter(article=article)}
    by_index: dict[int, Mention | None] = {}
    new: list[tuple[Mention, int]] = []
    seen: set[tuple[int, int, str]] = set()
    for index, span in enumerate(result.entities):
        key = (span.start, span.end, span.label)
        if key in kept:  # a person decided on this very span: it stands for the entity
            by_index[index] = kept[key] if kept[key].status != Status.REJECTED else None
            continue
        if key in seen or any(b.overlaps(*key) for b in blocks):
            by_index[index] = None
            continue
        seen.add(key)
        mention = Mention(
            article=article,
            start=span.start,
            end=span.end,
            text=span.text[:500],
            label=span.label,
            confidence=round(span.confidence, 3),
            run=run,
        )
        new.append((mention, span.group))
        by_index[index] = mention
    # Entities only for groups that still have a mention: a blocked suggestion creates nothing.
    entities = _resolve_entities(result, {group for _, group in new})
    for mention, group in new:
        mention.entity = entities.get(group)
    Mention.objects.bulk_create([mention for mention, _ in new])
    return by_index


def _store_dates(
    article: Article, run: ExtractionRun, result: ExtractionResult, fresh: bool
) -> dict[int, DateMention | None]:
    kept = {} if fresh else {(d.start, d.end): d for d in DateMention.objects.filter(article=article)}
    by_index: dict[int, DateMention | None] = {}
    new = []
    for index, span in enumerate(result.dates):
        if (span.start, span.end) in kept:
            existing = kept[(span.start, span.end)]
            by_index[index] = existing if existing.status != Status.REJECTED else None
            continue
        date = DateMention(
            article=article,
            start=span.start,
            end=span.end,
            text=span.text[:300],
            value=span.value,
            precision=span.precision,
            end_value=span.end_value or "",
            confidence=round(span.confidence, 3),
            run=run,
        )
        kept[(span.start, span.end)] = date
        new.append(date)
        by_index[index] = date
    DateMention.objects.bulk_create(new)
    return by_index


def _store_roles(article: Article, run: ExtractionRun, result: ExtractionResult, mentions: dict, fresh: bool) -> None:
    taken = set() if fresh else set(Role.objects.filter(article=article).values_list("start", "end"))
    new = []
    for span in result.roles:
        if (span.start, span.end) in taken:
            continue
        taken.add((span.start, span.end))
        holder = mentions.get(span.holder) if span.holder is not None else None
        of = mentions.get(span.of) if span.of is not None else None
        new.append(
            Role(
                article=article,
                start=span.start,
                end=span.end,
                text=span.text[:500],
                role=span.role[:300],
                holder=holder,
                of_entity=of.entity if of is not None else None,
                of_name=(span.of_name or "")[:200],
                confidence=round(span.confidence, 3),
                run=run,
            )
        )
    Role.objects.bulk_create(new)


def _store_events(
    article: Article, run: ExtractionRun, result: ExtractionResult, mentions: dict, dates: dict, fresh: bool
) -> int:
    decided = [] if fresh else list(Event.objects.filter(article=article))
    new: list[tuple[Event, list]] = []
    for span in result.events:
        if any(
            e.type == span.type and span.trigger_start < e.trigger_end and e.trigger_start < span.trigger_end
            for e in decided
        ):
            continue  # a person decided on this event (or the run repeats itself)
        location = next((mentions.get(a.entity) for a in span.arguments if a.role == "location"), None)
        event = Event(
            article=article,
            type=span.type,
            trigger_start=span.trigger_start,
            trigger_end=span.trigger_end,
            trigger_text=span.trigger_text[:300],
            sentence_start=span.sentence_start,
            sentence_end=span.sentence_end,
            date=dates.get(span.date) if span.date is not None else None,
            date_value=span.date_value or "",
            date_precision=span.date_precision or "",
            location=location.entity if location is not None else None,
            historical=span.historical,
            confidence=round(span.confidence, 3),
            run=run,
        )
        decided.append(event)
        new.append((event, span.arguments))
    Event.objects.bulk_create([e for e, _ in new])
    arguments = []
    for event, spans in new:
        seen = set()
        for argument in spans:
            mention = mentions.get(argument.entity)
            if mention is None or (argument.role, mention.pk) in seen:
                continue
            seen.add((argument.role, mention.pk))
            arguments.append(EventArgument(event=event, role=argument.role, entity=mention.entity, mention=mention))
    EventArgument.objects.bulk_create(arguments)
    return len(new)


# ---------------------------------------------------------------------------
# Analysts' decisions on mentions (the review queue builds on these)


def _snapshot(mention: Mention) -> dict:
    return {
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "label": mention.label,
        "status": mention.status,
        "entity": mention.entity_id,
    }


def _audit(actor: AbstractBaseUser, action: str, mention: Mention, before: dict | None) -> None:
    AuditEntry.objects.create(
        actor=actor,
        action=action,
        article_id=mention.article_id,
        object_type="mention",
        object_id=str(mention.pk),
        before=before,
        after=_snapshot(mention),
    )


def mention_decide(*, actor: AbstractBaseUser, mention: Mention, status: str) -> Mention:
    """Accept or reject a suggestion."""
    if status not in (Status.ACCEPTED, Status.REJECTED):
        raise ReviewError(f"unknown decision {status!r}")
    with transaction.atomic():
        mention = Mention.objects.select_for_update().get(pk=mention.pk)
        before = _snapshot(mention)
        mention.status, mention.decided_by, mention.decided_at = status, actor, timezone.now()
        mention.save(update_fields=["status", "decided_by", "decided_at"])
        _audit(actor, f"mention.{status}", mention, before)
    return mention


def mention_correct(*, actor: AbstractBaseUser, mention: Mention, start: int, end: int, label: str) -> Mention:
    """Fix a suggestion's span or label; the model's version is remembered and not proposed again."""
    with transaction.atomic():
        mention = Mention.objects.select_for_update().select_related("article").get(pk=mention.pk)
        text = mention.article.text
        if not (0 <= start < end <= len(text)):
            raise ReviewError("the span must lie inside the article text")
        before = _snapshot(mention)
        if mention.suggested_start is None and mention.origin == Origin.MODEL:
            mention.suggested_start, mention.suggested_end, mention.suggested_label = (
                mention.start,
                mention.end,
                mention.label,
            )
        mention.start, mention.end, mention.label, mention.text = start, end, label, text[start:end][:500]
        mention.status, mention.decided_by, mention.decided_at = Status.CORRECTED, actor, timezone.now()
        mention.save()
        _audit(actor, "mention.correct", mention, before)
    return mention


def mention_add(*, actor: AbstractBaseUser, article: Article, start: int, end: int, label: str) -> Mention:
    """An analyst adds a mention the model missed."""
    with transaction.atomic():
        text = Article.objects.select_for_update().values_list("text", flat=True).get(pk=article.pk)
        if not (0 <= start < end <= len(text)):
            raise ReviewError("the span must lie inside the article text")
        if Mention.objects.filter(article=article, start=start, end=end, label=label).exists():
            raise ReviewError("this mention already exists")
        mention = Mention.objects.create(
            article=article,
            start=start,
            end=end,
            text=text[start:end][:500],
            label=label,
            origin=Origin.ANALYST,
            status=Status.ACCEPTED,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        _audit(actor, "mention.add", mention, None)
    return mention

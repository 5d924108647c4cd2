"""Reads for the entity pages, the co-occurrence graph and the merge queue.

Every function here runs a fixed number of queries, whatever the number of mentions, roles or
events of the entity: groups are built in Python from one query each, never one query per row.
Rejected suggestions are left out everywhere (an analyst said they are wrong).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from entities.models import (
    Entity,
    EntityCandidate,
    EntityMerge,
    Event,
    EventArgument,
    Judgement,
    Mention,
    Role,
    Status,
)

LIVE = (Status.SUGGESTED, Status.ACCEPTED, Status.CORRECTED)
# How far the context of a mention reaches on either side when no sentence boundary is found.
CONTEXT_CHARS = 240
# A sentence ends at a line break, or at . ! ? … after two word characters and before a space:
# « M. Hassad » and « U.S. » do not end a sentence.
_BOUNDARY = re.compile(r"(?<=[^\W\d_]{2}[.!?…])\s+|(?<=[»\")][.!?])\s+|\n\s*")
# A chain of merges longer than this is a loop in corrupted data, not a real history.
MAX_MERGE_CHAIN = 50


# ---------------------------------------------------------------------------
# Sentences around mentions


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int, bool, bool]:
    """The sentence of ``text`` holding [start, end): (left, right, cut on the left, cut on the right).

    At most CONTEXT_CHARS either side of the span: a sentence longer than that is cut.
    """
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    low = max(0, start - CONTEXT_CHARS)
    left, cut_left = low, low > 0
    for match in _BOUNDARY.finditer(text, low, start):
        left, cut_left = match.end(), False
    high = min(len(text), end + CONTEXT_CHARS)
    match = _BOUNDARY.search(text, end, high)
    right, cut_right = (match.start(), False) if match else (high, high < len(text))
    return left, right, cut_left, cut_right


def marked_sentence(text: str, bounds: tuple[int, int, bool, bool], spans: Iterable[tuple[int, int]]) -> SafeString:
    """The sentence with each span in <mark>; every piece of the (untrusted) text is escaped."""
    left, right, cut_left, cut_right = bounds
    parts = ["…" if cut_left else ""]
    at = left
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, right)
        if end <= start:
            continue
        parts.append(format_html("{}<mark>{}</mark>", text[at:start], text[start:end]))
        at = end
    parts.append(format_html("{}", text[at:right]))
    parts.append("…" if cut_right else "")
    return mark_safe("".join(str(p) for p in parts))  # every piece of text went through format_html


@dataclass
class SentenceMentions:
    sentence: SafeString
    mentions: list[Mention]


@dataclass
class ArticleMentions:
    article: Article
    sentences: list[SentenceMentions] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(s.mentions) for s in self.sentences)


def _group_by_sentence(article: Article, mentions: Sequence[Mention]) -> ArticleMentions:
    """One article's mentions, those of one sentence shown once with all of them marked."""
    text = article.text
    by_bounds: dict[tuple[int, int, bool, bool], list[Mention]] = {}
    for m in mentions:
        by_bounds.setdefault(sentence_bounds(text, m.start, m.end), []).append(m)
    group = ArticleMentions(article)
    for bounds, ms in sorted(by_bounds.items()):
        group.sentences.append(SentenceMentions(marked_sentence(text, bounds, [(m.start, m.end) for m in ms]), ms))
    return group


def mention_groups(entity_id: int, articles: Sequence[Article]) -> list[ArticleMentions]:
    """The entity's live mentions in ``articles`` (texts loaded), grouped by article then sentence. One query."""
    if not articles:
        return []
    rows: dict[int, list[Mention]] = {}
    mentions = (
        Mention.objects.filter(entity_id=entity_id, article_id__in=[a.pk for a in articles], status__in=LIVE)
        .only("pk", "article_id", "start", "end", "text", "label", "status", "origin", "entity_id")
        .order_by("article_id", "start", "end")
    )
    for m in mentions:
        rows.setdefault(m.article_id, []).append(m)
    return [_group_by_sentence(a, rows[a.pk]) for a in articles if a.pk in rows]


# ---------------------------------------------------------------------------
# The entity page


def entity_survivor(entity: Entity) -> Entity:
    """The entity that ``entity`` was (perhaps through several merges) merged into; itself if none."""
    seen = {entity.pk}
    while entity.merged_into_id and len(seen) < MAX_MERGE_CHAIN:
        entity = Entity.objects.get(pk=entity.merged_into_id)
        if entity.pk in seen:
            break
        seen.add(entity.pk)
    return entity


def entity_articles(entity_id: int) -> QuerySet[Article]:
    """The articles with a live mention of the entity, latest publication first (texts included)."""
    live = Mention.objects.filter(entity_id=entity_id, article_id=OuterRef("pk"), status__in=LIVE)
    return (
        Article.objects.filter(Exists(live))
        .only("pk", "title", "published_at", "published_precision", "published_inferred", "text")
        .order_by(F("published_at").desc(nulls_last=True), "-pk")
    )


@dataclass
class RoleHeld:
    role: str
    of_entity_id: int | None
    of_name: str
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    articles: list[dict] = field(default_factory=list)  # the first ROLE_ARTICLES, by publication
    article_ids: set[int] = field(default_factory=set)

    @property
    def more_articles(self) -> int:
        return len(self.article_ids) - len(self.articles)


# A title stated in hundreds of articles lists its first ones; the dates still cover them all.
ROLE_ARTICLES = 10


def entity_roles(entity_id: int) -> list[RoleHeld]:
    """The titles the entity holds, each with the first and last publication stating it. One query."""
    rows = (
        Role.objects.filter(holder__entity_id=entity_id, status__in=LIVE, holder__status__in=LIVE)
        .order_by(F("article__published_at").asc(nulls_last=True), "article_id", "start")
        .values(
            "role",
            "of_entity_id",
            "of_entity__name",
            "of_name",
            "article_id",
            "article__title",
            "article__published_at",
        )
    )
    groups: dict[tuple, RoleHeld] = {}
    for row in rows:
        of_name = row["of_entity__name"] or row["of_name"] or ""
        key = (row["role"].casefold(), row["of_entity_id"] or of_name.casefold())
        held = groups.get(key)
        if held is None:
            held = groups[key] = RoleHeld(row["role"], row["of_entity_id"], of_name)
        published = row["article__published_at"]
        if published is not None:
            held.first = published if held.first is None else min(held.first, published)
            held.last = published if held.last is None else max(held.last, published)
        if row["article_id"] not in held.article_ids:
            held.article_ids.add(row["article_id"])
            if len(held.articles) < ROLE_ARTICLES:
                held.articles.append(
                    {"id": row["article_id"], "title": row["article__title"], "published_at": published}
                )
    # Roles never dated go last; the others by when they were first stated.
    far = timezone.make_aware(dt.datetime.max - dt.timedelta(days=2))
    return sorted(groups.values(), key=lambda h: (h.first or far, h.role.casefold()))


@dataclass
class EventTaken:
    event_id: int
    type: str
    type_label: str
    trigger: str
    date_value: str
    date_precision: str
    historical: bool
    cluster_id: int | None
    article_id: int
    article_title: str
    published_at: dt.datetime | None
    roles: list[str] = field(default_factory=list)
    others: list[dict] = field(default_factory=list)


# The arguments' roles as the analyst reads them.
ROLE_NAMES = {
    "actor": "acteur",
    "counterpart": "interlocuteur",
    "target": "cible",
    "participant": "participant",
    "location": "lieu",
    "date": "date",
    "organisation": "cadre",
}

# An entity in hundreds of events shows the most recent ones; the graph and the filters tell the rest.
MAX_EVENTS = 300


def entity_events(entity_id: int, limit: int = MAX_EVENTS) -> list[EventTaken]:
    """The events the entity takes part in, by event date (undated last), with the other participants.

    Two queries: the entity's arguments, then the other arguments of those events.
    """
    rows = (
        EventArgument.objects.filter(entity_id=entity_id, event__status__in=LIVE)
        .order_by(F("event__date_value").asc(), "event__article__published_at", "event_id", "role")
        .values(
            "role",
            "event_id",
            "event__type",
            "event__trigger_text",
            "event__date_value",
            "event__date_precision",
            "event__historical",
            "event__cluster_id",
            "event__article_id",
            "event__article__title",
            "event__article__published_at",
        )
    )
    events: dict[int, EventTaken] = {}
    # An event has a handful of arguments of one entity at most: this bounds the rows read.
    for row in rows[: limit * 4]:
        event = events.get(row["event_id"])
        if event is None:
            if len(events) >= limit:
                continue
            event = events[row["event_id"]] = EventTaken(
                event_id=row["event_id"],
                type=row["event__type"],
                type_label=_type_label(row["event__type"]),
                trigger=row["event__trigger_text"],
                date_value=row["event__date_value"],
                date_precision=row["event__date_precision"],
                historical=row["event__historical"],
                cluster_id=row["event__cluster_id"],
                article_id=row["event__article_id"],
                article_title=row["event__article__title"],
                published_at=row["event__article__published_at"],
            )
        role = ROLE_NAMES.get(row["role"], row["role"])
        if role not in event.roles:
            event.roles.append(role)
    if events:
        others = (
            EventArgument.objects.filter(event_id__in=list(events), entity__isnull=False)
            .exclude(entity_id=entity_id)
            .order_by("event_id", "role", "entity__name")
            .values("event_id", "role", "entity_id", "entity__name", "entity__label")
        )
        for row in others:
            event = events[row["event_id"]]
            other = {
                "id": row["entity_id"],
                "name": row["entity__name"],
                "label": row["entity__label"],
                "role": ROLE_NAMES.get(row["role"], row["role"]),
            }
            if other not in event.others:
                event.others.append(other)
    # Undated events last, keeping the query's order otherwise.
    return sorted(events.values(), key=lambda e: (not e.date_value, e.date_value))


def _type_label(value: str) -> str:
    try:
        return Event.Type(value).label
    except ValueError:
        return value


def _articles_of(entity_id: int, date_from: dt.date | None = None, date_to: dt.date | None = None) -> QuerySet:
    """The ids of the articles with a live mention of the entity, published in the range (as a subquery)."""
    mine = Mention.objects.filter(entity_id=entity_id, status__in=LIVE)
    if date_from:
        mine = mine.filter(article__published_at__gte=_midnight(date_from))
    if date_to:
        mine = mine.filter(article__published_at__lt=_midnight(date_to + dt.timedelta(days=1)))
    return mine.values("article_id")


def _midnight(day: dt.date) -> dt.datetime:
    # Whole days in the server's time zone, as the queue's date filter reads them.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def entity_neighbours(
    entity_id: int,
    *,
    limit: int = 15,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    labels: Sequence[str] = (),
) -> list[dict]:
    """The entities mentioned in the most articles that also mention this one. One query.

    Each row: id, name, label, articles (how many articles they share).
    """
    others = Mention.objects.filter(
        article_id__in=_articles_of(entity_id, date_from, date_to),
        status__in=LIVE,
        entity__isnull=False,
        entity__merged_into__isnull=True,
    ).exclude(entity_id=entity_id)
    if labels:
        others = others.filter(entity__label__in=list(labels))
    rows = (
        others.values("entity_id", "entity__name", "entity__label")
        .annotate(n=Count("article_id", distinct=True))
        .order_by("-n", "entity__name", "entity_id")[:limit]
    )
    return [
        {"id": r["entity_id"], "name": r["entity__name"], "label": r["entity__label"], "articles": r["n"]} for r in rows
    ]


def entity_merges(entity_id: int) -> list[EntityMerge]:
    """The merges into and out of the entity, latest first. One query."""
    merges = list(
        EntityMerge.objects.filter(Q(source_id=entity_id) | Q(target_id=entity_id))
        .select_related("source", "target", "actor", "undone_by")
        .order_by("-created_at", "-pk")
    )
    for merge in merges:
        merge.incoming = merge.target_id == entity_id
        merge.moved_mentions = len((merge.moved or {}).get("mentions", []))
    return merges


def entity_mention_count(entity_id: int) -> dict:
    """How many live mentions, and in how many articles. One query."""
    return Mention.objects.filter(entity_id=entity_id, status__in=LIVE).aggregate(
        mentions=Count("pk"), articles=Count("article_id", distinct=True)
    )


# ---------------------------------------------------------------------------
# The co-occurrence and event-participation graph

MAX_GRAPH_NODES = 40


def entity_graph(
    entity: Entity,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    labels: Sequence[str] = (),
    limit: int = MAX_GRAPH_NODES,
) -> dict:
    """The entity's neighbourhood as Cytoscape elements. Three queries.

    Nodes: the entity and the ``limit`` entities sharing most articles with it (of the given types,
    in articles published in the range). Edges, counted within the entity's articles of the range
    (so that a hub of the corpus never makes the graph scan every article): ``cooccurrence``, the
    articles two nodes share; ``event``, the live events in which both take part.
    """
    neighbours = entity_neighbours(entity.pk, limit=limit, date_from=date_from, date_to=date_to, labels=labels)
    ids = [entity.pk] + [n["id"] for n in neighbours]
    articles = _articles_of(entity.pk, date_from, date_to)
    nodes = [_node(entity.pk, entity.name, entity.label, None, center=True)]
    nodes += [_node(n["id"], n["name"], n["label"], n["articles"]) for n in neighbours]
    edges = []
    if len(ids) > 1:
        pairs = (
            Mention.objects.filter(article_id__in=articles, entity_id__in=ids, status__in=LIVE)
            .filter(
                article__mentions__entity_id__in=ids,
                article__mentions__status__in=LIVE,
                entity_id__lt=F("article__mentions__entity_id"),
            )
            .values("entity_id", "article__mentions__entity_id")
            .annotate(n=Count("article_id", distinct=True))
            .order_by()
        )
        for row in pairs:
            edges.append(_edge("cooccurrence", row["entity_id"], row["article__mentions__entity_id"], row["n"]))
        shared = (
            EventArgument.objects.filter(
                entity_id__in=ids,
                event__status__in=LIVE,
                event__article_id__in=_articles_of(entity.pk, date_from, date_to),
            )
            .filter(event__arguments__entity_id__in=ids, entity_id__lt=F("event__arguments__entity_id"))
            .values("entity_id", "event__arguments__entity_id")
            .annotate(n=Count("event_id", distinct=True))
            .order_by()
        )
        for row in shared:
            edges.append(_edge("event", row["entity_id"], row["event__arguments__entity_id"], row["n"]))
    edges.sort(key=lambda e: e["data"]["id"])
    return {"nodes": nodes, "edges": edges}


def _node(pk: int, name: str, label: str, articles: int | None, *, center: bool = False) -> dict:
    return {
        "data": {
            "id": f"e{pk}",
            "entity": pk,
            "name": name,
            "type": label,
            "articles": articles,
            "center": center,
            "url": reverse("entities:entity", args=[pk]),
        }
    }


def _edge(kind: str, a: int, b: int, weight: int) -> dict:
    prefix = "c" if kind == "cooccurrence" else "v"
    return {"data": {"id": f"{prefix}{a}-{b}", "source": f"e{a}", "target": f"e{b}", "kind": kind, "weight": weight}}


# ---------------------------------------------------------------------------
# The entity list


def entity_list() -> QuerySet[Entity]:
    """Unmerged entities with their live mention count, most mentioned first."""
    return (
        Entity.objects.filter(merged_into__isnull=True)
        .annotate(n_mentions=Count("mentions", filter=Q(mentions__status__in=LIVE)))
        .order_by("-n_mentions", "name", "pk")
    )


# ---------------------------------------------------------------------------
# The merge queue


def open_candidates(skip: Iterable[int] = ()) -> QuerySet[EntityCandidate]:
    """Merge suggestions still to judge: both entities unmerged, no judgement on the pair, best first.

    Candidates and judgements both store their pair lower id first, so the pair matches as it is.
    """
    judged = Judgement.objects.filter(left_entity_id=OuterRef("left_id"), right_entity_id=OuterRef("right_id"))
    return (
        EntityCandidate.objects.filter(left__merged_into__isnull=True, right__merged_into__isnull=True)
        .exclude(Exists(judged))
        .exclude(pk__in=list(skip))
        .order_by("-score", "pk")
    )


def next_candidate(skip: Iterable[int] = ()) -> EntityCandidate | None:
    return open_candidates(skip).select_related("left", "right").first()


@dataclass
class EntitySummary:
    entity: Entity
    mentions: int
    articles: int
    groups: list[ArticleMentions]
    roles: list[RoleHeld]


def entity_summary(entity: Entity, *, sample_articles: int = 3) -> EntitySummary:
    """What an analyst needs to tell two entities apart: counts, a few mentions in context, roles.

    Four queries, whatever the number of mentions.
    """
    counts = entity_mention_count(entity.pk)
    articles = list(entity_articles(entity.pk)[:sample_articles])
    return EntitySummary(
        entity=entity,
        mentions=counts["mentions"],
        articles=counts["articles"],
        groups=mention_groups(entity.pk, articles),
        roles=entity_roles(entity.pk),
    )

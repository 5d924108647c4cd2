"""Reads of event clusters: the event page (reports side by side, conflicts, merge candidates),
the cluster list, and an article's related articles.

Every function here runs a fixed number of queries whatever the number of reports or articles:
the pages that call them are tested with ``django_assert_num_queries``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value

from articles.models import Article
from entities.clustering import compatible_types
from entities.models import Entity, Event, EventArgument, EventCluster, Judgement, Label, Mention, Status

# Reports the analyst has not thrown away: a rejected event is no report of anything.
LIVE = (Status.SUGGESTED, Status.ACCEPTED, Status.CORRECTED)
# At or above this clustering score a report is shown as sure; below, as one to confirm.
SURE_SCORE = 0.8
# Roles that name who took part (the place and the date have their own rows).
PARTICIPANT_ROLES = ("actor", "counterpart", "target", "participant", "organisation")
ROLE_LABELS = {
    "actor": "acteur",
    "counterpart": "homologue",
    "target": "cible",
    "participant": "participant",
    "organisation": "cadre",
}
CANDIDATE_DAYS = 3
CANDIDATE_LIMIT = 10

_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def type_label(value: str) -> str:
    return Event.Type(value).label if value in Event.Type.values else value


def with_labels(clusters) -> list[EventCluster]:
    """The page of clusters, each with its type and date as the analyst reads them."""
    clusters = list(clusters)
    for cluster in clusters:
        cluster.type_label = type_label(cluster.type)
        cluster.date_label = date_label(cluster.date_value, cluster.date_precision)
    return clusters


def date_label(value: str, precision: str = "") -> str:
    """An ISO date at its precision as an analyst reads it: « 12 mars 2024 », « mars 2024 », « 2024 »."""
    if not value:
        return ""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return value


def dates_agree(a: str, b: str) -> bool:
    """Two ISO dates agree when they are equal at the coarser precision (« 2024-03 » and « 2024-03-12 »)."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def clusters_visible_to(user: AbstractBaseUser) -> QuerySet[EventCluster]:
    # Every analyst of the team sees every cluster, as every article (articles.selectors).
    if not user.is_authenticated:
        return EventCluster.objects.none()
    return EventCluster.objects.all()


def _live_reports() -> Q:
    return Q(events__status__in=LIVE)


def cluster_list(user: AbstractBaseUser) -> QuerySet[EventCluster]:
    """Clusters that are still standing (not merged away) with at least one report, with their counts."""
    return (
        clusters_visible_to(user)
        .filter(merged_into__isnull=True)
        .select_related("location")
        .annotate(
            n_reports=Count("events", filter=_live_reports(), distinct=True),
            n_articles=Count("events__article", filter=_live_reports(), distinct=True),
            n_sources=Count("events__article__source", filter=_live_reports(), distinct=True),
        )
        .filter(n_reports__gte=1)
        .order_by("-date_value", "-pk")
    )


def cluster_survivor(user: AbstractBaseUser, pk: int) -> EventCluster:
    """The cluster, or the one it was merged into (followed to the end). Raises DoesNotExist."""
    clusters = clusters_visible_to(user).select_related("location")
    cluster = clusters.get(pk=pk)
    seen = {cluster.pk}
    while cluster.merged_into_id and cluster.merged_into_id not in seen:
        seen.add(cluster.merged_into_id)
        cluster = clusters.get(pk=cluster.merged_into_id)
    return cluster


# ---------------------------------------------------------------------------
# The event page


@dataclass
class Conflict:
    kind: str  # date, place, participants, type
    title: str
    # (value as shown, the report columns that give it, the report columns that do not)
    values: list[tuple[str, list[int], list[int]]]


@dataclass
class Report:
    """One event of the cluster, as one column of the event page."""

    column: int
    event: Event
    sentence: tuple[str, str, str]
    date: str
    place: Entity | None
    # [(role label, [(entity key, name, shared by every report, entity id if linked)])]
    participants: list[tuple[str, list[tuple[int | str, str, bool]]]] = field(default_factory=list)
    # entity key -> name, every role together
    participant_names: dict = field(default_factory=dict)

    @property
    def article(self) -> Article:
        return self.event.article

    @property
    def sure(self) -> bool:
        return self.event.cluster_score is not None and self.event.cluster_score >= SURE_SCORE


def _entity_key(argument: EventArgument) -> tuple[int | str, str]:
    if argument.entity_id:
        return argument.entity_id, argument.entity.name
    text = argument.mention.text if argument.mention_id else "?"
    return f"texte:{text.casefold()}", text


def _place(event: Event) -> Entity | None:
    if event.location_id:
        return event.location
    return next((a.entity for a in event.arguments.all() if a.role == "location" and a.entity_id), None)


def _report(column: int, event: Event) -> Report:
    text = event.article.text
    start, end = event.sentence_start, event.sentence_end
    if not (start <= event.trigger_start and event.trigger_end <= end <= len(text)):
        start, end = event.trigger_start, event.trigger_end
    report = Report(
        column=column,
        event=event,
        sentence=(
            text[start : event.trigger_start],
            text[event.trigger_start : event.trigger_end],
            text[event.trigger_end : end],
        ),
        date=date_label(event.date_value, event.date_precision),
        place=_place(event),
    )
    by_role: dict[str, dict] = defaultdict(dict)
    for argument in event.arguments.all():
        if argument.role not in PARTICIPANT_ROLES:
            continue
        key, name = _entity_key(argument)
        by_role[argument.role][key] = name
        report.participant_names[key] = name
    report.participants = [
        (ROLE_LABELS[role], [(key, name, True, None) for key, name in by_role[role].items()])
        for role in PARTICIPANT_ROLES
        if by_role.get(role)
    ]
    return report


def _conflicts(reports: list[Report]) -> list[Conflict]:
    conflicts = []
    columns = [r.column for r in reports]

    def grouped(values: dict[int, tuple[object, str]]) -> list[tuple[str, list[int], list[int]]]:
        shown: dict[object, str] = {}
        cols: dict[object, list[int]] = defaultdict(list)
        for column, (key, label) in values.items():
            shown.setdefault(key, label)
            cols[key].append(column)
        return [(shown[k], cols[k], [c for c in columns if c not in cols[k]]) for k in shown]

    dated = {r.column: r.event.date_value for r in reports if r.event.date_value}
    values = list(dated.values())
    if any(not dates_agree(a, b) for i, a in enumerate(values) for b in values[i + 1 :]):
        conflicts.append(
            Conflict(
                "date",
                "Dates différentes",
                grouped({c: (v, date_label(v)) for c, v in dated.items()}),
            )
        )
    placed = {r.column: (r.place.pk, r.place.name) for r in reports if r.place is not None}
    if len({key for key, _ in placed.values()}) > 1:
        conflicts.append(Conflict("place", "Lieux différents", grouped(placed)))
    if len(reports) > 1:
        names: dict[object, str] = {}
        for r in reports:
            for key, name in r.participant_names.items():
                names.setdefault(key, name)
        partial = [key for key in names if not all(key in r.participant_names for r in reports)]
        if partial:
            conflicts.append(
                Conflict(
                    "participants",
                    "Participants différents",
                    [
                        (
                            names[key],
                            [r.column for r in reports if key in r.participant_names],
                            [r.column for r in reports if key not in r.participant_names],
                        )
                        for key in partial
                    ],
                )
            )
    typed = {r.column: (r.event.type, r.event.get_type_display()) for r in reports}
    if len({key for key, _ in typed.values()}) > 1:
        conflicts.append(Conflict("type", "Types différents", grouped(typed)))
    return conflicts


def cluster_reports(cluster: EventCluster) -> list[Report]:
    """The cluster's reports in publication order, each with its sentence, place and participants."""
    events = (
        Event.objects.filter(cluster=cluster, status__in=LIVE)
        .select_related("article", "article__source", "location")
        .defer("article__raw_text", "article__minhash", "article__removed_lines")
        .prefetch_related(
            Prefetch(
                "arguments",
                queryset=EventArgument.objects.select_related("entity", "mention").order_by("role", "pk"),
            )
        )
    )
    ordered = sorted(
        events,
        key=lambda e: (e.article.published_at is None, e.article.published_at or dt.datetime.min, e.article_id, e.pk),
    )
    reports = [_report(i, e) for i, e in enumerate(ordered, start=1)]
    # A name every report gives is shared; one only some give is shown as a difference.
    for r in reports:
        r.participants = [
            (
                role,
                [
                    (key, name, all(key in o.participant_names for o in reports), key if isinstance(key, int) else None)
                    for key, name, _, _ in entities
                ],
            )
            for role, entities in r.participants
        ]
    return reports


def _date_window(value: str) -> Q | None:
    """Dates of clusters that can be the same event as one on ``value``: three days either side
    at day precision (and that day's month given at month precision), the same month at month precision."""
    if len(value) == 10:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return Q(date_value=value)
        days = [(day + dt.timedelta(days=d)).isoformat() for d in range(-CANDIDATE_DAYS, CANDIDATE_DAYS + 1)]
        return Q(date_value__in=[*days, value[:7]])
    if len(value) == 7:
        return Q(date_value=value) | Q(date_value__startswith=f"{value}-")
    return None  # a year is too wide to propose anything


@dataclass
class Candidate:
    cluster: EventCluster
    shared: list[str]

    @property
    def date(self) -> str:
        return date_label(self.cluster.date_value, self.cluster.date_precision)

    @property
    def type(self) -> str:
        return type_label(self.cluster.type)


def merge_candidates(cluster: EventCluster, reports: list[Report]) -> list[Candidate]:
    """Other clusters that may be the same event: the same type (or one the clustering takes for the
    same event, a visit and its meeting), a close date, a participant or the place in common, and no
    analyst's judgement on the pair yet."""
    type_ = cluster.type or (Counter(r.event.type for r in reports).most_common(1)[0][0] if reports else "")
    date_value = cluster.date_value or next((r.event.date_value for r in reports if r.event.date_value), "")
    names: dict[int, str] = {}
    for r in reports:
        if r.place is not None:
            names[r.place.pk] = r.place.name
        names.update((key, name) for key, name in r.participant_names.items() if isinstance(key, int))
    if cluster.location_id:
        names.setdefault(cluster.location_id, cluster.location.name)
    window = _date_window(date_value)
    if not (type_ and window is not None and names):
        return []
    ids = list(names)
    sharing = Event.objects.filter(cluster=OuterRef("pk"), status__in=LIVE).filter(
        Q(location_id__in=ids) | Q(arguments__entity_id__in=ids)
    )
    judged = Judgement.objects.filter(
        Q(left_cluster=cluster, right_cluster=OuterRef("pk")) | Q(left_cluster=OuterRef("pk"), right_cluster=cluster)
    )
    found = list(
        EventCluster.objects.filter(window, type__in=compatible_types(type_), merged_into__isnull=True)
        .exclude(pk=cluster.pk)
        .filter(Q(location_id__in=ids) | Exists(sharing))
        .exclude(Exists(judged))
        .annotate(n_reports=Count("events", filter=_live_reports(), distinct=True))
        .filter(n_reports__gte=1)
        .select_related("location")
        .order_by("date_value", "pk")[:CANDIDATE_LIMIT]
    )
    if not found:
        return []
    shared: dict[int, set[int]] = defaultdict(set)
    for c in found:
        if c.location_id in names:
            shared[c.pk].add(c.location_id)
    rows = (
        EventArgument.objects.filter(event__cluster__in=found, event__status__in=LIVE, entity_id__in=ids)
        .order_by()
        .values_list("event__cluster_id", "entity_id")
    )
    places = (
        Event.objects.filter(cluster__in=found, status__in=LIVE, location_id__in=ids)
        .order_by()
        .values_list("cluster_id", "location_id")
    )
    for cluster_id, entity_id in [*rows, *places]:
        shared[cluster_id].add(entity_id)
    return [Candidate(c, sorted(names[e] for e in shared[c.pk])) for c in found]


def cluster_page(cluster: EventCluster) -> dict:
    """Everything the event page shows, in a fixed number of queries."""
    reports = cluster_reports(cluster)
    conflicts = _conflicts(reports)
    return {
        "cluster": cluster,
        "reports": reports,
        "conflicts": conflicts,
        "candidates": merge_candidates(cluster, reports),
        "n_articles": len({r.event.article_id for r in reports}),
        "n_sources": len({r.article.source_id for r in reports if r.article.source_id}),
        "cluster_date": date_label(cluster.date_value, cluster.date_precision),
        "cluster_type": type_label(cluster.type),
        "conflict_kinds": {c.kind for c in conflicts},
        "sure_score": SURE_SCORE,
    }


# ---------------------------------------------------------------------------
# Related articles

# A person or an organisation in common says more than a country everyone names.
LABEL_WEIGHTS = {Label.PER: 3, Label.ORG: 3, Label.GPE: 1, Label.LOC: 1, Label.MISC: 1}
CLUSTER_WEIGHT = 5
# An entity named by more than this share of the articles links nothing (« France », « AFP »),
# once there are enough articles for a share to mean something.
COMMON_SHARE = 0.2
COMMON_MIN_ARTICLES = 20
# How many articles sharing entities are scored in the database before the clusters are added in.
RELATED_POOL = 50


@dataclass
class Related:
    article: Article
    score: int
    entities: list[str]
    clusters: list[dict]


def related_articles(article: Article, limit: int = 8) -> list[Related]:
    """Articles sharing entities or event clusters with ``article``, best first, with what they share.

    Weighted: a shared person or organisation counts more than a shared place, a shared event cluster
    most; an entity named by a large share of all articles is ignored. The article's republications
    (and the one it republishes) are left out: the page lists them apart.
    """
    own = {
        entity_id: (name, label)
        for entity_id, name, label in Mention.objects.filter(article=article, entity__isnull=False)
        .exclude(status=Status.REJECTED)
        .order_by()
        .values_list("entity_id", "entity__name", "entity__label")
        .distinct()
    }
    own_clusters = {
        cluster_id: {"id": cluster_id, "type": type_, "date": date_label(value)}
        for cluster_id, type_, value in Event.objects.filter(
            article=article, cluster__isnull=False, status__in=LIVE
        ).values_list("cluster_id", "cluster__type", "cluster__date_value")
    }
    for info in own_clusters.values():
        info["type"] = type_label(info["type"])
    if not own and not own_clusters:
        return []
    group = Q(pk=article.pk) | Q(near_duplicate_of=article)
    if article.near_duplicate_of_id:
        group |= Q(pk=article.near_duplicate_of_id) | Q(near_duplicate_of=article.near_duplicate_of_id)
    excluded = set(Article.objects.filter(group).values_list("pk", flat=True))

    kept: dict[int, int] = {}
    if own:
        total = Article.objects.count()
        frequency = dict(
            Mention.objects.filter(entity_id__in=list(own))
            .exclude(status=Status.REJECTED)
            .order_by()
            .values_list("entity_id")
            .annotate(n=Count("article_id", distinct=True))
        )
        for entity_id, (_, label) in own.items():
            if total >= COMMON_MIN_ARTICLES and frequency.get(entity_id, 0) > COMMON_SHARE * total:
                continue
            kept[entity_id] = LABEL_WEIGHTS.get(label, 1)

    shared_clusters: dict[int, list[dict]] = defaultdict(list)
    if own_clusters:
        for article_id, cluster_id in (
            Event.objects.filter(cluster_id__in=list(own_clusters), status__in=LIVE)
            .exclude(article_id__in=excluded)
            .order_by()
            .values_list("article_id", "cluster_id")
            .distinct()
        ):
            if own_clusters[cluster_id] not in shared_clusters[article_id]:
                shared_clusters[article_id].append(own_clusters[cluster_id])

    entity_scores: dict[int, int] = {}
    mentions = Mention.objects.none()
    if kept:
        mentions = (
            Mention.objects.filter(entity_id__in=list(kept))
            .exclude(status=Status.REJECTED)
            .exclude(article_id__in=excluded)
            .order_by()
        )
        # The weighted count of distinct shared entities, summed by the database: one term per weight.
        by_weight: dict[int, list[int]] = defaultdict(list)
        for entity_id, weight in kept.items():
            by_weight[weight].append(entity_id)
        score = sum(
            (
                weight * Count("entity_id", filter=Q(entity_id__in=ids), distinct=True)
                for weight, ids in by_weight.items()
            ),
            Value(0),
        )
        scored = mentions.values("article_id").annotate(score=score).values_list("article_id", "score")
        entity_scores = dict(scored.order_by("-score", "-article_id")[:RELATED_POOL])
        # Articles sharing a cluster but outside the pool still get their entities counted.
        missing = [a for a in shared_clusters if a not in entity_scores]
        entity_scores.update(scored.filter(article_id__in=missing))

    scores = {
        article_id: entity_scores.get(article_id, 0) + CLUSTER_WEIGHT * len(shared_clusters.get(article_id, ()))
        for article_id in set(entity_scores) | set(shared_clusters)
    }
    best = [a for a in sorted(scores, key=lambda a: (-scores[a], -a)) if scores[a] > 0][:limit]
    if not best:
        return []
    shared_entities: dict[int, set[int]] = defaultdict(set)
    for article_id, entity_id in mentions.filter(article_id__in=best).values_list("article_id", "entity_id").distinct():
        shared_entities[article_id].add(entity_id)
    articles = (
        Article.objects.filter(pk__in=best)
        .select_related("source")
        .only("pk", "title", "published_at", "published_precision", "published_inferred", "source__name")
    )
    by_pk = {a.pk: a for a in articles}
    return [
        Related(
            article=by_pk[a],
            score=scores[a],
            entities=[
                own[e][0] for e in sorted(shared_entities.get(a, ()), key=lambda e: (-kept[e], own[e][0].casefold()))
            ],
            clusters=shared_clusters.get(a, []),
        )
        for a in best
        if a in by_pk
    ]


def republication_siblings(article: Article) -> list[Article]:
    """The other republications of the article this one republishes (the page shows the original and
    this article's own republications already)."""
    if not article.near_duplicate_of_id:
        return []
    return list(
        Article.objects.filter(near_duplicate_of_id=article.near_duplicate_of_id)
        .exclude(pk=article.pk)
        .only("pk", "title", "near_duplicate_score")
        .order_by("pk")
    )


def cluster_has_report(cluster: EventCluster, event_id: int) -> bool:
    return Event.objects.filter(pk=event_id, cluster=cluster).exists()

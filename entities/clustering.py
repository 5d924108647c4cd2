"""The same real-world event reported by several articles is one EventCluster.

At extraction (``cluster_reports``, inside the store's transaction, a fixed number of queries per
batch): each new dated event is compared with the clusters of a compatible type whose date is
within ``WINDOW_DAYS`` (found through the (type, date) index, never by scanning), and with the
batch's own new clusters. The score weighs the date (a « mardi » and a « 29 mars » agree when
both resolve to the same day), the participants both reports name, the type and the place:

* ``score >= AUTO``: the report joins the cluster;
* ``SUGGEST <= score < AUTO``: it joins too, marked "to confirm" (``cluster_score``) on the
  cluster's page;
* otherwise it starts a cluster of its own.

A cluster already holding a report from the same article is not a candidate (one article telling
two meetings of the same people is two meetings). An event an analyst placed (attached, detached,
confirmed) goes back to its cluster when a new run suggests it again (``entities.services``).
Analysts confirm, detach, attach and merge clusters with the services below, each audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from articles.models import AuditEntry
from entities.models import Event, EventArgument, EventCluster, Judgement

AUTO = 0.75
SUGGEST = 0.5
WINDOW_DAYS = 3
# Types a single real-world event may be reported as: an official visit is also the meeting held during it.
_FAMILIES = ({"MEETING", "VISIT"},)


def compatible_types(type_: str) -> set[str]:
    for family in _FAMILIES:
        if type_ in family:
            return set(family)
    return {type_}


class ClusterError(Exception):
    """A decision on clusters that cannot be applied; the message is for the analyst."""


# -- comparing a report with a cluster (pure) ------------------------------------------------------


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def date_agreement(a: str, b: str) -> float:
    """1 for the same day; less for neighbouring days or a coarser date containing the other; 0 otherwise."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long = sorted((a, b), key=len)
    if long.startswith(short):
        return 0.6  # « mars 2024 » and « le 12 mars 2024 »
    da, db = _day(a), _day(b)
    if da is None or db is None:
        return 0.0
    gap = abs((da - db).days)
    if gap == 1:
        return 0.8  # a summit over two days; a report dated the day after
    return 0.4 if gap <= WINDOW_DAYS else 0.0


@dataclass
class Report:
    """One event as the clustering sees it."""

    event_id: int
    article_id: int
    type: str
    date_value: str
    location_id: int | None
    participants: frozenset[int]
    date_precision: str = ""


@dataclass
class _Group:
    """A cluster as the clustering sees it: its reference values and what its reports name."""

    pk: int | None
    type: str
    date_value: str
    date_precision: str
    location_id: int | None
    participants: set[int] = field(default_factory=set)
    articles: set[int] = field(default_factory=set)
    locations: set[int] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    new_events: list[tuple[int, float]] = field(default_factory=list)


def score(report: Report, group: _Group) -> float:
    """How sure it is that ``report`` tells the event of ``group`` (0..1)."""
    if group.type not in compatible_types(report.type):
        return 0.0
    when = date_agreement(report.date_value, group.date_value)
    if when == 0.0:
        return 0.0
    shared = len(report.participants & group.participants)
    smaller = min(len(report.participants), len(group.participants))
    overlap = shared / smaller if smaller else 0.0
    same_place = report.location_id is not None and report.location_id in group.locations
    other_place = report.location_id is not None and group.locations and not same_place
    if shared == 0 and not same_place:
        return 0.0  # nothing in common but a date: two events
    value = 0.3 * when + 0.45 * overlap + 0.1 * (report.type == group.type) + 0.15 * same_place
    if shared == 0:
        value += 0.15 * (report.type == group.type)  # same place, same day, same kind: a weaker but real sign
    if other_place:
        value -= 0.3
    return max(0.0, min(1.0, value))


# -- at extraction ------------------------------------------------------------------------------


def _window(values: Iterable[str]) -> set[str]:
    """Every date string a cluster of these dates could carry: the days around, the month, the year."""
    out: set[str] = set()
    for value in values:
        out |= {value, value[:7], value[:4]}
        day = _day(value)
        if day is not None:
            out |= {(day + dt.timedelta(days=d)).isoformat() for d in range(-WINDOW_DAYS, WINDOW_DAYS + 1)}
    return out


def _load_groups(reports: Sequence[Report]) -> list[_Group]:
    types = {t for r in reports for t in compatible_types(r.type)}
    clusters = {
        c.pk: _Group(c.pk, c.type, c.date_value, c.date_precision, c.location_id)
        for c in EventCluster.objects.filter(
            type__in=types, date_value__in=_window(r.date_value for r in reports), merged_into=None
        ).only("pk", "type", "date_value", "date_precision", "location_id")
    }
    if not clusters:
        return []
    for cluster_id, article_id, location_id, type_ in Event.objects.filter(cluster_id__in=clusters).values_list(
        "cluster_id", "article_id", "location_id", "type"
    ):
        clusters[cluster_id].articles.add(article_id)
        clusters[cluster_id].types.add(type_)
        if location_id:
            clusters[cluster_id].locations.add(location_id)
    for cluster_id, entity_id in (
        EventArgument.objects.filter(event__cluster_id__in=clusters, entity__isnull=False)
        .exclude(role="location")
        .values_list("event__cluster_id", "entity_id")
    ):
        clusters[cluster_id].participants.add(entity_id)
    return list(clusters.values())


def _best(report: Report, groups: list[_Group], *, same_type: bool) -> tuple[_Group | None, float]:
    """The cluster ``report`` most likely tells, if sure enough to join (not one holding its article)."""
    best, best_score = None, 0.0
    for group in groups:
        if report.article_id in group.articles or (same_type and report.type not in group.types):
            continue
        value = score(report, group)
        if value > best_score:
            best, best_score = group, value
    return (best, best_score) if best is not None and best_score >= SUGGEST else (None, 0.0)


def cluster_reports(reports: Sequence[Report]) -> None:
    """Attach each report to the best cluster, or to a new one (see the module docstring)."""
    reports = [r for r in reports if r.date_value]
    if not reports or not settings.VIGIE_EVENT_CLUSTERING:
        return
    groups = _load_groups(reports)
    placed: dict[int, tuple[_Group, float]] = {}

    def place(report: Report, group: _Group, value: float) -> None:
        group.participants |= report.participants
        group.articles.add(report.article_id)
        group.types.add(report.type)
        if report.location_id:
            group.locations.add(report.location_id)
        group.new_events.append((report.event_id, value))
        placed[report.event_id] = (group, value)

    # First the reports of a kind their event's cluster already holds (a meeting joins the meeting
    # before a visit of the same day can take its place), then the others, which may start clusters.
    # A cluster never takes two reports of one article.
    pending = []
    for report in sorted(reports, key=lambda r: (r.date_value, r.event_id)):
        group, value = _best(report, groups, same_type=True)
        if group is None:
            pending.append(report)
        else:
            place(report, group, value)
    # The batch's own new clusters likewise: a report that could only join a cluster of another kind
    # waits until the reports of that cluster's kind have settled.
    waiting = []
    for report in pending:
        group, value = _best(report, groups, same_type=True)
        if group is None and _best(report, groups, same_type=False)[0] is not None:
            waiting.append(report)
            continue
        if group is None:
            group, value = _Group(None, report.type, report.date_value, report.date_precision, report.location_id), 1.0
            groups.append(group)
        place(report, group, value)
    for report in waiting:
        group, value = _best(report, groups, same_type=False)
        if group is None:
            group, value = _Group(None, report.type, report.date_value, report.date_precision, report.location_id), 1.0
            groups.append(group)
        place(report, group, value)
    new = [g for g in groups if g.pk is None and g.new_events]
    created = EventCluster.objects.bulk_create(
        [
            EventCluster(
                type=g.type,
                date_value=g.date_value,
                date_precision=g.date_precision,
                location_id=g.location_id,
            )
            for g in new
        ]
    )
    for g, cluster in zip(new, created, strict=True):
        g.pk = cluster.pk
    Event.objects.bulk_update(
        [Event(pk=pk, cluster_id=group.pk, cluster_score=round(value, 3)) for pk, (group, value) in placed.items()],
        ["cluster", "cluster_score"],
    )


# -- analysts' decisions -----------------------------------------------------------------------------


def _audit(actor: AbstractBaseUser, action: str, event: Event | None, cluster: EventCluster, after: dict) -> None:
    AuditEntry.objects.create(
        actor=actor,
        action=action,
        article_id=event.article_id if event is not None else None,
        object_type="cluster",
        object_id=str(cluster.pk),
        after=after,
    )


def _judge(actor: AbstractBaseUser, a: int, b: int, verdict: str) -> None:
    left, right = sorted((a, b))
    Judgement.objects.update_or_create(
        left_cluster_id=left, right_cluster_id=right, defaults={"verdict": verdict, "actor": actor}
    )


def _cluster(cluster_id: int) -> EventCluster:
    try:
        cluster = EventCluster.objects.select_for_update().get(pk=cluster_id)
    except EventCluster.DoesNotExist:
        raise ClusterError("Groupe d'événements introuvable.") from None
    if cluster.merged_into_id is not None:
        raise ClusterError("Ce groupe a été fusionné dans un autre : rechargez la page.")
    return cluster


def _event(event_id: int) -> Event:
    try:
        return Event.objects.select_for_update().get(pk=event_id)
    except Event.DoesNotExist:
        raise ClusterError("Événement introuvable.") from None


def cluster_confirm(*, actor: AbstractBaseUser, cluster_id: int) -> EventCluster:
    """An analyst confirms every report of the cluster tells the same event."""
    with transaction.atomic():
        cluster = _cluster(cluster_id)
        cluster.status = EventCluster.Status.CONFIRMED
        cluster.save(update_fields=["status", "updated_at"])
        n = Event.objects.filter(cluster=cluster).update(cluster_score=1.0)
        _audit(actor, "cluster.confirm", None, cluster, {"reports": n})
    return cluster


def cluster_detach(*, actor: AbstractBaseUser, event_id: int) -> EventCluster:
    """The report is another event: it leaves its cluster for a new, confirmed one of its own."""
    with transaction.atomic():
        event = _event(event_id)
        if event.cluster_id is None:
            raise ClusterError("Cet événement n'est dans aucun groupe.")
        old = _cluster(event.cluster_id)
        if not Event.objects.filter(cluster=old).exclude(pk=event.pk).exists():
            raise ClusterError("Cet événement est seul dans son groupe.")
        new = EventCluster.objects.create(
            type=event.type,
            date_value=event.date_value,
            date_precision=event.date_precision,
            location_id=event.location_id,
            status=EventCluster.Status.CONFIRMED,
        )
        event.cluster, event.cluster_score = new, 1.0
        event.save(update_fields=["cluster", "cluster_score"])
        _judge(actor, old.pk, new.pk, Judgement.Verdict.NOT_SAME)
        _audit(actor, "cluster.detach", event, old, {"event": event.pk, "from": old.pk, "to": new.pk})
    return new


def cluster_attach(*, actor: AbstractBaseUser, event_id: int, cluster_id: int) -> EventCluster:
    """An analyst puts a report into a cluster (the one it came from, if left alone, is emptied)."""
    with transaction.atomic():
        event = _event(event_id)
        cluster = _cluster(cluster_id)
        if event.cluster_id == cluster.pk:
            raise ClusterError("Cet événement est déjà dans ce groupe.")
        previous = event.cluster_id
        event.cluster, event.cluster_score = cluster, 1.0
        event.save(update_fields=["cluster", "cluster_score"])
        _audit(actor, "cluster.attach", event, cluster, {"event": event.pk, "from": previous, "to": cluster.pk})
    return cluster


def cluster_merge(*, actor: AbstractBaseUser, source_id: int, target_id: int) -> EventCluster:
    """Two clusters are one event: the source's reports move to the target, which is confirmed."""
    if source_id == target_id:
        raise ClusterError("Un groupe ne peut pas être fusionné avec lui-même.")
    with transaction.atomic():
        first, second = sorted((source_id, target_id))
        clusters = {first: _cluster(first), second: _cluster(second)}
        source, target = clusters[source_id], clusters[target_id]
        moved = list(Event.objects.filter(cluster=source).values_list("pk", flat=True))
        Event.objects.filter(pk__in=moved).update(cluster=target, cluster_score=1.0)
        Event.objects.filter(cluster=target).update(cluster_score=1.0)
        source.merged_into = target
        source.save(update_fields=["merged_into", "updated_at"])
        target.status = EventCluster.Status.CONFIRMED
        target.save(update_fields=["status", "updated_at"])
        _judge(actor, source.pk, target.pk, Judgement.Verdict.SAME)
        _audit(actor, "cluster.merge", None, target, {"from": source.pk, "to": target.pk, "events": moved})
    return target

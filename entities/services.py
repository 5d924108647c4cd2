"""Writes on extraction results and on analysts' decisions about them.

Slow work (the NLP pipeline) happens before ``extraction_store`` (one article)
or ``extraction_store_many`` (a worker's batch) is called, outside any
transaction; each function here writes in one short transaction.

The rule that protects analysts' work (DESIGN.md): a new run replaces only the
earlier runs' *unreviewed* suggestions. Accepted, corrected and analyst-added
facts stay, and a suggestion that a person rejected, or corrected away, is not
proposed again, not even shifted by a few characters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils import timezone

from articles.bulk import insert_rows
from articles.cleaning import copyright_holder, read_also_title
from articles.models import Article
from articles.services import articles_mark_extracted
from entities.clustering import Report, cluster_reports
from entities.linking import Wanted, entities_resolve
from entities.models import (
    Claim,
    DateMention,
    Entity,
    Event,
    EventArgument,
    ExtractionRun,
    HeaderEntity,
    Mention,
    Origin,
    Role,
    Status,
)
from entities.nlp.ner import gazetteer_forms, gazetteer_names, header_entity
from entities.nlp.normalize import name_key
from entities.nlp.types import EventArgument as ArgumentSpan
from entities.nlp.types import ExtractionResult


@dataclass(frozen=True)
class _Block:
    start: int
    end: int
    label: str

    def overlaps(self, start: int, end: int, label: str) -> bool:
        return label == self.label and start < self.end and self.start < end


@dataclass(frozen=True)
class ExtractionToStore:
    """One article's pipeline output, as the worker hands it to ``extraction_store_many``."""

    article_id: int
    result: ExtractionResult
    started_at: dt.datetime | None = None
    duration_ms: int = 0
    # The extraction claim it was computed under: written only while the article is still claimed with it.
    token: str = ""


@dataclass
class _Earlier:
    """What earlier runs and people left on one article once its unreviewed suggestions are gone."""

    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    roles: set[tuple[int, int]] = field(default_factory=set)
    events: list[Event] = field(default_factory=list)
    # Clusters an analyst put the earlier run's unreviewed events in, by (type, trigger start, end):
    # the same event suggested again goes back there instead of being clustered anew.
    placements: dict[tuple[str, int, int], int] = field(default_factory=dict)
    # The ids of the earlier run's unreviewed suggestions, by model and key: a suggestion made again
    # gets its id back, so that a decision sent from a page shown before the re-run still finds it.
    reusable: dict[type, dict[tuple, int]] = field(default_factory=dict)


# The run's new rows, as plain objects rather than model instances: building and
# saving thousands of those per batch was most of the store's Python work, which
# holds the GIL while the worker's main thread wants it for spaCy. They get their
# primary keys when inserted, before the rows that point to them are written.


@dataclass(slots=True, eq=False)
class _NewMention:
    start: int
    end: int
    text: str
    label: str
    confidence: float
    group: int
    entity_id: int | None = None
    pk: int | None = None


@dataclass(slots=True, eq=False)
class _NewDate:
    start: int
    end: int
    text: str
    value: str
    precision: str
    end_value: str
    confidence: float
    pk: int | None = None


@dataclass(slots=True, eq=False)
class _NewRole:
    start: int
    end: int
    text: str
    role: str
    holder: Mention | _NewMention | None
    of_entity_id: int | None
    of_name: str
    confidence: float


@dataclass(slots=True, eq=False)
class _NewEvent:
    type: str
    trigger_start: int
    trigger_end: int
    trigger_text: str
    sentence_start: int
    sentence_end: int
    date: DateMention | _NewDate | None
    date_value: str
    date_precision: str
    location_id: int | None
    historical: bool
    confidence: float
    arguments: tuple[ArgumentSpan, ...]
    pk: int | None = None


@dataclass(slots=True, eq=False)
class _NewHeader:
    field: str  # HeaderEntity.Field
    text: str  # as written
    name: str
    label: str
    entity_id: int | None = None


@dataclass
class _Plan:
    """One article's rows, built in memory before anything is inserted."""

    item: ExtractionToStore
    earlier: _Earlier
    mentions: dict[int, Mention | _NewMention | None] = field(default_factory=dict)
    new_mentions: list[_NewMention] = field(default_factory=list)
    dates: dict[int, DateMention | _NewDate | None] = field(default_factory=dict)
    new_dates: list[_NewDate] = field(default_factory=list)
    roles: list[_NewRole] = field(default_factory=list)
    events: list[_NewEvent] = field(default_factory=list)
    # the new event stored for each of the result's events (None: an analyst's event stands there)
    event_at: dict[int, _NewEvent] = field(default_factory=dict)
    header: list[_NewHeader] = field(default_factory=list)


def extraction_store(
    *,
    article_id: int,
    result: ExtractionResult,
    started_at: dt.datetime | None = None,
    duration_ms: int = 0,
    token: str = "",
) -> ExtractionRun | None:
    """Write one article's extraction as a new run and mark the article extracted.

    Returns None, writing nothing, when the article is no longer this worker's
    to write (another worker finished it, or it was re-queued or claimed by another meanwhile).
    """
    item = ExtractionToStore(article_id, result, started_at, duration_ms, token)
    return extraction_store_many(items=[item]).get(article_id)


def extraction_store_many(*, items: Sequence[ExtractionToStore]) -> dict[int, ExtractionRun]:
    """Write several articles' extractions in one short transaction; returns the new run per article written.

    Each article gets exactly what ``extraction_store`` would give it, with
    bulk inserts shared by the whole batch instead of a dozen queries per
    article. Articles no longer in "extracting" under the item's claim token
    (not this worker's to write: finished by a duplicate delivery, or put back
    and claimed by another worker) are skipped. Any error rolls back the whole batch: the caller then stores
    the articles one by one, so that one bad article fails alone.
    """
    with transaction.atomic():
        # Locking the articles serialises this write with analysts' decisions on them.
        headers, tokens = {}, {}
        for pk, token, *header in (
            Article.objects.select_for_update()
            .filter(pk__in={i.article_id for i in items}, status=Article.Status.EXTRACTING)
            .order_by("pk")
            .values_list(
                "pk", "claim_token", "dateline_place", "agency", "title", "title_inferred", "rubric", "removed_lines"
            )
        ):
            headers[pk], tokens[pk] = tuple(header), token
        todo: dict[int, ExtractionToStore] = {}
        for item in items:
            if item.article_id in headers and tokens[item.article_id] == item.token[:64]:
                todo.setdefault(item.article_id, item)
        if not todo:
            return {}
        earlier = _earlier_facts(list(todo))
        plans = [_Plan(item, earlier.get(article_id, _Earlier())) for article_id, item in todo.items()]
        for plan in plans:
            _plan_mentions(plan)
            _plan_header(plan, *headers[plan.item.article_id])
            _as_named_in_body(plan)
        _link_entities(plans)
        for plan in plans:
            _plan_dates(plan)
            _plan_roles(plan)
            _plan_events(plan)

        runs = ExtractionRun.objects.bulk_create(
            [
                ExtractionRun(
                    article_id=plan.item.article_id,
                    pipeline_version=plan.item.result.pipeline_version[:60],
                    started_at=plan.item.started_at or timezone.now(),
                    duration_ms=plan.item.duration_ms,
                    mention_count=len(plan.new_mentions),
                    event_count=len(plan.events),
                )
                for plan in plans
            ]
        )
        _insert_plans(plans, runs)
        _store_header(plans, runs)
        _cluster_events(plans)
        _store_claims(plans, runs)
        articles_mark_extracted(list(todo))
    return {run.article_id: run for run in runs}


def _insert_plans(plans: list[_Plan], runs: list[ExtractionRun]) -> None:
    """Insert the plans' mentions, dates, roles, events and event arguments: each needs the ids of those before."""
    mentions = [
        (m, plan.item.article_id, run.pk) for plan, run in zip(plans, runs, strict=True) for m in plan.new_mentions
    ]
    ids = insert_rows(
        Mention,
        ("article_id", "start", "end", "text", "label", "confidence", "entity_id", "run_id"),
        [
            (article_id, m.start, m.end, m.text, m.label, m.confidence, m.entity_id, run_id)
            for m, article_id, run_id in mentions
        ],
        ids=_reused(Mention, [(p, (m.start, m.end, m.label)) for p in plans for m in p.new_mentions]),
    )
    for (m, _, _), pk in zip(mentions, ids, strict=True):
        m.pk = pk
    dates = [(d, plan.item.article_id, run.pk) for plan, run in zip(plans, runs, strict=True) for d in plan.new_dates]
    ids = insert_rows(
        DateMention,
        ("article_id", "start", "end", "text", "value", "precision", "end_value", "confidence", "run_id"),
        [
            (article_id, d.start, d.end, d.text, d.value, d.precision, d.end_value, d.confidence, run_id)
            for d, article_id, run_id in dates
        ],
        ids=_reused(DateMention, [(p, (d.start, d.end)) for p in plans for d in p.new_dates]),
    )
    for (d, _, _), pk in zip(dates, ids, strict=True):
        d.pk = pk
    insert_rows(
        Role,
        ("article_id", "start", "end", "text", "role", "holder_id", "of_entity_id", "of_name", "confidence", "run_id"),
        [
            (
                plan.item.article_id, r.start, r.end, r.text, r.role, r.holder.pk if r.holder is not None else None,
                r.of_entity_id, r.of_name, r.confidence, run.pk,
            )
            for plan, run in zip(plans, runs, strict=True)
            for r in plan.roles
        ],
    )  # fmt: skip
    events = [(e, plan.item.article_id, run.pk) for plan, run in zip(plans, runs, strict=True) for e in plan.events]
    ids = insert_rows(
        Event,
        (
            "article_id", "type", "trigger_start", "trigger_end", "trigger_text", "sentence_start", "sentence_end",
            "date_id", "date_value", "date_precision", "location_id", "historical", "confidence", "run_id",
        ),
        [
            (
                article_id, e.type, e.trigger_start, e.trigger_end, e.trigger_text, e.sentence_start, e.sentence_end,
                e.date.pk if e.date is not None else None, e.date_value, e.date_precision, e.location_id,
                e.historical, e.confidence, run_id,
            )
            for e, article_id, run_id in events
        ],
        ids=_reused(Event, [(p, (e.type, e.trigger_start, e.trigger_end)) for p in plans for e in p.events]),
    )  # fmt: skip
    for (e, _, _), pk in zip(events, ids, strict=True):
        e.pk = pk
    insert_rows(
        EventArgument,
        ("event_id", "role", "entity_id", "mention_id"),
        [argument for plan in plans for argument in _event_arguments(plan)],
    )


# What makes a suggestion the same one again (each is unique per article in the database).
REUSABLE_KEYS: dict[type, tuple[str, ...]] = {
    Mention: ("start", "end", "label"),
    DateMention: ("start", "end"),
    Event: ("type", "trigger_start", "trigger_end"),
}


def _reused(model: type, rows: list[tuple[_Plan, tuple]]) -> list[int | None]:
    """Per new row (its plan, its key), the id its earlier unreviewed twin had, or None."""
    return [plan.earlier.reusable.get(model, {}).get(key) for plan, key in rows]


def _earlier_facts(article_ids: list[int]) -> dict[int, _Earlier]:
    """Remove earlier runs' unreviewed suggestions; return what stays, for the articles that have any history.

    An article's first run has nothing to replace and no decision to respect:
    the three existence reads spare the rest (most of the store's queries on a bulk import).
    """
    seen = {
        *ExtractionRun.objects.filter(article_id__in=article_ids).values_list("article_id", flat=True),
        *Mention.objects.filter(article_id__in=article_ids).values_list("article_id", flat=True),
        *Event.objects.filter(article_id__in=article_ids).values_list("article_id", flat=True),
    }
    if not seen:
        return {}
    earlier = {article_id: _Earlier() for article_id in seen}
    for article_id, type_, start, end, cluster_id in Event.objects.filter(
        article_id__in=seen, origin=Origin.MODEL, status=Status.SUGGESTED, cluster_score=1.0, cluster__isnull=False
    ).values_list("article_id", "type", "trigger_start", "trigger_end", "cluster_id"):
        earlier[article_id].placements[(type_, start, end)] = cluster_id
    for model, key in REUSABLE_KEYS.items():
        for pk, article_id, *values in model.objects.filter(
            article_id__in=seen, origin=Origin.MODEL, status=Status.SUGGESTED
        ).values_list("pk", "article_id", *key):
            earlier[article_id].reusable.setdefault(model, {})[tuple(values)] = pk
    for model in (Mention, Role, DateMention, Event, Claim):
        model.objects.filter(article_id__in=seen, origin=Origin.MODEL, status=Status.SUGGESTED).delete()
    for m in Mention.objects.filter(article_id__in=seen).order_by("pk"):
        earlier[m.article_id].mentions.append(m)
    for d in DateMention.objects.filter(article_id__in=seen).order_by("pk"):
        earlier[d.article_id].dates.append(d)
    for article_id, start, end in Role.objects.filter(article_id__in=seen).values_list("article_id", "start", "end"):
        earlier[article_id].roles.add((start, end))
    for e in Event.objects.filter(article_id__in=seen).order_by("pk"):
        earlier[e.article_id].events.append(e)
    return earlier


def _plan_mentions(plan: _Plan) -> None:
    """The run's mention suggestions and, per entity index, the mention standing for it."""
    result = plan.item.result
    blocks = []
    for m in plan.earlier.mentions:  # spans where a person already decided something, under the labels concerned
        blocks.append(_Block(m.start, m.end, m.label))
        if m.suggested_start is not None:
            blocks.append(_Block(m.suggested_start, m.suggested_end, m.suggested_label or m.label))
    kept = {(m.start, m.end, m.label): m for m in plan.earlier.mentions}
    seen: set[tuple[int, int, str]] = set()
    for index, span in enumerate(result.entities):
        key = (span.start, span.end, span.label)
        if key in kept:  # a person decided on this very span: it stands for the entity
            plan.mentions[index] = kept[key] if kept[key].status != Status.REJECTED else None
            continue
        if key in seen or any(b.overlaps(*key) for b in blocks):
            plan.mentions[index] = None
            continue
        seen.add(key)
        mention = _NewMention(span.start, span.end, span.text[:500], span.label, round(span.confidence, 3), span.group)
        plan.new_mentions.append(mention)
        plan.mentions[index] = mention


def _plan_header(
    plan: _Plan,
    dateline_place: str,
    agency: str,
    title: str,
    title_inferred: bool,
    rubric: str,
    removed_lines: list[dict],
) -> None:
    """The dateline's place, the agency, the outlet of a copyright line, and the bodies and places
    the headline, the rubric and « Lire aussi » lines name: what cleaning took out of the text,
    as entities of the article."""
    # « AFP/Reuters »: one entity per agency credited; the first is the one the field keeps.
    agencies = [a for a in agency.split("/") if a.strip()][:1]
    for field_name, text, default_label in (
        *((HeaderEntity.Field.DATELINE, t, "GPE") for t in [dateline_place] if t.strip()),
        *((HeaderEntity.Field.AGENCY, t, "ORG") for t in agencies),
    ):
        found = header_entity(text, default_label)
        if found is not None and name_key(found[0]):
            plan.header.append(_NewHeader(field_name.value, text.strip()[:200], *found))
    # The outlet a copyright line names is where the article appeared.
    for line in removed_lines or ():
        if line.get("kind") == "copyright" and (holder := copyright_holder(line.get("text", ""))):
            found = header_entity(holder, "ORG")
            if found is not None and name_key(found[0]):
                plan.header.append(_NewHeader(HeaderEntity.Field.COPYRIGHT.value, holder[:200], *found))
    # The headline, the rubric and « Lire aussi » lines: their bodies and places from the
    # gazetteer, their persons from the pipeline, which parsed the same lines after the text.
    persons = dict(plan.item.result.header_persons)
    seen: set[tuple[str, str, str]] = set()
    for field_name, text in header_lines(title, title_inferred, rubric, removed_lines):
        named = [*gazetteer_names(text), *((s, n, "PER") for s, n in persons.get(text, ()))]
        for surface, name, label in named:
            key = (field_name, label, name_key(name))
            if key[2] and key not in seen:  # one row per entity and field (« Maroc … Maroc »)
                seen.add(key)
                plan.header.append(_NewHeader(field_name, surface[:200], name, label))


def header_lines(
    title: str, title_inferred: bool, rubric: str, removed_lines: list[dict] | None
) -> list[tuple[str, str]]:
    """The header lines read for names, as (HeaderEntity field, text), in the order the worker gives
    them to the pipeline: the headline (unless it was made from the first sentence, which is in the
    text), the rubric and each « Lire aussi » link (a headline like the article's own)."""
    if title_inferred and not any(line.get("kind") == "title" for line in removed_lines or ()):
        title = ""
    lines = [(HeaderEntity.Field.TITLE.value, title), (HeaderEntity.Field.RUBRIC.value, rubric)]
    lines += [
        (HeaderEntity.Field.READ_ALSO.value, read_also_title(line.get("text", "")))
        for line in removed_lines or ()
        if line.get("kind") == "read_also"
    ]
    return [(field_name, text) for field_name, text in lines if text and text.strip()]


def _as_named_in_body(plan: _Plan) -> None:
    """A header name that the body gives in full is the body's entity: « Gendarmerie royale » in the
    headline is the « Gendarmerie royale marocaine » of the text, and a name the body uses as an alias
    (« Guardia Civil » of « Garde civile ») is that entity's."""
    bodies: dict[str, dict[str, set[str]]] = {}  # label -> canonical -> keys of its forms
    for span in plan.item.result.entities:
        forms = bodies.setdefault(span.label, {}).setdefault(span.canonical, set())
        forms |= {name_key(f) for f in (span.canonical, span.text, *span.aliases)}
    for index, h in enumerate(plan.header):
        key, named = name_key(h.name), bodies.get(h.label, {})
        same = [c for c, keys in named.items() if key in keys]
        if not same:
            # « Guardia Civil » in the headline, « la Garde civile » in the text: one entry of the gazetteer
            other_keys = {name_key(f) for f in gazetteer_forms(h.name)}
            same = [c for c, keys in named.items() if keys & other_keys]
        longer = [c for c, keys in named.items() if any(k.startswith(f"{key} ") for k in keys)]
        if h.label == "PER" and not longer:
            # « MM. Lamrani et Robledo Sanz » in the headline, « Abdelouahed Lamrani » in the text
            longer = [c for c, keys in named.items() if any(k.endswith(f" {key}") for k in keys)]
        chosen = same or (longer if len(longer) == 1 else [])
        if chosen and chosen[0] != h.name:
            plan.header[index] = replace(h, name=chosen[0])


def _store_header(plans: list[_Plan], runs: list[ExtractionRun]) -> None:
    HeaderEntity.objects.filter(article_id__in=[plan.item.article_id for plan in plans]).delete()
    insert_rows(
        HeaderEntity,
        ("article_id", "field", "text", "entity_id", "run_id"),
        [
            (plan.item.article_id, h.field, h.text, h.entity_id, run.pk)
            for plan, run in zip(plans, runs, strict=True)
            for h in plan.header
            if h.entity_id is not None
        ],
    )


def _wanted_entities(result: ExtractionResult, needed: set[int]) -> tuple[dict, dict]:
    """Per needed within-article group, its (label, name key); and per key, the entity to find or create."""
    groups: dict[int, tuple[str, str, set[str]]] = {}
    for span in result.entities:
        if span.group not in needed:
            continue
        name, label, aliases = groups.get(span.group, (span.canonical, span.label, set()))
        aliases |= {span.text, *span.aliases}
        groups[span.group] = (name, label, aliases)
    keys, wanted = {}, {}
    for group, (name, label, aliases) in groups.items():
        if key := name_key(name):
            keys[group] = (label, key)
            wanted[(label, key)] = Wanted(label, key, name, aliases)
    return keys, wanted


def entity_for_name(name: str, label: str) -> Entity | None:
    """The entity a single name stands for, by the linker's rules (the one ``_link_entities`` applies to a
    whole batch): an entity found again by its keys, else a new one; None for a name without a key."""
    key = name_key(name)
    if not key:
        return None
    wanted = {(label, key): Wanted(label, key, name.strip()[:300])}
    return Entity.objects.get(pk=entities_resolve(wanted).entity_ids[(label, key)])


def _link_entities(plans: list[_Plan]) -> None:
    """One Entity per article group that still has a new mention, resolved across articles by
    ``entities.linking`` (found again by its keys, else created; doubtful pairs become merge suggestions).

    Only those groups: a blocked suggestion creates nothing.
    """
    keys_by_plan = []
    wanted: dict[tuple[str, str], Wanted] = {}
    for plan in plans:
        keys, article_wanted = _wanted_entities(plan.item.result, {m.group for m in plan.new_mentions})
        for h in plan.header:
            if hk := name_key(h.name):
                article_wanted.setdefault((h.label, hk), Wanted(h.label, hk, h.name, {h.text}))
        keys_by_plan.append(keys)
        for key, value in article_wanted.items():
            known = wanted.setdefault(key, value)
            if known is not value:
                known.aliases |= value.aliases
            known.context |= set(article_wanted) - {key}
    resolved = entities_resolve(wanted).entity_ids
    for plan, keys in zip(plans, keys_by_plan, strict=True):
        for mention in plan.new_mentions:
            mention.entity_id = resolved[keys[mention.group]] if mention.group in keys else None
        for h in plan.header:
            h.entity_id = resolved.get((h.label, name_key(h.name)))


def _plan_dates(plan: _Plan) -> None:
    kept = {(d.start, d.end): d for d in plan.earlier.dates}
    for index, span in enumerate(plan.item.result.dates):
        if (span.start, span.end) in kept:
            existing = kept[(span.start, span.end)]
            plan.dates[index] = existing if existing.status != Status.REJECTED else None
            continue
        date = _NewDate(
            span.start,
            span.end,
            span.text[:300],
            span.value,
            span.precision,
            span.end_value or "",
            round(span.confidence, 3),
        )
        kept[(span.start, span.end)] = date
        plan.new_dates.append(date)
        plan.dates[index] = date


def _plan_roles(plan: _Plan) -> None:
    taken = set(plan.earlier.roles)
    for span in plan.item.result.roles:
        if (span.start, span.end) in taken:
            continue
        taken.add((span.start, span.end))
        holder = plan.mentions.get(span.holder) if span.holder is not None else None
        of = plan.mentions.get(span.of) if span.of is not None else None
        plan.roles.append(
            _NewRole(
                span.start,
                span.end,
                span.text[:500],
                span.role[:300],
                holder,
                of.entity_id if of is not None else None,
                (span.of_name or "")[:200],
                round(span.confidence, 3),
            )
        )


def _plan_events(plan: _Plan) -> None:
    decided = list(plan.earlier.events)
    for index, span in enumerate(plan.item.result.events):
        if any(
            span.type in (e.type, getattr(e, "suggested_type", ""))
            and span.trigger_start < e.trigger_end
            and e.trigger_start < span.trigger_end
            for e in decided
        ):
            continue  # a person decided on this event, or changed its type away (or the run repeats itself)
        location = next((plan.mentions.get(a.entity) for a in span.arguments if a.role == "location"), None)
        event = _NewEvent(
            span.type,
            span.trigger_start,
            span.trigger_end,
            span.trigger_text[:300],
            span.sentence_start,
            span.sentence_end,
            plan.dates.get(span.date) if span.date is not None else None,
            span.date_value or "",
            span.date_precision or "",
            location.entity_id if location is not None else None,
            span.historical,
            round(span.confidence, 3),
            tuple(span.arguments),
        )
        decided.append(event)
        plan.events.append(event)
        plan.event_at[index] = event


def _store_claims(plans: list[_Plan], runs: list[ExtractionRun]) -> None:
    """The run's membership claims, between the entities their mentions stand for (a claim whose
    member or body an analyst rejected is not stored)."""
    rows = {}
    for plan, run in zip(plans, runs, strict=True):
        for claim in plan.item.result.claims:
            subject, body = plan.mentions.get(claim.subject), plan.mentions.get(claim.object)
            if subject is None or body is None or not subject.entity_id or not body.entity_id:
                continue
            if subject.entity_id == body.entity_id:
                continue
            event = plan.event_at.get(claim.event) if claim.event is not None else None
            key = (plan.item.article_id, claim.kind, claim.predicate, subject.entity_id, body.entity_id, claim.start)
            rows.setdefault(
                key,
                (
                    *key[:5],
                    event.pk if event is not None else None,
                    claim.date_value or "",
                    claim.date_precision or "",
                    claim.start,
                    claim.end,
                    round(claim.confidence, 3),
                    run.pk,
                ),
            )
    insert_rows(
        Claim,
        (
            "article_id", "kind", "predicate", "subject_id", "object_id", "event_id", "date_value", "date_precision",
            "sentence_start", "sentence_end", "confidence", "run_id",
        ),
        list(rows.values()),
    )  # fmt: skip


def _cluster_events(plans: list[_Plan]) -> None:
    """The run's new events into event clusters: where an analyst had put the same event, else by the
    clustering's rules (``entities.clustering``)."""
    reports, kept = [], []
    for plan in plans:
        for event in plan.events:
            placed = plan.earlier.placements.get((event.type, event.trigger_start, event.trigger_end))
            if placed is not None:
                kept.append(Event(pk=event.pk, cluster_id=placed, cluster_score=1.0))
                continue
            participants = frozenset(
                m.entity_id
                for a in event.arguments
                if a.role != "location" and (m := plan.mentions.get(a.entity)) is not None and m.entity_id
            )
            reports.append(
                Report(
                    event.pk,
                    plan.item.article_id,
                    event.type,
                    event.date_value,
                    event.location_id,
                    participants,
                    event.date_precision,
                )
            )
    if kept:
        Event.objects.bulk_update(kept, ["cluster", "cluster_score"])
    cluster_reports(reports)


def _event_arguments(plan: _Plan) -> list[tuple[int, str, int | None, int]]:
    """(event, role, entity, mention) of the plan's events' arguments, once these and their mentions have their ids."""
    arguments = []
    for event in plan.events:
        seen = set()
        for argument in event.arguments:
            mention = plan.mentions.get(argument.entity)
            if mention is None or (argument.role, mention.pk) in seen:
                continue
            seen.add((argument.role, mention.pk))
            arguments.append((event.pk, argument.role, mention.entity_id, mention.pk))
    return arguments

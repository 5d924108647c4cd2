"""Cross-article entity linking: each new name is resolved to an existing Entity, or a new one.

Called by the extraction store for a whole batch of articles, inside its transaction, with a
bounded number of queries whatever the batch or the database holds (the blocking index
``EntityKey`` does the looking up; no pairwise scan):

1. every exact key of the names wanted (name, aliases and acronyms learnt from a text, a
   gazetteer entry's other-language names, a person's spelling-blind name) and their blocks
   (a person's surname, an organisation's distinctive words) are looked up in one query; a block
   grown too large to say anything is left out;
2. a name sharing an exact key with one entity is that entity;
3. otherwise it is compared (``entities.nlp.matching.compare``) with the entities of its blocks:
   a sure match links; a surname alone links only when the candidate already appears with
   another person or body of the same article (evidence that it is the same man); a doubtful
   match creates the new entity and a merge suggestion (``EntityCandidate``) for an analyst;
4. new entities are created with their keys; an entity found again learns the aliases the
   new article gives it.

A pair an analyst judged "not the same" is never suggested again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q

from articles.bulk import insert_rows
from entities.models import Entity, EntityCandidate, EntityKey, Judgement, Mention
from entities.nlp.matching import Match, Name, compare, entity_keys, lookup_keys
from entities.nlp.ner import gazetteer_forms
from entities.nlp.normalize import name_key

# A block with more entities than this says nothing about a name (« mohamed » as a surname in a
# large database): it is not read.
BLOCK_CAP = 200


@dataclass
class Wanted:
    """One entity a batch needs: its best name, label and every surface form the articles gave."""

    label: str
    key: str
    name: str
    aliases: set[str] = field(default_factory=set)
    # (label, key) of the other entities of the articles naming it: the evidence a surname alone needs
    context: set[tuple[str, str]] = field(default_factory=set)

    def forms(self) -> list[str]:
        return sorted({*self.aliases, *gazetteer_forms(self.name)} - {self.name})


@dataclass
class _Known:
    pk: int
    name: str
    label: str
    aliases: list[str]


@dataclass
class Resolution:
    entity_ids: dict[tuple[str, str], int]
    created: set[int]
    suggestions: int


def entities_resolve(wanted: dict[tuple[str, str], Wanted]) -> Resolution:
    """The entity id for every wanted (label, key), created if none is found; see the module docstring."""
    if not wanted:
        return Resolution({}, set(), 0)
    if not settings.VIGIE_CROSS_LINKING:
        created = _create(wanted, [[wk] for wk in wanted])
        return Resolution(created, set(created.values()), 0)
    exact = {
        wk: {k for kind, k in entity_keys(w.name, w.label, w.forms()) if kind != "token"} for wk, w in wanted.items()
    }
    lookups = {k for w in wanted.values() for k in lookup_keys(w.name, w.label, w.forms())}
    rows = _key_rows(lookups)
    known = _known({pk for pk, *_ in rows})
    by_key: dict[tuple[str, str], set[int]] = defaultdict(set)  # (label, key) -> entities, exact kinds
    by_block: dict[tuple[str, str], set[int]] = defaultdict(set)
    for pk, label, kind, key in rows:
        if pk not in known:
            continue
        (by_block if kind == "token" else by_key)[(label, key)].add(pk)
        if kind != "token":
            by_block[(label, key)].add(pk)  # a lone surname meets full names through their name keys too

    linked: dict[tuple[str, str], int] = {}
    doubts: dict[tuple[str, str], list[tuple[int, Match]]] = {}
    duplicates: list[tuple[int, int, str]] = []
    needs_context: dict[tuple[str, str], int] = {}
    for wk, w in wanted.items():
        hits = sorted({pk for k in exact[wk] for pk in by_key.get((w.label, k), ())})
        if hits:
            same_name = [pk for pk in hits if name_key(known[pk].name) == w.key]
            linked[wk] = (same_name or hits)[0]
            duplicates += [(linked[wk], pk, "clé commune") for pk in hits if pk != linked[wk]]
            continue
        block = {pk for k in lookup_keys(w.name, w.label, w.forms()) for pk in by_block.get((w.label, k), ())}
        scored = []
        for pk in sorted(block):
            k = known[pk]
            match = compare(Name(w.name, w.label, tuple(w.forms())), Name(k.name, k.label, tuple(k.aliases)))
            if match is not None:
                scored.append((pk, match))
        scored.sort(key=lambda pm: -pm[1].score)
        sure = [(pk, m) for pk, m in scored if m.auto]
        if sure and (len(sure) == 1 or sure[0][1].score > sure[1][1].score):
            linked[wk] = sure[0][0]
            continue
        lone = [(pk, m) for pk, m in scored if m.needs_context]
        if len(lone) == 1 and not sure:
            needs_context[wk] = lone[0][0]
        doubts[wk] = scored

    _link_with_context(wanted, linked, needs_context)
    for wk in linked:
        doubts.pop(wk, None)

    missing = [wk for wk in wanted if wk not in linked]
    groups, new_doubts = _among_new(wanted, missing)
    created = _create(wanted, groups)
    linked.update(created)
    _learn(wanted, linked, known, created)
    pairs = [(linked[wk], pk, m.reason, m.score) for wk, scored in doubts.items() for pk, m in scored[:5]]
    pairs += [(a, b, reason, 0.9) for a, b, reason in duplicates]
    pairs += [(linked[a], linked[b], m.reason, m.score) for a, b, m in new_doubts]
    suggestions = _suggest(pairs)
    return Resolution({wk: linked[wk] for wk in wanted}, set(created.values()), suggestions)


def _key_rows(lookups: set[str]) -> list[tuple[int, str, str, str]]:
    """(entity, label, kind, key) of every key looked up, leaving out the blocks too large to read."""
    if not lookups:
        return []
    too_big = {
        (label, key)
        for key, label, n in EntityKey.objects.filter(key__in=lookups, kind=EntityKey.Kind.TOKEN)
        .values("key", "label")
        .annotate(n=Count("pk"))
        .filter(n__gt=BLOCK_CAP)
        .values_list("key", "label", "n")
    }
    rows = EntityKey.objects.filter(key__in=lookups)
    if too_big:  # left out by the database: a crowded block would ship thousands of rows for nothing
        crowded = Q()
        for label, key in too_big:
            crowded |= Q(kind=EntityKey.Kind.TOKEN, label=label, key=key)
        rows = rows.exclude(crowded)
    return list(rows.values_list("entity_id", "label", "kind", "key"))


def _known(ids: set[int]) -> dict[int, _Known]:
    if not ids:
        return {}
    return {
        pk: _Known(pk, name, label, aliases or [])
        for pk, name, label, aliases in Entity.objects.filter(pk__in=ids, merged_into=None).values_list(
            "pk", "name", "label", "aliases"
        )
    }


def _link_with_context(
    wanted: dict[tuple[str, str], Wanted], linked: dict[tuple[str, str], int], lone: dict[tuple[str, str], int]
) -> None:
    """A surname alone is its one candidate when that candidate already appears beside a person or
    body this article also names (« Hassad » in an article naming Rabat's DGST, where Mohamed Hassad
    appeared before with the DGST)."""
    if not lone:
        return
    candidates = set(lone.values())
    articles_of: dict[int, set[int]] = defaultdict(set)
    # The candidates' latest articles are evidence enough; a bound keeps a famous name cheap.
    for article_id, entity_id in (
        Mention.objects.filter(entity_id__in=candidates).values_list("article_id", "entity_id").distinct()[:2000]
    ):
        articles_of[article_id].add(entity_id)
    beside: dict[int, set[int]] = defaultdict(set)
    for article_id, other_id in (
        Mention.objects.filter(article_id__in=list(articles_of), entity__label__in=("PER", "ORG"))
        .values_list("article_id", "entity_id")
        .distinct()
    ):
        for entity_id in articles_of[article_id]:
            if other_id != entity_id:
                beside[entity_id].add(other_id)
    for wk, candidate in lone.items():
        context_ids = {linked[c] for c in wanted[wk].context if c in linked and c[0] in ("PER", "ORG")}
        if context_ids & beside[candidate]:
            linked[wk] = candidate


def _among_new(
    wanted: dict[tuple[str, str], Wanted], missing: list[tuple[str, str]]
) -> tuple[list[list[tuple[str, str]]], list[tuple[tuple[str, str], tuple[str, str], Match]]]:
    """The names of one batch that no entity holds yet, grouped when they are one entity by the same
    rules (two articles of one import spelling a new name two ways); doubtful pairs for suggestions."""
    parent = {wk: wk for wk in missing}

    def root(wk: tuple[str, str]) -> tuple[str, str]:
        while parent[wk] != wk:
            parent[wk] = parent[parent[wk]]
            wk = parent[wk]
        return wk

    by_key: dict[tuple[str, str, str], list[tuple[tuple[str, str], str]]] = defaultdict(list)
    for wk in missing:
        w = wanted[wk]
        for kind, key in entity_keys(w.name, w.label, w.forms()):
            by_key[(w.label, "block" if kind == "token" else "exact", key)].append((wk, kind))
    doubts = []
    compared: set[tuple[tuple[str, str], tuple[str, str]]] = set()
    for (_, block, _), members in by_key.items():
        if len(members) < 2 or len(members) > BLOCK_CAP:
            continue
        for i, (a, _) in enumerate(members):
            for b, _ in members[i + 1 :]:
                if a == b:
                    continue
                if block == "exact":  # a key in common, as with an existing entity: one entity
                    parent[root(a)] = root(b)
                    continue
                if (a, b) in compared or root(a) == root(b):
                    continue
                compared.add((a, b))
                wa, wb = wanted[a], wanted[b]
                match = compare(Name(wa.name, wa.label, tuple(wa.forms())), Name(wb.name, wb.label, tuple(wb.forms())))
                if match is None:
                    continue
                shared = {c for c in wa.context & wb.context if c[0] in ("PER", "ORG")}
                if match.auto or (match.needs_context and shared):
                    parent[root(a)] = root(b)  # a surname alone beside the same people: the rule for known ones
                else:
                    doubts.append((a, b, match))
    groups: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for wk in missing:
        groups[root(wk)].append(wk)
    return list(groups.values()), [(a, b, m) for a, b, m in doubts if root(a) != root(b)]


def _create(wanted: dict[tuple[str, str], Wanted], groups: list[list[tuple[str, str]]]) -> dict[tuple[str, str], int]:
    """One new entity per group, named by its longest name, with the others as aliases."""
    rows = []
    for group in groups:
        first = max(group, key=lambda wk: (len(wanted[wk].name), wanted[wk].name))
        w = wanted[first]
        aliases = {a for wk in group for a in (wanted[wk].name, *wanted[wk].aliases)} - {w.name}
        rows.append((w.name[:300], w.label, w.key[:300], sorted(aliases)[:50]))
    ids = insert_rows(Entity, ("name", "label", "key", "aliases"), rows, with_ids=True)
    return {wk: pk for group, pk in zip(groups, ids, strict=True) for wk in group}


def _learn(
    wanted: dict[tuple[str, str], Wanted],
    linked: dict[tuple[str, str], int],
    known: dict[int, _Known],
    created: dict[tuple[str, str], int],
) -> None:
    """Keys for new entities; the new names and aliases an article gave an entity found again."""
    keys: set[tuple[int, str, str, str]] = set()
    grown: dict[int, set[str]] = defaultdict(set)
    for wk, w in wanted.items():
        pk = linked[wk]
        if wk in created:
            keys |= {(pk, w.label, kind, key) for kind, key in entity_keys(w.name, w.label, w.forms())}
            continue
        entity = known.get(pk)
        if entity is None:
            continue
        surfaces = {w.name, *w.aliases} - {entity.name, *entity.aliases}
        if surfaces:
            grown[pk] |= surfaces
            keys |= {(pk, w.label, kind, key) for kind, key in entity_keys(entity.name, w.label, sorted(surfaces))}
    if keys:
        EntityKey.objects.bulk_create(
            [EntityKey(entity_id=pk, label=label, kind=kind, key=key) for pk, label, kind, key in sorted(keys)],
            ignore_conflicts=True,
        )
    if grown:
        updates = []
        for pk, surfaces in grown.items():
            entity = known[pk]
            aliases = sorted({*entity.aliases, *surfaces} - {entity.name})[:50]
            updates.append(Entity(pk=pk, aliases=aliases))
            entity.aliases = aliases
        Entity.objects.bulk_update(updates, ["aliases"])


def judged_pairs(pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The pairs (lower id first) an analyst already judged, whatever the verdict."""
    pairs = {tuple(sorted(p)) for p in pairs}
    if not pairs:
        return set()
    lefts = {a for a, _ in pairs}
    return {
        (a, b)
        for a, b in Judgement.objects.filter(left_entity_id__in=lefts).values_list("left_entity_id", "right_entity_id")
        if (a, b) in pairs
    }


def _suggest(pairs: list[tuple[int, int, str, float]]) -> int:
    """Merge suggestions for the pairs, but never one an analyst judged."""
    ordered = {}
    for a, b, reason, score in pairs:
        if a == b:
            continue
        key = (min(a, b), max(a, b))
        if key not in ordered or ordered[key][1] < score:
            ordered[key] = (reason, score)
    judged = judged_pairs(ordered)
    rows = [
        EntityCandidate(left_id=a, right_id=b, reason=reason[:200], score=round(score, 3))
        for (a, b), (reason, score) in ordered.items()
        if (a, b) not in judged
    ]
    EntityCandidate.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def entity_keys_refresh(entity: Entity) -> None:
    """Give an entity the keys of its name and aliases (after an analyst renamed it or gave it aliases)."""
    EntityKey.objects.bulk_create(
        [
            EntityKey(entity=entity, label=entity.label, kind=kind, key=key)
            for kind, key in entity_keys(entity.name, entity.label, entity.aliases or [])
        ],
        ignore_conflicts=True,
    )

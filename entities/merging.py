"""Analysts' decisions on entities across articles: merge, split back, judge a pair.

Each function is one decision in one transaction, with its audit row (``AuditEntry``, no article:
the decision is about entities, not one article). A merge moves every row that points at the
merged entity to the survivor and records exactly which rows it moved, so that splitting back
returns those rows, and only those (a mention an analyst re-linked since stays where it is).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from articles.models import AuditEntry
from entities.models import (
    Entity,
    EntityKey,
    EntityMerge,
    Event,
    EventArgument,
    HeaderEntity,
    Judgement,
    Mention,
    Role,
)


class MergeError(Exception):
    """A merge decision that cannot be applied; the message is for the analyst."""


def _state(entity: Entity) -> dict:
    return {
        "id": entity.pk,
        "name": entity.name,
        "label": entity.label,
        "aliases": list(entity.aliases or []),
        "merged_into": entity.merged_into_id,
    }


def _audit(actor: AbstractBaseUser, action: str, entity: Entity, before: dict | None, after: dict | None) -> None:
    AuditEntry.objects.create(
        actor=actor, action=action, object_type="entity", object_id=str(entity.pk), before=before, after=after
    )


def _locked(*ids: int) -> dict[int, Entity]:
    entities = {e.pk: e for e in Entity.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    missing = set(ids) - set(entities)
    if missing:
        raise MergeError("Entité introuvable.")
    return entities


def _judge_pair(actor: AbstractBaseUser, a: int, b: int, verdict: str) -> Judgement:
    left, right = sorted((a, b))
    judgement, _ = Judgement.objects.update_or_create(
        left_entity_id=left, right_entity_id=right, defaults={"verdict": verdict, "actor": actor}
    )
    return judgement


def _ids(queryset) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


def entity_merge(*, actor: AbstractBaseUser, source_id: int, target_id: int) -> EntityMerge:
    """Merge ``source`` into ``target``: the survivor takes its mentions, event arguments, roles, header
    entries, event places, keys and earlier merges; learns its name and aliases; records "same"."""
    if source_id == target_id:
        raise MergeError("Une entité ne peut pas être fusionnée avec elle-même.")
    with transaction.atomic():
        entities = _locked(source_id, target_id)
        source, target = entities[source_id], entities[target_id]
        if source.merged_into_id or target.merged_into_id:
            raise MergeError("L'une des deux entités a déjà été fusionnée : rechargez la page.")
        if source.label != target.label:
            raise MergeError(
                f"Types différents ({source.get_label_display()} / {target.get_label_display()}) : "
                "corrigez d'abord le type dans un article."
            )
        before = {"source": _state(source), "target": _state(target)}
        moved: dict[str, list] = {
            "mentions": _ids(Mention.objects.filter(entity=source)),
            "arguments": _ids(EventArgument.objects.filter(entity=source)),
            "roles": _ids(Role.objects.filter(of_entity=source)),
            "locations": _ids(Event.objects.filter(location=source)),
            "children": _ids(Entity.objects.filter(merged_into=source)),
        }
        Mention.objects.filter(pk__in=moved["mentions"]).update(entity=target)
        EventArgument.objects.filter(pk__in=moved["arguments"]).update(entity=target)
        Role.objects.filter(pk__in=moved["roles"]).update(of_entity=target)
        Event.objects.filter(pk__in=moved["locations"]).update(location=target)
        Entity.objects.filter(pk__in=moved["children"]).update(merged_into=target)
        # A header entry the survivor already has for that article and field cannot move (one row each):
        # it is removed, and written back on a split.
        taken = set(HeaderEntity.objects.filter(entity=target).values_list("article_id", "field"))
        headers = list(HeaderEntity.objects.filter(entity=source))
        moved["headers"] = [h.pk for h in headers if (h.article_id, h.field) not in taken]
        moved["headers_removed"] = [
            {"article": h.article_id, "field": h.field, "text": h.text, "run": h.run_id}
            for h in headers
            if (h.article_id, h.field) in taken
        ]
        HeaderEntity.objects.filter(pk__in=moved["headers"]).update(entity=target)
        HeaderEntity.objects.filter(entity=source).delete()
        own = set(EntityKey.objects.filter(entity=target).values_list("kind", "key"))
        keys = list(EntityKey.objects.filter(entity=source).values_list("pk", "kind", "key"))
        moved["keys"] = [pk for pk, kind, key in keys if (kind, key) not in own]
        EntityKey.objects.filter(pk__in=moved["keys"]).update(entity=target)
        added = sorted({source.name, *(source.aliases or [])} - {target.name, *(target.aliases or [])})
        moved["aliases_added"] = added
        target.aliases = [*(target.aliases or []), *added]
        target.save(update_fields=["aliases"])
        source.merged_into = target
        source.save(update_fields=["merged_into"])
        _judge_pair(actor, source.pk, target.pk, Judgement.Verdict.SAME)
        merge = EntityMerge.objects.create(source=source, target=target, actor=actor, moved=moved)
        _audit(
            actor,
            "entity.merge",
            source,
            before,
            {"source": _state(source), "target": _state(target), "merge": merge.pk, "moved": _counts(moved)},
        )
    return merge


def _counts(moved: dict[str, list]) -> dict[str, int]:
    return {k: len(v) for k, v in moved.items() if v}


def entity_unmerge(*, actor: AbstractBaseUser, merge_id: int) -> EntityMerge:
    """Split a merge back: the rows it moved that still point at the survivor return to the merged
    entity, which stands alone again; the pair is recorded as "not the same"."""
    with transaction.atomic():
        try:
            merge = EntityMerge.objects.select_for_update().get(pk=merge_id)
        except EntityMerge.DoesNotExist:
            raise MergeError("Fusion introuvable.") from None
        if merge.undone_at is not None:
            raise MergeError("Cette fusion a déjà été séparée.")
        entities = _locked(merge.source_id, merge.target_id)
        source, target = entities[merge.source_id], entities[merge.target_id]
        if source.merged_into_id != target.pk:
            raise MergeError("L'entité a changé depuis cette fusion : elle ne peut plus être séparée ainsi.")
        if target.merged_into_id is not None:
            raise MergeError(
                f"« {target.name} » a été fusionnée à son tour : séparez d'abord cette fusion-là, puis celle-ci."
            )
        before = {"source": _state(source), "target": _state(target)}
        moved = merge.moved
        Mention.objects.filter(pk__in=moved.get("mentions", []), entity=target).update(entity=source)
        EventArgument.objects.filter(pk__in=moved.get("arguments", []), entity=target).update(entity=source)
        Role.objects.filter(pk__in=moved.get("roles", []), of_entity=target).update(of_entity=source)
        Event.objects.filter(pk__in=moved.get("locations", []), location=target).update(location=source)
        Entity.objects.filter(pk__in=moved.get("children", []), merged_into=target).update(merged_into=source)
        HeaderEntity.objects.filter(pk__in=moved.get("headers", []), entity=target).update(entity=source)
        HeaderEntity.objects.bulk_create(
            [
                HeaderEntity(article_id=h["article"], field=h["field"], text=h["text"], run_id=h["run"], entity=source)
                for h in moved.get("headers_removed", [])
            ],
            ignore_conflicts=True,
        )
        EntityKey.objects.filter(pk__in=moved.get("keys", []), entity=target).update(entity=source)
        added = set(moved.get("aliases_added", []))
        target.aliases = [a for a in (target.aliases or []) if a not in added]
        target.save(update_fields=["aliases"])
        source.merged_into = None
        source.save(update_fields=["merged_into"])
        _judge_pair(actor, source.pk, target.pk, Judgement.Verdict.NOT_SAME)
        merge.undone_at, merge.undone_by = timezone.now(), actor
        merge.save(update_fields=["undone_at", "undone_by"])
        _audit(actor, "entity.unmerge", source, before, {"source": _state(source), "target": _state(target)})
    return merge


def entity_judge(*, actor: AbstractBaseUser, left_id: int, right_id: int, verdict: str) -> Judgement:
    """Record an analyst's word on a pair. "same" merges them (the one named less often into the other)."""
    if verdict not in Judgement.Verdict.values:
        raise MergeError("Verdict inconnu.")
    if left_id == right_id:
        raise MergeError("Une entité ne peut pas être comparée à elle-même.")
    if verdict == Judgement.Verdict.SAME:
        counts = dict(
            Entity.objects.filter(pk__in=(left_id, right_id)).annotate(n=Count("mentions")).values_list("pk", "n")
        )
        # The survivor is the one named more often, the older one on a tie: fewer rows move.
        source, target = sorted((left_id, right_id), key=lambda pk: (counts.get(pk, 0), -pk))
        entity_merge(actor=actor, source_id=source, target_id=target)
        return Judgement.objects.get(left_entity_id=min(left_id, right_id), right_entity_id=max(left_id, right_id))
    with transaction.atomic():
        entities = _locked(left_id, right_id)
        if any(e.merged_into_id for e in entities.values()):
            raise MergeError("L'une des deux entités a déjà été fusionnée : rechargez la page.")
        judgement = _judge_pair(actor, left_id, right_id, verdict)
        left = entities[min(left_id, right_id)]
        _audit(actor, "entity.judge", left, None, {"left": left_id, "right": right_id, "verdict": verdict})
    return judgement

"""Analysts' decisions on an article's suggestions: the services behind the review page.

Every function here is one decision by one person:

* it runs in one transaction that locks the article row, checks the version the
  analyst's page was based on (optimistic locking: a stale save is refused with
  the decisions made since, never applied over them), and bumps the version;
* it writes one audit row per object it changes (who, when, what, before and
  after), in the same transaction; rows of one decision share a batch, so that
  "undo" reverts the decision as a whole;
* it only ever touches the article named by the caller: an id of another
  article's mention or event is refused, not acted on.

The model never overwrites what these record (see ``entities.services``): a
decided row is not replaced by a later run, and what an analyst rejected or
corrected away is not proposed again.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article, AuditEntry
from articles.services import REVIEWABLE
from entities.models import (
    DateMention,
    Entity,
    Event,
    EventArgument,
    Label,
    Mention,
    Origin,
    Role,
    Status,
)
from entities.nlp.normalize import name_key
from entities.services import entity_for_name

ARGUMENT_ROLES = ("actor", "counterpart", "participant", "location", "organisation")
_ISO = {"day": re.compile(r"\d{4}-\d{2}-\d{2}"), "month": re.compile(r"\d{4}-\d{2}"), "year": re.compile(r"\d{4}")}


class ReviewError(Exception):
    """A decision that cannot be applied; the message is for the analyst."""


class StaleVersion(ReviewError):
    """The analyst's page is older than the article: what changed since is in ``changes``."""

    def __init__(self, current: int, changes: list[AuditEntry]):
        self.current = current
        self.changes = changes
        who = sorted({str(c.actor) for c in changes if c.actor is not None})
        super().__init__(
            "L'article a changé depuis l'affichage de votre page"
            + (f" ({', '.join(who)})" if who else "")
            + " : votre décision n'a pas été appliquée. Vérifiez les changements ci-dessous puis recommencez."
        )


@dataclass
class _Decision:
    """The open decision: the locked article, its new version, the audit rows' batch."""

    actor: AbstractBaseUser
    article: Article
    batch: str
    entries: list[AuditEntry]

    def audit(self, action: str, object_type: str, object_id: int, before: dict | None, after: dict | None) -> None:
        self.entries.append(
            AuditEntry(
                actor=self.actor,
                action=action,
                article_id=self.article.pk,
                object_type=object_type,
                object_id=str(object_id),
                before=before,
                after=after,
                version=self.article.version,
                batch=self.batch,
            )
        )


@contextmanager
def _decision(
    actor: AbstractBaseUser, article_id: int, version: int | None, *, reviewed_ok: bool = False
) -> Iterator[_Decision]:
    """``with _decision(actor, article_id, version) as d:`` one audited, version-checked decision."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if version is not None and article.version != version:
            changes = list(
                AuditEntry.objects.filter(article_id=article.pk, version__gt=version)
                .select_related("actor")
                .order_by("version", "id")
            )
            raise StaleVersion(article.version, changes)
        if article.status == Article.Status.REVIEWED and not reviewed_ok:
            raise ReviewError("Cet article est relu : un relecteur doit le rouvrir avant toute modification.")
        now = timezone.now()
        article.version += 1
        fields = ["version", "updated_at"]
        mine = article.assigned_to_id == getattr(actor, "pk", None)
        if mine or (not article.claim_is_live and article.status in REVIEWABLE):
            # Working on an article claims it, or keeps one's claim alive; never takes someone else's.
            article.assigned_to, article.assigned_at = actor, now
            fields += ["assigned_to", "assigned_at"]
        if article.status == Article.Status.EXTRACTED:
            article.status, article.status_changed_at = Article.Status.IN_REVIEW, now
            fields += ["status", "status_changed_at"]
        article.save(update_fields=fields)
        decision = _Decision(actor, article, str(uuid.uuid4()), [])
        yield decision
        if not decision.entries:
            raise ReviewError("Rien à changer.")
        AuditEntry.objects.bulk_create(decision.entries)


# ---------------------------------------------------------------------------
# Snapshots: what an audit row records, and what "undo" restores


def _mention_state(m: Mention) -> dict:
    return {
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "label": m.label,
        "status": m.status,
        "entity": m.entity_id,
        "entity_name": m.entity.name if m.entity_id and m.entity else "",
        "suggested_start": m.suggested_start,
        "suggested_end": m.suggested_end,
        "suggested_label": m.suggested_label,
        "decided_by": m.decided_by_id,
        "decided_at": m.decided_at.isoformat() if m.decided_at else None,
    }


def _event_state(e: Event) -> dict:
    return {
        "type": e.type,
        "suggested_type": e.suggested_type,
        "trigger_text": e.trigger_text,
        "status": e.status,
        "date_value": e.date_value,
        "date_precision": e.date_precision,
        "location": e.location_id,
        "arguments": sorted([a.role, a.mention_id, a.entity_id] for a in e.arguments.all()),
        "decided_by": e.decided_by_id,
        "decided_at": e.decided_at.isoformat() if e.decided_at else None,
    }


def _status_state(obj: DateMention | Role) -> dict:
    return {"status": obj.status, "text": obj.text}


def _mention(decision: _Decision, mention_id: int) -> Mention:
    try:
        return Mention.objects.select_related("entity").get(pk=mention_id, article_id=decision.article.pk)
    except Mention.DoesNotExist:
        raise ReviewError(
            "Cette mention n'existe plus (une nouvelle extraction l'a peut-être remplacée) : la page a été actualisée."
        ) from None


def _event(decision: _Decision, event_id: int) -> Event:
    try:
        return Event.objects.prefetch_related("arguments").get(pk=event_id, article_id=decision.article.pk)
    except Event.DoesNotExist:
        raise ReviewError(
            "Cet événement n'existe plus (une nouvelle extraction l'a peut-être remplacé) : la page a été actualisée."
        ) from None


def _decided(obj, actor: AbstractBaseUser, status: str) -> None:
    obj.status, obj.decided_by, obj.decided_at = status, actor, timezone.now()


def _remember_suggestion(m: Mention) -> None:
    # The model's version of a corrected mention: a later run must not propose it again.
    if m.suggested_start is None and m.origin == Origin.MODEL:
        m.suggested_start, m.suggested_end, m.suggested_label = m.start, m.end, m.label


def _check_span(text: str, start: int, end: int) -> None:
    if not (0 <= start < end <= len(text)):
        raise ReviewError("Le passage doit être une partie non vide du texte de l'article.")
    if not text[start:end].strip():
        raise ReviewError("Le passage sélectionné ne contient que des espaces.")


def _check_label(label: str) -> None:
    if label not in Label.values:
        raise ReviewError(f"Type d'entité inconnu : {label!r}.")


# ---------------------------------------------------------------------------
# Mentions


def mention_decide(
    *,
    actor: AbstractBaseUser,
    article_id: int,
    mention_id: int,
    status: str,
    version: int | None,
    same_text: bool = False,
) -> int:
    """Accept or reject a mention; with ``same_text``, also every undecided mention of the
    article with the same text and label. Returns how many mentions changed."""
    if status not in (Status.ACCEPTED, Status.REJECTED):
        raise ReviewError(f"Décision inconnue : {status!r}.")
    with _decision(actor, article_id, version) as d:
        mention = _mention(d, mention_id)
        targets = [mention]
        if same_text:
            targets += list(
                Mention.objects.select_related("entity")
                .filter(article_id=d.article.pk, text=mention.text, label=mention.label, status=Status.SUGGESTED)
                .exclude(pk=mention.pk)
            )
        for m in targets:
            before = _mention_state(m)
            _decided(m, actor, status)
            m.save(update_fields=["status", "decided_by", "decided_at"])
            d.audit(f"mention.{status}", "mention", m.pk, before, _mention_state(m))
    return len(targets)


def mention_correct(
    *, actor: AbstractBaseUser, article_id: int, mention_id: int, start: int, end: int, label: str, version: int | None
) -> Mention:
    """Fix a mention's span or label; the model's version is remembered and not proposed again."""
    _check_label(label)
    with _decision(actor, article_id, version) as d:
        mention = _mention(d, mention_id)
        _check_span(d.article.text, start, end)
        if (start, end, label) == (mention.start, mention.end, mention.label):
            raise ReviewError("Rien à changer : le passage et le type sont les mêmes.")
        if Mention.objects.filter(article_id=d.article.pk, start=start, end=end, label=label).exists():
            raise ReviewError("Une autre mention occupe déjà exactement ce passage avec ce type.")
        before = _mention_state(mention)
        _remember_suggestion(mention)
        mention.start, mention.end, mention.label = start, end, label
        mention.text = d.article.text[start:end][:500]
        _decided(mention, actor, Status.CORRECTED)
        mention.save()
        d.audit("mention.correct", "mention", mention.pk, before, _mention_state(mention))
    return mention


def mention_add(
    *, actor: AbstractBaseUser, article_id: int, start: int, end: int, label: str, version: int | None
) -> Mention:
    """An analyst adds a mention the model missed (linked to the entity of that name and type, or a new one)."""
    _check_label(label)
    with _decision(actor, article_id, version) as d:
        text = d.article.text
        _check_span(text, start, end)
        # Selections often catch a space at either end: the mention is the words.
        while text[start].isspace():
            start += 1
        while text[end - 1].isspace():
            end -= 1
        if Mention.objects.filter(article_id=d.article.pk, start=start, end=end, label=label).exists():
            raise ReviewError("Cette mention existe déjà.")
        surface = text[start:end][:500]
        mention = Mention.objects.create(
            article_id=d.article.pk,
            start=start,
            end=end,
            text=surface,
            label=label,
            entity=entity_for_name(surface, label),
            origin=Origin.ANALYST,
            status=Status.ACCEPTED,
            confidence=1.0,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        d.audit("mention.add", "mention", mention.pk, None, _mention_state(mention))
    return mention


def mention_link(
    *,
    actor: AbstractBaseUser,
    article_id: int,
    mention_id: int,
    version: int | None,
    entity_id: int | None = None,
    new_name: str = "",
) -> Mention:
    """Link a mention to another existing entity, or to a new entity named ``new_name``."""
    with _decision(actor, article_id, version) as d:
        mention = _mention(d, mention_id)
        if entity_id is not None:
            entity = Entity.objects.filter(pk=entity_id).first()
            if entity is None:
                raise ReviewError("Entité introuvable.")
            while entity.merged_into_id is not None:  # a merged entity stands for its survivor
                entity = entity.merged_into
        else:
            new_name = " ".join(new_name.split())
            if not new_name:
                raise ReviewError("Donnez un nom à la nouvelle entité.")
            entity = Entity.objects.create(
                name=new_name[:300], label=mention.label, key=(name_key(new_name) or new_name.casefold())[:300]
            )
        if entity.pk == mention.entity_id:
            raise ReviewError("La mention est déjà liée à cette entité.")
        before = _mention_state(mention)
        _remember_suggestion(mention)
        mention.entity = entity
        _decided(mention, actor, Status.CORRECTED)
        mention.save(update_fields=["entity", "status", "decided_by", "decided_at", *_SUGGESTED_FIELDS])
        d.audit("mention.link", "mention", mention.pk, before, _mention_state(mention))
    return mention


_SUGGESTED_FIELDS = ["suggested_start", "suggested_end", "suggested_label"]


# ---------------------------------------------------------------------------
# Events


def event_decide(*, actor: AbstractBaseUser, article_id: int, event_id: int, status: str, version: int | None) -> Event:
    """Accept or reject an event suggestion."""
    if status not in (Status.ACCEPTED, Status.REJECTED):
        raise ReviewError(f"Décision inconnue : {status!r}.")
    with _decision(actor, article_id, version) as d:
        event = _event(d, event_id)
        before = _event_state(event)
        _decided(event, actor, status)
        event.save(update_fields=["status", "decided_by", "decided_at"])
        d.audit(f"event.{status}", "event", event.pk, before, _event_state(event))
    return event


def _check_date(value: str, precision: str) -> None:
    if not value and not precision:
        return
    pattern = _ISO.get(precision)
    if pattern is None or not pattern.fullmatch(value):
        raise ReviewError("Date attendue au format AAAA-MM-JJ (jour), AAAA-MM (mois) ou AAAA (année).")
    try:
        parts = [int(p) for p in value.split("-")] + [1, 1]
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        raise ReviewError(f"Date impossible : {value}.") from None


def event_update(
    *,
    actor: AbstractBaseUser,
    article_id: int,
    event_id: int,
    version: int | None,
    type: str,
    date_value: str,
    date_precision: str,
    location_id: int | None,
) -> Event:
    """Change an event's type, date (ISO at its precision) or place."""
    if type not in Event.Type.values:
        raise ReviewError(f"Type d'événement inconnu : {type!r}.")
    date_value = date_value.strip()
    if date_value and not date_precision:
        date_precision = {10: "day", 7: "month", 4: "year"}.get(len(date_value), "")
    if not date_value:
        date_precision = ""
    _check_date(date_value, date_precision)
    with _decision(actor, article_id, version) as d:
        event = _event(d, event_id)
        if location_id is not None and not Entity.objects.filter(pk=location_id).exists():
            raise ReviewError("Lieu introuvable.")
        if (type, date_value, date_precision, location_id) == (
            event.type,
            event.date_value,
            event.date_precision,
            event.location_id,
        ):
            raise ReviewError("Rien à changer.")
        if (
            type != event.type
            and Event.objects.filter(
                article_id=d.article.pk, type=type, trigger_start=event.trigger_start, trigger_end=event.trigger_end
            ).exists()
        ):
            raise ReviewError("Un événement de ce type existe déjà sur ce déclencheur.")
        before = _event_state(event)
        if type != event.type and not event.suggested_type and event.origin == Origin.MODEL:
            event.suggested_type = event.type
        event.type, event.date_value, event.date_precision = type, date_value, date_precision
        event.location_id = location_id
        if event.date_id is not None and before["date_value"] != date_value:
            event.date = None  # the date no longer comes from that expression of the text
        _decided(event, actor, Status.CORRECTED)
        event.save()
        d.audit("event.update", "event", event.pk, before, _event_state(event))
    return event


def event_argument_add(
    *, actor: AbstractBaseUser, article_id: int, event_id: int, version: int | None, role: str, mention_id: int
) -> EventArgument:
    """Add an argument (actor, counterpart, participant, location, organisation) from one of the article's mentions."""
    if role not in ARGUMENT_ROLES:
        raise ReviewError(f"Rôle inconnu : {role!r}.")
    with _decision(actor, article_id, version) as d:
        event = _event(d, event_id)
        mention = _mention(d, mention_id)
        if EventArgument.objects.filter(event=event, role=role, mention=mention).exists():
            raise ReviewError("Cet argument existe déjà.")
        before = _event_state(event)
        argument = EventArgument.objects.create(event=event, role=role, mention=mention, entity_id=mention.entity_id)
        _decided(event, actor, Status.CORRECTED)
        event.save(update_fields=["status", "decided_by", "decided_at"])
        event = _event(d, event_id)
        d.audit("event.argument_add", "event", event.pk, before, _event_state(event))
    return argument


def event_argument_remove(
    *, actor: AbstractBaseUser, article_id: int, event_id: int, argument_id: int, version: int | None
) -> None:
    with _decision(actor, article_id, version) as d:
        event = _event(d, event_id)
        argument = next((a for a in event.arguments.all() if a.pk == argument_id), None)
        if argument is None:
            raise ReviewError("Cet argument n'existe plus.")
        before = _event_state(event)
        argument.delete()
        _decided(event, actor, Status.CORRECTED)
        event.save(update_fields=["status", "decided_by", "decided_at"])
        event = _event(d, event_id)
        d.audit("event.argument_remove", "event", event.pk, before, _event_state(event))


# ---------------------------------------------------------------------------
# The whole article


def review_accept_remaining(*, actor: AbstractBaseUser, article_id: int, version: int | None) -> int:
    """Accept every suggestion of the article nobody has decided on yet; returns how many."""
    with _decision(actor, article_id, version) as d:
        now = timezone.now()
        pending = {"article_id": d.article.pk, "status": Status.SUGGESTED}
        mentions = list(Mention.objects.select_related("entity").filter(**pending))
        events = list(Event.objects.prefetch_related("arguments").filter(**pending))
        for m in mentions:
            before = _mention_state(m)
            m.status, m.decided_by, m.decided_at = Status.ACCEPTED, actor, now
            d.audit("mention.accepted", "mention", m.pk, before, _mention_state(m))
        for e in events:
            before = _event_state(e)
            e.status, e.decided_by, e.decided_at = Status.ACCEPTED, actor, now
            d.audit("event.accepted", "event", e.pk, before, _event_state(e))
        others: list[tuple[str, Iterable]] = [
            ("date", DateMention.objects.filter(**pending)),
            ("role", Role.objects.filter(**pending)),
        ]
        for object_type, queryset in others:
            rows = list(queryset)
            for row in rows:
                d.audit(f"{object_type}.accepted", object_type, row.pk, _status_state(row), {"status": "accepted"})
            queryset.model.objects.filter(pk__in=[r.pk for r in rows]).update(status=Status.ACCEPTED)
        Mention.objects.bulk_update(mentions, ["status", "decided_by", "decided_at"])
        Event.objects.bulk_update(events, ["status", "decided_by", "decided_at"])
        if not d.entries:
            raise ReviewError("Aucune suggestion en attente.")
    return len(d.entries)


def review_mark_done(*, actor: AbstractBaseUser, article_id: int, version: int | None) -> Article:
    """Mark the article reviewed and release its review claim."""
    with _decision(actor, article_id, version) as d:
        article = d.article
        if article.is_processing:
            raise ReviewError("Une extraction est en cours : attendez ses suggestions avant de marquer l'article relu.")
        before = {"status": article.status, "assigned_to": article.assigned_to_id}
        now = timezone.now()
        article.status, article.status_changed_at = Article.Status.REVIEWED, now
        article.reviewed_by, article.reviewed_at = actor, now
        article.assigned_to, article.assigned_at = None, None
        article.save(
            update_fields=["status", "status_changed_at", "reviewed_by", "reviewed_at", "assigned_to", "assigned_at"]
        )
        d.audit("article.reviewed", "article", article.pk, before, {"status": article.status})
    return article


def review_reopen(*, actor: AbstractBaseUser, article_id: int, version: int | None) -> Article:
    """A reviewer re-opens a reviewed article (the caller checks the permission)."""
    with _decision(actor, article_id, version, reviewed_ok=True) as d:
        article = d.article
        if article.status != Article.Status.REVIEWED:
            raise ReviewError("Cet article n'est pas relu : rien à rouvrir.")
        article.status, article.status_changed_at = Article.Status.IN_REVIEW, timezone.now()
        article.save(update_fields=["status", "status_changed_at"])
        d.audit(
            "article.reopen", "article", article.pk, {"status": Article.Status.REVIEWED}, {"status": article.status}
        )
    return article


# ---------------------------------------------------------------------------
# Undo


_MENTION_KEYS = ("start", "end", "label", "status", "entity")
_EVENT_KEYS = ("type", "status", "date_value", "date_precision", "location", "arguments")


def _changed_since(current: dict, after: dict | None, keys: tuple[str, ...]) -> bool:
    return after is not None and any(current.get(k) != after.get(k) for k in keys)


def last_undoable(actor: AbstractBaseUser, article_id: int) -> AuditEntry | None:
    """The actor's last decision on the article that can still be undone."""
    entries = AuditEntry.objects.filter(article_id=article_id, actor=actor, undone=False, batch__gt="")
    entries = entries.exclude(action__startswith="undo.").exclude(action__startswith="article.")
    return entries.order_by("-version", "-id").first()


def review_undo(*, actor: AbstractBaseUser, article_id: int, version: int | None) -> int:
    """Undo the actor's last decision on the article (every object it touched); returns how many."""
    with _decision(actor, article_id, version) as d:
        last = last_undoable(actor, article_id)
        if last is None:
            raise ReviewError("Aucune décision à annuler.")
        entries = list(AuditEntry.objects.filter(batch=last.batch, undone=False).order_by("-id"))
        for entry in entries:
            _revert(d, entry)
        AuditEntry.objects.filter(pk__in=[e.pk for e in entries]).update(undone=True)
    return len(entries)


def _revert(d: _Decision, entry: AuditEntry) -> None:
    object_id = int(entry.object_id)
    before = entry.before
    if entry.object_type == "mention":
        if before is None:  # the mention was added by the analyst: undoing removes it
            mention = _mention(d, object_id)
            state = _mention_state(mention)
            mention.delete()
            d.audit("undo.mention.add", "mention", object_id, state, None)
            return
        mention = _mention(d, object_id)
        state = _mention_state(mention)
        if _changed_since(state, entry.after, _MENTION_KEYS):
            raise ReviewError("Impossible d'annuler : cette mention a été modifiée depuis, par une autre décision.")
        clash = Mention.objects.filter(
            article_id=d.article.pk, start=before["start"], end=before["end"], label=before["label"]
        ).exclude(pk=object_id)
        if clash.exists():
            raise ReviewError("Impossible d'annuler : une autre mention occupe maintenant ce passage.")
        for name in ("start", "end", "text", "label", "status", *_SUGGESTED_FIELDS):
            setattr(mention, name, before[name])
        mention.entity_id = before["entity"] if Entity.objects.filter(pk=before["entity"]).exists() else None
        mention.decided_by_id = before["decided_by"]
        mention.decided_at = dt.datetime.fromisoformat(before["decided_at"]) if before["decided_at"] else None
        mention.save()
        d.audit(f"undo.{entry.action}", "mention", object_id, state, _mention_state(mention))
    elif entry.object_type == "event":
        event = _event(d, object_id)
        state = _event_state(event)
        if _changed_since(state, entry.after, _EVENT_KEYS):
            raise ReviewError("Impossible d'annuler : cet événement a été modifié depuis, par une autre décision.")
        event.type, event.suggested_type, event.status = before["type"], before["suggested_type"], before["status"]
        event.date_value, event.date_precision = before["date_value"], before["date_precision"]
        event.location_id = before["location"] if Entity.objects.filter(pk=before["location"]).exists() else None
        event.decided_by_id = before["decided_by"]
        event.decided_at = dt.datetime.fromisoformat(before["decided_at"]) if before["decided_at"] else None
        event.save()
        if sorted(state["arguments"]) != sorted(before["arguments"]):
            EventArgument.objects.filter(event=event).delete()
            live = set(Mention.objects.filter(article_id=d.article.pk).values_list("pk", flat=True))
            EventArgument.objects.bulk_create(
                EventArgument(event=event, role=role, mention_id=mention_id, entity_id=entity_id)
                for role, mention_id, entity_id in before["arguments"]
                if mention_id is None or mention_id in live
            )
        event = _event(d, object_id)
        d.audit(f"undo.{entry.action}", "event", object_id, state, _event_state(event))
    elif entry.object_type in ("date", "role"):
        model = DateMention if entry.object_type == "date" else Role
        model.objects.filter(pk=object_id, article_id=d.article.pk).update(status=before["status"])
        d.audit(f"undo.{entry.action}", entry.object_type, object_id, entry.after, before)
    else:
        raise ReviewError("Cette décision ne peut pas être annulée.")

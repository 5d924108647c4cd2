"""Forms and filters of the entity pages and the merge queue."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from entities.models import Entity, EntityKey, Judgement, Label
from entities.nlp.normalize import name_key

# A skip list longer than this is cut: the URL stays readable and the query bounded.
MAX_SKIP = 200


def parse_skip(raw: str) -> list[int]:
    """``?skip=3,8,12``: the candidate ids passed over in this session of the queue (junk ignored)."""
    ids: list[int] = []
    for part in (raw or "").split(","):
        part = part.strip()
        if part.isdigit() and int(part) not in ids:
            ids.append(int(part))
    return ids[-MAX_SKIP:]


def skip_param(ids: list[int]) -> str:
    return ",".join(str(i) for i in ids[-MAX_SKIP:])


class JudgeForm(forms.Form):
    verdict = forms.ChoiceField(choices=Judgement.Verdict.choices)
    skip = forms.CharField(required=False)


class MergeForm(forms.Form):
    """« Fusionner avec… » on an entity page: the other entity, and which of the two survives."""

    KEEP_THIS, KEEP_OTHER = "this", "other"

    other = forms.IntegerField(min_value=1, label="Autre entité", error_messages={"required": "Choisissez une entité."})
    keep = forms.ChoiceField(
        choices=[(KEEP_THIS, "garder cette entité"), (KEEP_OTHER, "garder l'autre")],
        initial=KEEP_THIS,
        label="Entité conservée",
    )


class GraphForm(forms.Form):
    """The graph's filters, read from ``?from=&to=&label=``."""

    date_from = forms.DateField(required=False)
    date_to = forms.DateField(required=False)
    label = forms.MultipleChoiceField(choices=Label.choices, required=False)

    @classmethod
    def from_query(cls, query) -> GraphForm:
        return cls(
            {"date_from": query.get("from", ""), "date_to": query.get("to", ""), "label": query.getlist("label")}
        )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("La date de début est après la date de fin.")
        return data


class EntityFilter(django_filters.FilterSet):
    """The entity list's filters, on an explicit queryset of unmerged entities."""

    q = django_filters.CharFilter(method="search", label="Nom")
    label = django_filters.ChoiceFilter(choices=Label.choices, label="Type", empty_label="tous")

    class Meta:
        model = Entity
        fields: list[str] = []

    def search(self, queryset: QuerySet[Entity], name: str, value: str) -> QuerySet[Entity]:
        value = value.strip()
        if not value:
            return queryset
        key = name_key(value) or value.casefold()
        # An alias, an acronym or another spelling the linker knows finds the entity too.
        known = EntityKey.objects.filter(entity_id=OuterRef("pk"), key__startswith=key)
        return queryset.filter(Q(name__icontains=value) | Q(key__contains=key) | Exists(known))

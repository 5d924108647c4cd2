"""The review queue's filters: an explicit FilterSet on an already-scoped queryset.

Only the parameters declared here have any effect (django-filter ignores the
rest), so a crafted query string such as ``?created_by__password__startswith=a``
cannot filter on anything the form does not offer.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.models import Article, Source, review_claim_expiry
from entities.models import Entity, Event, Label, Mention, Status

# The stored, indexed tsvector of migration articles 0004 (PostgreSQL only, unknown to the model).
FULLTEXT_MATCH = '"articles_article"."search_fr" @@ websearch_to_tsquery(\'french\'::regconfig, %s)'


class QueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Recherche")
    status = django_filters.ChoiceFilter(choices=Article.Status.choices, label="Statut", empty_label="tous")
    source = django_filters.ModelChoiceFilter(queryset=Source.objects.all(), label="Source", empty_label="toutes")
    published = django_filters.DateFromToRangeFilter(method="published_between", label="Publié entre")
    import_job = django_filters.NumberFilter(field_name="import_job_id", label="Import n°", min_value=1)
    entity = django_filters.NumberFilter(method="with_entity", label="Contient l'entité", min_value=1)
    label = django_filters.ChoiceFilter(
        choices=Label.choices, method="with_label", label="Type d'entité", empty_label="tous"
    )
    event_type = django_filters.ChoiceFilter(
        choices=Event.Type.choices, method="with_event_type", label="Type d'événement", empty_label="tous"
    )
    below = django_filters.NumberFilter(
        method="with_low_confidence", label="Suggestions de confiance <", min_value=0, max_value=1
    )
    assigned = django_filters.ChoiceFilter(
        choices=[("me", "à moi"), ("none", "à personne")],
        method="assigned_to",
        label="Assigné",
        empty_label="peu importe",
    )
    dup = django_filters.ChoiceFilter(
        choices=[("only", "seulement les quasi-doublons"), ("hide", "sans les quasi-doublons")],
        method="near_duplicates",
        label="Quasi-doublons",
        empty_label="tous",
    )
    o = django_filters.OrderingFilter(
        fields=["created_at", "published_at", "title", "status", ("source__name", "source")],
        label="Tri",
    )

    class Meta:
        model = Article
        fields: list[str] = []

    FEW = 2_000

    def search(self, queryset: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        value = value.strip()
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            return queryset.alias(fulltext=RawSQL(FULLTEXT_MATCH, (value,), output_field=BooleanField())).filter(
                fulltext=True
            )
        return queryset.filter(Q(title__icontains=value) | Q(text__icontains=value))

    def published_between(self, queryset: QuerySet[Article], name: str, value: slice) -> QuerySet[Article]:
        # Whole days in the server's time zone, as aware datetimes: the index on published_at serves.
        def midnight(day: dt.date) -> dt.datetime:
            return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

        if value.start:
            queryset = queryset.filter(published_at__gte=midnight(value.start))
        if value.stop:
            queryset = queryset.filter(published_at__lt=midnight(value.stop + dt.timedelta(days=1)))
        if not self.form.cleaned_data.get("o"):
            # A publication range is read in publication order (newest first) unless a column is
            # chosen: what an analyst expects, and the published_at index serves filter and order.
            queryset = queryset.order_by("-published_at", "-id")
        return queryset

    def with_entity(self, queryset: QuerySet[Article], name: str, value) -> QuerySet[Article]:
        # The entity and every entity merged into it, as plain ids: the mention index on entity serves.
        entity_ids = [int(value), *Entity.objects.filter(merged_into_id=value).values_list("pk", flat=True)]
        mentions = Mention.objects.filter(entity_id__in=entity_ids).exclude(status=Status.REJECTED)
        # A rare entity's articles are read first, through that index: otherwise PostgreSQL walks
        # the whole queue in date order looking for the few articles that mention it.
        few = list(mentions.order_by().values_list("article_id", flat=True)[: self.FEW + 1])
        if len(few) <= self.FEW:
            return queryset.filter(pk__in=set(few))
        return queryset.filter(Exists(mentions.filter(article=OuterRef("pk"))))

    def with_label(self, queryset: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        mentions = Mention.objects.filter(article=OuterRef("pk"), label=value).exclude(status=Status.REJECTED)
        return queryset.filter(Exists(mentions))

    def with_event_type(self, queryset: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        events = Event.objects.filter(article=OuterRef("pk"), type=value).exclude(status=Status.REJECTED)
        return queryset.filter(Exists(events))

    def with_low_confidence(self, queryset: QuerySet[Article], name: str, value) -> QuerySet[Article]:
        pending = {"article": OuterRef("pk"), "status": Status.SUGGESTED, "confidence__lt": value}
        return queryset.filter(Exists(Mention.objects.filter(**pending)) | Exists(Event.objects.filter(**pending)))

    def assigned_to(self, queryset: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        live = Q(assigned_at__gte=review_claim_expiry())
        if value == "me":
            return queryset.filter(live, assigned_to=self.request.user)
        return queryset.exclude(live & Q(assigned_to__isnull=False))

    def near_duplicates(self, queryset: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        if value == "only":
            return queryset.filter(near_duplicate_of__isnull=False)
        return queryset.filter(near_duplicate_of__isnull=True)

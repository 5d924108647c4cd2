"""The event cluster list's filters: an explicit FilterSet on an already-scoped queryset.

Only the parameters declared here have any effect (django-filter ignores the rest).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from entities.models import Event, EventCluster


class ClusterFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=Event.Type.choices, label="Type", empty_label="tous")
    date = django_filters.DateFromToRangeFilter(method="dated_between", label="Date entre")
    status = django_filters.ChoiceFilter(choices=EventCluster.Status.choices, label="Statut", empty_label="tous")
    multi = django_filters.BooleanFilter(
        method="several_articles", label="plusieurs articles seulement", widget=forms.CheckboxInput
    )

    class Meta:
        model = EventCluster
        fields: list[str] = []

    def dated_between(self, queryset: QuerySet[EventCluster], name: str, value: slice) -> QuerySet[EventCluster]:
        # Dates are ISO strings at their precision: « 2024-03 » is in a range that touches March 2024.
        # A cluster's span starts at its value (« 2024-03 » sorts before « 2024-03-01 ») and ends at
        # the last day that value covers.
        if value.start:
            start = value.start.isoformat()
            queryset = queryset.filter(
                Q(date_value__gte=start) | Q(date_value=start[:7]) | Q(date_value=start[:4])
            ).exclude(date_value="")
        if value.stop:
            queryset = queryset.filter(date_value__lte=value.stop.isoformat()).exclude(date_value="")
        return queryset

    def several_articles(self, queryset: QuerySet[EventCluster], name: str, value: bool) -> QuerySet[EventCluster]:
        # n_articles is the scoped queryset's annotation (cluster_selectors.cluster_list).
        return queryset.filter(n_articles__gte=2) if value else queryset

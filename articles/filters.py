import django_filters
from django.db.models import Q

from articles.models import Article, Source


class ArticleListFilter(django_filters.FilterSet):
    """Filters of the article list; the queryset it receives is already scoped."""

    q = django_filters.CharFilter(method="search", label="Recherche")
    status = django_filters.ChoiceFilter(choices=Article.Status.choices, label="Statut", empty_label="tous")
    source = django_filters.ModelChoiceFilter(queryset=Source.objects.all(), label="Source", empty_label="toutes")

    class Meta:
        model = Article
        fields = ["q", "status", "source"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(text__icontains=value))

"""Reads with rules: scoping, prefetching and counts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.utils.functional import cached_property

from articles.models import Article, ImportJob


def articles_visible_to(user: AbstractBaseUser) -> QuerySet[Article]:
    # Every analyst of the team sees every article; scoping lives here so a
    # future per-team rule changes one function.
    if not user.is_authenticated:
        return Article.objects.none()
    return Article.objects.all()


def article_list(user: AbstractBaseUser) -> QuerySet[Article]:
    # Rows show only the near-duplicate's id: joining its whole row (its text included) cost more than the page.
    return articles_visible_to(user).select_related("source").defer("text", "raw_text", "minhash")


def article_status_counts(queryset: QuerySet[Article]) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in lifecycle order."""
    # COUNT(*), not COUNT(id): PostgreSQL can then answer from the status index alone.
    rows = dict(queryset.order_by().values_list("status").annotate(n=Count("*")))
    return [(value, label, rows.get(value, 0)) for value, label in Article.Status.choices]


def article_detail(user: AbstractBaseUser, pk: int) -> Article:
    return (
        articles_visible_to(user).select_related("source", "near_duplicate_of", "import_job", "created_by").get(pk=pk)
    )


def import_jobs_visible_to(user: AbstractBaseUser) -> QuerySet[ImportJob]:
    if not user.has_perm("articles.view_importjob"):
        return ImportJob.objects.none()
    return ImportJob.objects.all()


class CappedPaginator(Paginator):
    """Counts at most ``cap`` + 1 rows: on a queue of 100,000 articles with filters on
    millions of mentions, an exact count would cost more than the page itself."""

    def __init__(self, object_list, per_page: int, *, cap: int):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def queue(user: AbstractBaseUser) -> QuerySet[Article]:
    """The review queue's rows: what the list shows, without the texts."""
    return article_list(user).select_related("assigned_to")

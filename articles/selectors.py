"""Reads with rules: scoping, prefetching and counts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, QuerySet

from articles.models import Article, ImportJob


def articles_visible_to(user: AbstractBaseUser) -> QuerySet[Article]:
    # Every analyst of the team sees every article; scoping lives here so a
    # future per-team rule changes one function.
    if not user.is_authenticated:
        return Article.objects.none()
    return Article.objects.all()


def article_list(user: AbstractBaseUser) -> QuerySet[Article]:
    return articles_visible_to(user).select_related("source", "near_duplicate_of").defer("text", "raw_text", "minhash")


def article_status_counts(queryset: QuerySet[Article]) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in lifecycle order."""
    rows = dict(queryset.order_by().values_list("status").annotate(n=Count("id")))
    return [(value, label, rows.get(value, 0)) for value, label in Article.Status.choices]


def article_detail(user: AbstractBaseUser, pk: int) -> Article:
    return (
        articles_visible_to(user).select_related("source", "near_duplicate_of", "import_job", "created_by").get(pk=pk)
    )


def import_jobs_visible_to(user: AbstractBaseUser) -> QuerySet[ImportJob]:
    if not user.has_perm("articles.view_importjob"):
        return ImportJob.objects.none()
    return ImportJob.objects.all()

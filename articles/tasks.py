"""Celery tasks: ids in, claim the row, call services, safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

from articles.models import Article
from articles.services import article_claim_for_extraction, article_mark_failed, import_job_run
from entities.nlp import extract_many
from entities.services import extraction_store

logger = logging.getLogger(__name__)


def _local_date(article: Article):
    return article.published_at.date() if article.published_at else None


def _extract_claimed(article_ids: list[int]) -> None:
    """Run the pipeline on articles this process has claimed, then store each result."""
    articles = list(Article.objects.filter(pk__in=article_ids).only("id", "text", "published_at"))
    try:
        results = extract_many((a.text, _local_date(a)) for a in articles)
    except Exception as exc:
        logger.exception("extraction failed for articles %s", article_ids)
        for a in articles:
            article_mark_failed(a.pk, f"extraction failed: {type(exc).__name__}: {exc}")
        return
    for article, result in zip(articles, results, strict=True):
        try:
            extraction_store(article_id=article.pk, result=result)
        except Exception as exc:
            logger.exception("storing extraction of article %s failed", article.pk)
            article_mark_failed(article.pk, f"could not store extraction: {type(exc).__name__}: {exc}")


@shared_task(acks_late=True, ignore_result=True)
def extract_articles(article_ids: list[int]) -> int:
    """Extract the articles of one chunk that this worker can claim; returns how many it did."""
    claimed = [pk for pk in article_ids if article_claim_for_extraction(pk)]
    if claimed:
        _extract_claimed(claimed)
    return len(claimed)


def extract_articles_now(article_ids: list[int]) -> int:
    """Extract in this process (import_articles --sync), whatever broker is configured."""
    return extract_articles.run(article_ids)


@shared_task(acks_late=True, ignore_result=True)
def run_import(job_id: int) -> None:
    import_job_run(job_id)

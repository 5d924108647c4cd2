"""Celery tasks: ids in, claim the rows, call services, safe to run twice.

The pipeline runs outside any transaction; each article's results are written
in one short transaction by ``extraction_store``. Transient database errors
are retried with backoff and jitter a bounded number of times; an error in the
pipeline itself (bad input) is not retried: the article shows failed and why.
"""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from articles.models import Article
from articles.services import article_claim_for_extraction, article_mark_failed, import_job_run
from entities.nlp import extract_many
from entities.services import extraction_store

logger = logging.getLogger(__name__)

TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


def _extract_claimed(article_ids: list[int]) -> None:
    """Run the pipeline on articles this process has claimed, then store each result."""
    articles = list(Article.objects.filter(pk__in=article_ids).only("id", "text", "published_at"))
    started, clock = timezone.now(), time.perf_counter()
    try:
        results = extract_many((a.text, a.published_at.date() if a.published_at else None) for a in articles)
    except Exception as exc:
        logger.exception("extraction failed for articles %s", article_ids)
        for a in articles:
            article_mark_failed(a.pk, f"extraction failed: {type(exc).__name__}: {exc}")
        return
    per_article_ms = round((time.perf_counter() - clock) * 1000 / max(1, len(articles)))
    for article, result in zip(articles, results, strict=True):
        try:
            extraction_store(article_id=article.pk, result=result, started_at=started, duration_ms=per_article_ms)
        except TRANSIENT_DB_ERRORS:
            raise  # the task retries; the claim token lets it take these articles back
        except Exception as exc:
            logger.exception("storing extraction of article %s failed", article.pk)
            article_mark_failed(article.pk, f"could not store extraction: {type(exc).__name__}: {exc}")


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
)
def extract_articles(self, article_ids: list[int]) -> int:
    """Extract the articles of one chunk that this task can claim; returns how many it did."""
    token = self.request.id or ""
    claimed = [pk for pk in article_ids if article_claim_for_extraction(pk, token)]
    if claimed:
        _extract_claimed(claimed)
    return len(claimed)


def extract_articles_now(article_ids: list[int]) -> int:
    """Extract in this process (import_articles --sync), whatever broker is configured."""
    claimed = [pk for pk in article_ids if article_claim_for_extraction(pk)]
    if claimed:
        _extract_claimed(claimed)
    return len(claimed)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=2,
    retry_jitter=True,
    max_retries=5,
)
def run_import(job_id: int) -> None:
    import_job_run(job_id)

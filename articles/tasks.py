"""Celery tasks: ids in, claim the rows, call services, safe to run twice.

The pipeline runs outside any transaction; each article's results are written
in one short transaction by ``extraction_store``. Transient database errors
are retried with backoff and jitter a bounded number of times; an error in the
pipeline itself (bad input) is not retried: the article shows failed and why.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor

from celery import shared_task
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone

from articles.models import Article
from articles.services import article_claim_for_extraction, article_mark_failed, import_job_run
from entities.nlp import iter_extract
from entities.services import extraction_store

logger = logging.getLogger(__name__)

TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


def _store_one(article_id: int, result, started, duration_ms: int) -> None:
    try:
        extraction_store(article_id=article_id, result=result, started_at=started, duration_ms=duration_ms)
    except TRANSIENT_DB_ERRORS:
        raise  # the task retries; the claim token lets it take these articles back
    except Exception as exc:
        logger.exception("storing extraction of article %s failed", article_id)
        article_mark_failed(article_id, f"could not store extraction: {type(exc).__name__}: {exc}")


def _store_in_thread(article_id: int, result, started, duration_ms: int) -> None:
    try:
        _store_one(article_id, result, started, duration_ms)
    finally:
        connection.close()  # this thread's own connection


def _extract_claimed(article_ids: list[int]) -> None:
    """Run the pipeline on articles this process has claimed, then store each result.

    Outside a transaction, each result is written by a second thread while
    spaCy parses the next documents (spaCy releases the GIL in its numeric
    work), so the database writes cost little wall time. Inside one (tests
    wrapped in a transaction), the writes happen inline on this connection.
    """
    articles = list(Article.objects.filter(pk__in=article_ids).only("id", "text", "published_at"))
    started, clock = timezone.now(), time.perf_counter()
    overlap = not connection.in_atomic_block
    pending: list[Future] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vigie-store") as writer:
        try:
            results = iter_extract((a.text, a.published_at.date() if a.published_at else None) for a in articles)
            for done, (article, result) in enumerate(zip(articles, results, strict=True), start=1):
                duration_ms = round((time.perf_counter() - clock) * 1000 / done)
                if overlap:
                    pending.append(writer.submit(_store_in_thread, article.pk, result, started, duration_ms))
                else:
                    _store_one(article.pk, result, started, duration_ms)
        except TRANSIENT_DB_ERRORS:
            raise
        except Exception as exc:
            logger.exception("extraction failed for articles %s", article_ids)
            for future in pending:
                future.result()
            for a in articles:  # a no-op for those already stored: only "extracting" ones fail
                article_mark_failed(a.pk, f"extraction failed: {type(exc).__name__}: {exc}")
            return
        for future in pending:
            future.result()  # re-raises a transient error for the task's retry


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
    return extract_articles.run(article_ids)


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

"""Celery tasks: ids in, claim the rows, call services, safe to run twice.

The pipeline runs outside any transaction; the results are written a batch at
a time, each batch in one short transaction (``extraction_store_many``).
Transient database errors are retried with backoff and jitter a bounded number
of times; an error in the pipeline itself (bad input) is not retried: the
article shows failed and why.
"""

from __future__ import annotations

import logging
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.services import (
    TRANSIENT_DB_ERRORS,
    article_mark_failed,
    articles_claim_for_extraction,
    import_job_run,
)
from entities.nlp import iter_extract
from entities.services import ExtractionToStore, extraction_store, extraction_store_many, header_lines

logger = logging.getLogger(__name__)

# Retries of a task that met a transient database error: exponential backoff with
# full jitter (0 to 2, 4, 8... seconds, at most RETRY_BACKOFF_MAX), MAX_RETRIES times.
MAX_RETRIES = settings.VIGIE_TASK_MAX_RETRIES
RETRY_BACKOFF_MAX = settings.VIGIE_TASK_RETRY_BACKOFF_MAX


def fault_point(name: str) -> None:
    """A pause for the fault tests (tests/integration/test_faults.py); inert unless configured.

    With VIGIE_TEST_PAUSE_AT=name and VIGIE_TEST_PAUSE_DIR=dir in the worker's
    environment, the first process to reach the point writes its pid to
    dir/paused and sleeps until killed or until dir/release appears; later
    arrivals (the redelivered task) pass straight through.
    """
    if name != settings.VIGIE_TEST_PAUSE_AT or not settings.VIGIE_TEST_PAUSE_DIR:
        return
    folder = Path(settings.VIGIE_TEST_PAUSE_DIR)
    try:
        fd = os.open(folder / "paused", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as marker:
        marker.write(str(os.getpid()))
    logger.warning("fault point %s: pid %s paused", name, os.getpid())
    while not (folder / "release").exists():
        time.sleep(0.1)


def _store_one(item: ExtractionToStore) -> None:
    try:
        extraction_store(
            article_id=item.article_id,
            result=item.result,
            started_at=item.started_at,
            duration_ms=item.duration_ms,
            token=item.token,
        )
    except TRANSIENT_DB_ERRORS:
        raise  # the task retries; the claim token lets it take these articles back
    except Exception as exc:
        logger.exception("storing extraction of article %s failed", item.article_id)
        article_mark_failed(item.article_id, f"could not store extraction: {type(exc).__name__}: {exc}")


def _store_batch(items: list[ExtractionToStore]) -> None:
    """Write a batch in one transaction; if that fails, article by article, so one bad article fails alone."""
    try:
        extraction_store_many(items=items)
    except TRANSIENT_DB_ERRORS:
        raise
    except Exception:
        logger.warning("storing a batch of %s extractions failed; storing them one by one", len(items), exc_info=True)
        for item in items:
            _store_one(item)


def _header_texts(article: Article) -> list[str]:
    """The lines cleaning took out of the text that name people (headline, rubric, « Lire aussi »)."""
    lines = header_lines(article.title, article.title_inferred, article.rubric, article.removed_lines)
    return [text for _, text in lines]


def _extract_claimed(article_ids: list[int], token: str) -> None:
    """Run the pipeline on articles this process has claimed, then store the results in batches.

    Outside a transaction, each batch is written by a second thread while
    spaCy parses the next documents (spaCy releases the GIL in its numeric
    work), so the database writes cost little wall time; that thread opens
    one connection for the whole chunk. Inside one (tests wrapped in a
    transaction), the writes happen inline on this connection.

    Bad input is never retried: a text too long for the parser fails at once
    with the reason, and when the pipeline fails on a chunk, what it finished
    is kept and the rest is parsed one article at a time, so that only the
    article it cannot process fails, with the error as its reason.
    """
    articles = list(
        Article.objects.filter(pk__in=article_ids).only(
            "id", "text", "published_at", "title", "title_inferred", "rubric", "removed_lines"
        )
    )
    limit = settings.VIGIE_MAX_EXTRACT_CHARS
    for article in [a for a in articles if len(a.text) > limit]:
        article_mark_failed(
            article.pk,
            f"text too long to extract: {len(article.text)} characters, the parser takes at most {limit}; "
            "split it into several articles",
        )
        articles.remove(article)
    started, clock = timezone.now(), time.perf_counter()
    overlap = not connection.in_atomic_block
    pending: list[Future] = []
    batch: list[ExtractionToStore] = []
    parsed: set[int] = set()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vigie-store") as writer:

        def flush() -> None:
            if batch:
                items = batch.copy()
                batch.clear()
                if overlap:
                    pending.append(writer.submit(_store_batch, items))
                    if settings.VIGIE_TEST_PAUSE_AT:  # the fault tests pause once a batch is written
                        pending[-1].result()
                else:
                    _store_batch(items)
                fault_point("after-store")

        def parse(todo: list[Article]) -> None:
            results = iter_extract((a.text, a.published_day, _header_texts(a)) for a in todo)
            for article, result in zip(todo, results, strict=True):
                parsed.add(article.pk)
                duration_ms = round((time.perf_counter() - clock) * 1000 / len(parsed))
                batch.append(ExtractionToStore(article.pk, result, started, duration_ms, token))
                if len(batch) >= settings.VIGIE_STORE_BATCH:
                    flush()

        try:
            try:
                parse(articles)
            except TRANSIENT_DB_ERRORS:
                raise
            except Exception:
                logger.warning("the pipeline failed on articles %s; parsing the rest one by one", article_ids)
                for article in [a for a in articles if a.pk not in parsed]:
                    try:
                        parse([article])
                    except TRANSIENT_DB_ERRORS:
                        raise
                    except Exception as exc:
                        logger.exception("extraction of article %s failed", article.pk)
                        article_mark_failed(article.pk, f"extraction failed: {type(exc).__name__}: {exc}")
            flush()
            for future in pending:
                future.result()  # re-raises a transient error for the task's retry
        finally:
            if pending:
                writer.submit(connection.close)  # the writer thread's own connection


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=2,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def extract_articles(self, article_ids: list[int]) -> int:
    """Extract the articles of one chunk that this task can claim; returns how many it did.

    The claim's token is the task id: a redelivery or a retry of this message takes
    its articles back, any other task skips them.
    """
    return extract_articles_now(article_ids, token=self.request.id or "")


def extract_articles_now(article_ids: list[int], *, token: str = "") -> int:
    """Extract in this process (import_articles --sync), whatever broker is configured."""
    claimed = articles_claim_for_extraction(article_ids, token)
    if claimed:
        _extract_claimed(claimed, token[:64])
    return len(claimed)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=2,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def run_import(self, job_id: int) -> None:
    """Run (or resume) one import job; a retry of this message takes the job back by its token."""
    import_job_run(job_id, token=self.request.id or "")


@shared_task(ignore_result=True)
def relay() -> None:
    """The periodic relay (CELERY_BEAT_SCHEDULE): publish what the broker never got, reap dead workers' claims."""
    from articles.relay import relay_run

    relay_run()

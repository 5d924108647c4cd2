"""The relay and the reaper: the rows are the source of truth, the broker only carries ids.

A paste or an import that happens while the broker is down is saved as "queued"
with no message (``enqueued_at`` empty). A worker killed mid-extraction leaves
its articles "extracting" under a claim nobody will finish. An import whose
worker died stops sending heartbeats. ``relay_run`` finds each case in the
database and publishes the message again:

* queued articles and pending import jobs that no message carries, once they are
  ``VIGIE_RELAY_GRACE_SECONDS`` old (younger ones are still being published by
  the request that saved them);
* articles "extracting" under a claim older than ``VIGIE_EXTRACTION_CLAIM_SECONDS``:
  put back to "queued" (their claim cleared, so the dead worker's late write is
  refused) and published;
* running import jobs silent for longer than ``VIGIE_IMPORT_LEASE_SECONDS``;
* rows whose message the broker lost (a Redis restart without persistence): still
  queued ``VIGIE_RELAY_LOST_SECONDS`` after their publication while the broker's
  queue is empty.

Each row is published at most once per run, and marked in the same transaction
that locked it (``skip_locked``: two relays running at once share the work
instead of publishing twice). A redundant message is harmless anyway: the
claims make extraction and imports safe to run twice. One such case is known:
a broker that hangs (rather than refuses) may still carry out a publication the
request gave up on, and the relay then publishes that row a second time. Runs as
``manage.py relay`` and as the periodic task ``articles.tasks.relay``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import ChannelError

from articles.models import Article, ImportJob
from articles.services import enqueue_extractions, enqueue_import

logger = logging.getLogger(__name__)

# Rows handled per transaction.
BATCH = 500


@dataclass
class RelayReport:
    reaped: int = 0  # articles put back from a dead worker's "extracting"
    articles: int = 0  # articles published
    jobs: int = 0  # import jobs published (new, or resumed after their worker died)
    lost_checked: bool = False  # the broker was asked whether its queue is empty
    broker_down: bool = False  # a publication failed: the rest waits for the next run

    def __str__(self) -> str:
        text = f"{self.articles} articles and {self.jobs} import jobs published, {self.reaped} articles put back"
        return text + (" (broker unreachable: the rest waits for the next run)" if self.broker_down else "")


def _locked(queryset):
    """Lock the rows this relay handles; rows another relay holds are skipped, not waited for."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset.select_for_update()


def broker_queue_length() -> int | None:
    """Messages waiting in the extraction queue, or None when the broker cannot tell (or is down)."""
    from config.celery import app

    if app.conf.task_always_eager:
        return None
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)
            try:
                declared = conn.default_channel.queue_declare(queue=app.conf.task_default_queue, passive=True)
            except ChannelError as exc:
                if "NOT_FOUND" in str(exc):  # Redis keeps no key for an empty list: the queue is empty
                    return 0
                raise
            return declared.message_count
    except Exception:
        logger.info("could not read the broker's queue length", exc_info=True)
        return None


def _reap_extractions(now: dt.datetime, report: RelayReport) -> None:
    """Put back to "queued" the articles whose extraction claim has expired (their worker died), and publish them."""
    stale = now - dt.timedelta(seconds=settings.VIGIE_EXTRACTION_CLAIM_SECONDS)
    while not report.broker_down:
        with transaction.atomic():
            ids = list(
                _locked(Article.objects.filter(status=Article.Status.EXTRACTING, status_changed_at__lt=stale))
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                return
            Article.objects.filter(pk__in=ids).update(
                status=Article.Status.QUEUED,
                status_reason="",
                status_changed_at=now,
                claim_token="",  # the dead worker's late write, if it ever comes, is refused
                enqueued_at=None,
            )
            logger.warning("reaper: %s articles whose extraction claim expired put back in the queue", len(ids))
            report.reaped += len(ids)
            published = enqueue_extractions(ids)  # the rest are published by a later run, as never published
            report.articles += published
            report.broker_down = published < len(ids)
        if len(ids) < BATCH:
            return


def _publish_articles(condition: Q, report: RelayReport) -> None:
    while not report.broker_down:
        with transaction.atomic():
            ids = list(_locked(Article.objects.filter(condition)).order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not ids:
                return
            # Lost messages were marked already: clear the mark so that the publication sets it again. A chunk
            # the broker refuses stays unmarked, so the next run publishes it (and only it) again.
            Article.objects.filter(pk__in=ids).update(enqueued_at=None)
            published = enqueue_extractions(ids)
            report.articles += published
            report.broker_down = published < len(ids)
        if len(ids) < BATCH:
            return


def _publish_jobs(condition: Q, report: RelayReport) -> None:
    with transaction.atomic():
        for job_id in _locked(ImportJob.objects.filter(condition)).order_by("pk").values_list("pk", flat=True):
            ImportJob.objects.filter(pk=job_id).update(enqueued_at=None)
            if not enqueue_import(job_id):
                report.broker_down = True
                return
            report.jobs += 1


def relay_run(now: dt.datetime | None = None) -> RelayReport:
    """One pass of the reaper and the relay (see the module's docstring)."""
    now = now or timezone.now()
    report = RelayReport()
    _reap_extractions(now, report)
    grace = now - dt.timedelta(seconds=settings.VIGIE_RELAY_GRACE_SECONDS)
    lost = now - dt.timedelta(seconds=settings.VIGIE_RELAY_LOST_SECONDS)
    lease = now - dt.timedelta(seconds=settings.VIGIE_IMPORT_LEASE_SECONDS)
    queued = Q(status=Article.Status.QUEUED)
    pending = Q(status=ImportJob.Status.PENDING)

    _publish_articles(queued & Q(enqueued_at__isnull=True, status_changed_at__lt=grace), report)
    # A job whose worker died is published once per death: not again while the message waits.
    dead = Q(status=ImportJob.Status.RUNNING, heartbeat_at__lt=lease) & (
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=F("heartbeat_at"))
    )
    if not report.broker_down:
        _publish_jobs((pending & Q(enqueued_at__isnull=True, created_at__lt=grace)) | dead, report)

    # Messages the broker lost: only when its queue is empty, so that a long backlog is not doubled.
    if not report.broker_down and (
        Article.objects.filter(queued, enqueued_at__lt=lost).exists()
        or ImportJob.objects.filter(pending, enqueued_at__lt=lost).exists()
    ):
        report.lost_checked = True
        if broker_queue_length() == 0:
            logger.warning("relay: the broker's queue is empty, yet rows have waited since before %s", lost)
            _publish_articles(queued & Q(enqueued_at__lt=lost), report)
            if not report.broker_down:
                _publish_jobs(pending & Q(enqueued_at__lt=lost), report)
    if report.articles or report.jobs or report.reaped:
        logger.info("relay: %s", report)
    return report

"""The relay and the reaper: rows are the source of truth, the broker only carries ids (issue 6, items 1-2).

These run against real Celery publishing, not eager execution: kombu's in-memory
transport stands for a broker that is up (its queue can be read and drained), a
Redis URL on a closed port for one that is down. The fault tests in
tests/integration/test_faults.py do the same against a real Redis and worker.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from articles import relay, services
from articles.models import Article, ImportJob
from tests.brokers import Broker, closed_port

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Rabat – Les ministres de l'Intérieur se sont réunis mardi pour parler des frontières. Article {n}."


@pytest.fixture
def broker(settings):
    settings.VIGIE_RELAY_GRACE_SECONDS = 30
    b = Broker()
    yield b
    b.restore()


def older(model, seconds: int, **fields) -> None:
    """Age rows as if they had been saved ``seconds`` ago (the relay's grace period)."""
    moment = timezone.now() - dt.timedelta(seconds=seconds)
    stamp = dict.fromkeys(fields, moment)
    model.objects.update(**stamp)


def paste(owner, n: int) -> Article:
    return services.article_create_from_paste(actor=owner, text=TEXT.format(n=n)).article


def test_an_article_pasted_while_the_broker_is_down_is_saved_queued_and_relayed_once(broker, client_owner, owner):
    broker.use(f"redis://127.0.0.1:{closed_port()}/0")
    response = client_owner.post(reverse("articles:new"), {"text": TEXT.format(n=1)})
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.status, article.enqueued_at) == (Article.Status.QUEUED, None)

    broker.use("memory://")
    assert relay.relay_run().articles == 0  # too young: the request that saved it may still be publishing
    older(Article, 60, status_changed_at=True)
    report = relay.relay_run()
    assert (report.articles, report.broker_down) == (1, False)
    assert relay.relay_run().articles == 0  # exactly once
    assert broker.drain() == [("articles.tasks.extract_articles", [article.pk])]
    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED and article.enqueued_at is not None


def test_an_import_started_while_the_broker_is_down_is_relayed_once(broker, importer, tmp_path):
    path = tmp_path / "lot.jsonl"
    path.write_text(json.dumps({"text": TEXT.format(n=2)}) + "\n", encoding="utf-8")
    broker.use(f"redis://127.0.0.1:{closed_port()}/0")
    job = services.import_job_create(actor=importer, path=str(path), format="jsonl")
    job.refresh_from_db()
    assert (job.status, job.enqueued_at) == (ImportJob.Status.PENDING, None)

    broker.use("memory://")
    older(ImportJob, 60, created_at=True)
    assert relay.relay_run().jobs == 1
    assert relay.relay_run().jobs == 0
    assert broker.drain() == [("articles.tasks.run_import", job.pk)]


def test_a_published_article_is_not_relayed(broker, owner):
    broker.use("memory://")
    article = paste(owner, 3)
    article.refresh_from_db()
    assert article.enqueued_at is not None
    older(Article, 3600, status_changed_at=True)
    assert relay.relay_run().articles == 0
    assert broker.drain() == [("articles.tasks.extract_articles", [article.pk])]


def test_the_reaper_puts_back_what_a_dead_worker_held_and_its_late_write_is_refused(broker, owner, settings):
    from entities.nlp.types import ExtractionResult
    from entities.services import extraction_store

    broker.use("memory://")
    article = paste(owner, 4)
    broker.drain()
    assert services.articles_claim_for_extraction([article.pk], "dead-worker") == [article.pk]
    assert relay.relay_run().reaped == 0  # the claim is fresh

    settings.VIGIE_EXTRACTION_CLAIM_SECONDS = 60
    older(Article, 120, status_changed_at=True)
    report = relay.relay_run()
    assert (report.reaped, report.articles) == (1, 1)
    assert broker.drain() == [("articles.tasks.extract_articles", [article.pk])]
    article.refresh_from_db()
    assert (article.status, article.claim_token) == (Article.Status.QUEUED, "")
    assert relay.relay_run().articles == 0

    # The dead worker wakes up and writes: refused, nothing stored.
    late = ExtractionResult(pipeline_version="test", entities=[], events=[])
    assert extraction_store(article_id=article.pk, result=late, token="dead-worker") is None
    assert not article.extraction_runs.exists()


def test_a_write_under_another_claim_is_refused(broker, owner):
    from entities.nlp.types import ExtractionResult
    from entities.services import extraction_store

    broker.use("memory://")
    article = paste(owner, 5)
    assert services.articles_claim_for_extraction([article.pk], "second-worker") == [article.pk]
    result = ExtractionResult(pipeline_version="test", entities=[], events=[])
    assert extraction_store(article_id=article.pk, result=result, token="first-worker") is None
    assert extraction_store(article_id=article.pk, result=result, token="second-worker") is not None
    assert article.extraction_runs.count() == 1


def test_messages_the_broker_lost_are_published_again_only_when_its_queue_is_empty(broker, owner, settings):
    settings.VIGIE_RELAY_LOST_SECONDS = 600
    broker.use("memory://")
    first, second = paste(owner, 6), paste(owner, 7)
    older(Article, 3600, status_changed_at=True, enqueued_at=True)
    # Both messages still wait in the queue: a long backlog, not a loss.
    report = relay.relay_run()
    assert report.lost_checked and report.articles == 0
    broker.drain()  # the broker restarts empty: both messages are gone
    report = relay.relay_run()
    assert report.articles == 2
    assert sorted(pk for _, ids in broker.drain() for pk in ids) == [first.pk, second.pk]
    assert relay.relay_run().articles == 0


def test_the_relay_leaves_rows_for_the_next_run_while_the_broker_is_down(broker, owner):
    broker.use(f"redis://127.0.0.1:{closed_port()}/0")
    article = paste(owner, 8)
    older(Article, 60, status_changed_at=True)
    with pytest.raises(CommandError, match="unreachable"):
        call_command("relay")
    article.refresh_from_db()
    assert article.enqueued_at is None
    broker.use("memory://")
    call_command("relay")
    assert broker.drain() == [("articles.tasks.extract_articles", [article.pk])]


def test_a_dead_import_is_published_once_per_death(broker, importer, tmp_path, settings):
    settings.VIGIE_IMPORT_LEASE_SECONDS = 60
    path = tmp_path / "lot.jsonl"
    path.write_text(json.dumps({"text": TEXT.format(n=9)}) + "\n", encoding="utf-8")
    broker.use("memory://")
    job = services.import_job_create(actor=importer, path=str(path), format="jsonl")
    broker.drain()
    moment = timezone.now() - dt.timedelta(seconds=300)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, heartbeat_at=moment + dt.timedelta(seconds=10), enqueued_at=moment
    )
    assert relay.relay_run().jobs == 1
    assert relay.relay_run().jobs == 0  # its message waits for a worker: not published again
    assert broker.drain() == [("articles.tasks.run_import", job.pk)]
    # The worker that takes it resumes it (its lease had expired).
    done = services.import_job_run(job.pk, token="another-run")
    assert done.status == ImportJob.Status.DONE and done.created_count == 1


def test_the_status_command_reports_stuck_work_and_fails_on_it(broker, owner, settings, capsys):
    broker.use("memory://")
    article = paste(owner, 10)
    call_command("vigie_status")
    out = capsys.readouterr().out
    assert "queued 1" in out and "messages waiting in the broker's queue: 1" in out
    services.articles_claim_for_extraction([article.pk], "dead-worker")
    settings.VIGIE_EXTRACTION_CLAIM_SECONDS = 60
    older(Article, 3600, status_changed_at=True)
    with pytest.raises(CommandError, match="stuck"):
        call_command("vigie_status")
    assert "extracting past the claim timeout (the reaper should have put them back): 1" in capsys.readouterr().out
    relay.relay_run()
    call_command("vigie_status")

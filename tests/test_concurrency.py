"""Concurrent saves and a re-extraction under an analyst's hands (issue 6, items 6 and 7).

The threaded tests run on PostgreSQL, each thread on its own connection, so that
the row locks are real; the ordering tests run on both databases.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles import services as article_services
from articles.models import Article, AuditEntry
from entities import review, services
from entities.models import Event, Mention, Status
from entities.nlp.types import EntitySpan, EventArgument, EventSpan, ExtractionResult
from tests.factories import TEXT, extracted

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between threads: PostgreSQL only (SQLite serialises writes)"
)


def run_together(*calls):
    """Run each call in its own thread (own database connection), released at the same instant."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def body(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # reported to the test, which asserts on it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def rerun_result(*, drop: str = "", add: str = "") -> ExtractionResult:
    """What a new run predicts on the factory's text: the same spans, minus ``drop``, plus ``add`` (PER)."""
    spans = []
    for surface, label, nth in (
        ("Mohamed Hassad", "PER", 0),
        ("Rabat", "GPE", 0),
        ("Fernando Grande-Marlaska", "PER", 0),
        ("Mohamed Hassad", "PER", 1),
    ):
        if surface == drop:
            continue
        start = -1
        for _ in range(nth + 1):
            start = TEXT.index(surface, start + 1)
        spans.append(EntitySpan(start, start + len(surface), surface, label, 0.7, len(spans), surface))
    if add:
        start = TEXT.index(add)
        spans.append(EntitySpan(start, start + len(add), add, "PER", 0.6, len(spans), add))
    trigger = TEXT.index("a reçu")
    event = EventSpan(
        "MEETING", trigger, trigger + 6, "a reçu", 0, TEXT.index(".") + 1,
        (EventArgument("actor", 0),), None, "2024-03-05", "day", 0.8,
    )  # fmt: skip
    return ExtractionResult(pipeline_version="rerun", entities=spans, events=[event])


def start_rerun(article: Article, token: str = "rerun") -> None:
    """The re-extraction's claim, as the worker takes it before running the pipeline."""
    Article.objects.filter(pk=article.pk).update(status=Article.Status.QUEUED)
    assert article_services.articles_claim_for_extraction([article.pk], token) == [article.pk]


# --- 6. Two analysts save the same article from the same version ------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_analysts_saving_from_the_same_version_one_wins_the_other_is_told(owner, teammate):
    article = extracted(owner)
    rabat = Mention.objects.get(article=article, text="Rabat")
    marlaska = Mention.objects.get(article=article, text="Fernando Grande-Marlaska")
    clients = []
    for user in (owner, teammate):
        client = Client()
        client.force_login(user)
        clients.append(client)

    def decide(client, mention, status):
        url = reverse("review:mention_decide", args=[article.pk, mention.pk])
        response = client.post(url, {"version": 1, "status": status}, HTTP_HX_REQUEST="true")
        return response.status_code, response.content.decode()

    results = run_together(
        lambda: decide(clients[0], rabat, "rejected"), lambda: decide(clients[1], marlaska, "accepted")
    )
    assert all(status == 200 for status, _ in results), results
    refused = [html for _, html in results if "a changé depuis" in html]
    assert len(refused) == 1  # exactly one was told its page was stale
    article.refresh_from_db()
    assert article.version == 2  # one decision applied, on top of version 1
    # The winner's decision is in the database and audited; the loser's is not (it was shown what changed).
    winner = AuditEntry.objects.get(article=article, action__startswith="mention.")
    statuses = dict(Mention.objects.filter(pk__in=[rabat.pk, marlaska.pk]).values_list("pk", "status"))
    expected = {rabat.pk: Status.SUGGESTED, marlaska.pk: Status.SUGGESTED}
    expected[int(winner.object_id)] = Status.REJECTED if int(winner.object_id) == rabat.pk else Status.ACCEPTED
    assert statuses == expected


# --- 7. An analyst decides while a re-extraction of the same article is running -----------------


@pytest.mark.django_db
def test_a_decision_made_while_the_pipeline_runs_and_the_new_suggestions_both_survive(owner):
    article = extracted(owner)
    hassad = Mention.objects.filter(article=article, text="Mohamed Hassad").order_by("start").first()
    start_rerun(article)  # the worker claimed it and runs the pipeline...
    review.mention_decide(actor=owner, article_id=article.pk, mention_id=hassad.pk, status=Status.ACCEPTED, version=1)
    services.extraction_store(article_id=article.pk, result=rerun_result(add="Espagne"), token="rerun")

    hassad.refresh_from_db()
    assert (hassad.status, hassad.decided_by) == (Status.ACCEPTED, owner)
    assert Mention.objects.filter(article=article, text="Espagne", status=Status.SUGGESTED).exists()
    assert Article.objects.get(pk=article.pk).status == Article.Status.EXTRACTED


@pytest.mark.django_db
def test_a_decision_sent_from_a_page_shown_before_the_rerun_still_applies(owner):
    article = extracted(owner)
    rabat = Mention.objects.get(article=article, text="Rabat")
    event = Event.objects.get(article=article)
    start_rerun(article)
    services.extraction_store(
        article_id=article.pk, result=rerun_result(drop="Fernando Grande-Marlaska", add="Espagne"), token="rerun"
    )
    # The suggestions made again kept their ids: the page's buttons still point at them.
    assert Mention.objects.get(pk=rabat.pk).run.pipeline_version == "rerun"
    assert Event.objects.get(pk=event.pk).confidence == 0.8
    review.mention_decide(actor=owner, article_id=article.pk, mention_id=rabat.pk, status=Status.REJECTED, version=1)
    review.event_decide(actor=owner, article_id=article.pk, event_id=event.pk, status=Status.ACCEPTED, version=2)
    assert Mention.objects.get(pk=rabat.pk).status == Status.REJECTED
    assert Event.objects.get(pk=event.pk).status == Status.ACCEPTED
    assert Mention.objects.filter(article=article, text="Espagne").exists()
    # A suggestion the new run dropped is gone, and a decision on it says so rather than failing silently.
    assert not Mention.objects.filter(article=article, text="Fernando Grande-Marlaska").exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_decision_racing_the_store_of_a_rerun_survives_whichever_commits_first(owner):
    for attempt in range(6):  # both orders come up over a few rounds; each must keep both writes
        article = extracted(owner, text=f"{TEXT} Dépêche {attempt}.")
        hassad = Mention.objects.filter(article=article, text="Mohamed Hassad").order_by("start").first()
        start_rerun(article, token=f"rerun-{attempt}")
        result = rerun_result(add="Espagne")

        def decide(article=article, hassad=hassad):
            return review.mention_decide(
                actor=owner, article_id=article.pk, mention_id=hassad.pk, status=Status.ACCEPTED, version=1
            )

        def store(article=article, result=result, attempt=attempt):
            return services.extraction_store(article_id=article.pk, result=result, token=f"rerun-{attempt}")

        decided, stored = run_together(decide, store)
        assert decided == 1 and stored is not None, (decided, stored)
        hassad.refresh_from_db()
        assert hassad.status == Status.ACCEPTED
        assert Mention.objects.filter(article=article, text="Espagne", status=Status.SUGGESTED).exists()
        # Decision first: the store marks it extracted; store first: the decision puts it in review.
        assert Article.objects.get(pk=article.pk).status in {Article.Status.EXTRACTED, Article.Status.IN_REVIEW}

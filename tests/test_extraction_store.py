"""Extraction runs never overwrite a person's decision (DESIGN.md, rule 1)."""

from __future__ import annotations

import pytest

from articles import services as article_services
from articles.models import Article, AuditEntry
from entities import review, services
from entities.models import Entity, Event, ExtractionRun, Mention, Origin, Status
from entities.nlp.types import EntitySpan, EventArgument, EventSpan, ExtractionResult

pytestmark = pytest.mark.django_db

TEXT = "Le ministre Mohamed Hassad a reçu mardi Fernando Grande-Marlaska à Rabat avec Jean Dupont et Awa Diop."


def span(text: str, label: str, group: int, occurrence: str | None = None, confidence: float = 0.8) -> EntitySpan:
    start = TEXT.index(occurrence or text)
    return EntitySpan(start, start + len(text), text, label, confidence, group, text)


def result(*entities: EntitySpan, events: tuple[EventSpan, ...] = ()) -> ExtractionResult:
    return ExtractionResult(pipeline_version="test", entities=list(entities), events=list(events))


def meeting(actor: int, counterpart: int) -> EventSpan:
    start = TEXT.index("a reçu")
    return EventSpan(
        "MEETING", start, start + 6, "a reçu", 0, len(TEXT),
        (EventArgument("actor", actor), EventArgument("counterpart", counterpart)),
        None, "2024-03-05", "day", 0.9,
    )  # fmt: skip


@pytest.fixture
def article(owner):
    article = article_services.article_create_from_paste(actor=owner, text=TEXT).article
    Article.objects.filter(pk=article.pk).update(status=Article.Status.QUEUED)
    return article


def run(article: Article, extraction: ExtractionResult) -> ExtractionRun | None:
    assert article_services.article_claim_for_extraction(article.pk)
    return services.extraction_store(article_id=article.pk, result=extraction)


def by_text(article: Article) -> dict[str, Mention]:
    return {f"{m.text}/{m.label}": m for m in Mention.objects.filter(article=article)}


def test_it_keeps_every_human_decision_across_a_rerun(article, owner):
    hassad, marlaska = span("Mohamed Hassad", "PER", 0), span("Fernando Grande-Marlaska", "PER", 1)
    rabat, junk = span("Rabat", "PER", 2), span("mardi Fernando", "ORG", 3)
    run(article, result(hassad, marlaska, rabat, junk, events=(meeting(0, 1),)))
    first = by_text(article)
    assert len(first) == 4 and all(m.status == Status.SUGGESTED for m in first.values())

    decision = {"actor": owner, "article_id": article.pk, "version": None}
    review.mention_decide(**decision, mention_id=first["Mohamed Hassad/PER"].pk, status=Status.ACCEPTED)
    review.mention_decide(**decision, mention_id=first["mardi Fernando/ORG"].pk, status=Status.REJECTED)
    rabat_start = TEXT.index("Rabat")
    review.mention_correct(
        **decision, mention_id=first["Rabat/PER"].pk, start=rabat_start, end=rabat_start + 5, label="GPE"
    )
    jean = TEXT.index("Jean Dupont")
    review.mention_add(**decision, start=jean, end=jean + 11, label="PER")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.QUEUED)

    # The new run re-predicts Hassad, drops Marlaska, shifts the rejected and the
    # analyst-added spans, proposes the corrected-away label again, and finds Awa Diop.
    second = run(
        article,
        result(
            hassad,
            span("mardi", "ORG", 1),
            span("Rabat", "PER", 2),
            span("Jean", "PER", 3),
            span("Awa Diop", "PER", 4),
        ),
    )
    after = by_text(article)
    assert set(after) == {"Mohamed Hassad/PER", "mardi Fernando/ORG", "Rabat/GPE", "Jean Dupont/PER", "Awa Diop/PER"}
    assert after["Mohamed Hassad/PER"].status == Status.ACCEPTED
    assert after["mardi Fernando/ORG"].status == Status.REJECTED
    assert after["Rabat/GPE"].status == Status.CORRECTED
    assert after["Jean Dupont/PER"].origin == Origin.ANALYST
    assert after["Awa Diop/PER"].status == Status.SUGGESTED and after["Awa Diop/PER"].run == second
    # The first run's unreviewed suggestion that the new run no longer makes is gone.
    assert "Fernando Grande-Marlaska/PER" not in after
    # Suggestions blocked by a decision leave no entity behind.
    assert not Entity.objects.filter(key__in=["mardi", "jean"]).exists()
    assert AuditEntry.objects.filter(article=article, action__startswith="mention.").count() == 4


def test_it_replaces_only_unreviewed_events(article, owner):
    hassad, marlaska = span("Mohamed Hassad", "PER", 0), span("Fernando Grande-Marlaska", "PER", 1)
    run(article, result(hassad, marlaska, events=(meeting(0, 1),)))
    event = Event.objects.get(article=article)
    assert [a.role for a in event.arguments.order_by("role")] == ["actor", "counterpart"]
    Event.objects.filter(pk=event.pk).update(status=Status.ACCEPTED)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.QUEUED)
    run(article, result(hassad, marlaska, events=(meeting(0, 1),)))
    assert list(Event.objects.filter(article=article).values_list("pk", "status")) == [(event.pk, Status.ACCEPTED)]


def test_it_links_mentions_of_one_group_to_one_entity_across_articles(article, owner):
    run(article, result(span("Mohamed Hassad", "PER", 0)))
    other = article_services.article_create_from_paste(
        actor=owner, text="Selon M. Mohamed HASSAD, la réunion a été fructueuse pour les deux pays."
    ).article
    Article.objects.filter(pk=other.pk).update(status=Article.Status.QUEUED)
    assert article_services.article_claim_for_extraction(other.pk)
    start = other.text.index("Mohamed HASSAD")
    services.extraction_store(
        article_id=other.pk,
        result=result(EntitySpan(start, start + 14, "Mohamed HASSAD", "PER", 0.8, 0, "Mohamed HASSAD")),
    )
    assert Entity.objects.count() == 1
    assert Mention.objects.filter(entity__name="Mohamed Hassad").count() == 2


def test_it_writes_nothing_when_the_article_is_not_claimed(article):
    assert services.extraction_store(article_id=article.pk, result=result(span("Rabat", "GPE", 0))) is None
    assert not Mention.objects.exists() and not ExtractionRun.objects.exists()


def test_it_gives_the_same_state_when_a_chunk_task_runs_twice(article):
    from articles.tasks import extract_articles

    assert extract_articles.run([article.pk]) == 1
    assert extract_articles.run([article.pk]) == 0  # already extracted: nothing to claim
    assert ExtractionRun.objects.filter(article=article).count() == 1
    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTED


def queued_articles(owner, count: int) -> list[Article]:
    made = [
        article_services.article_create_from_paste(actor=owner, text=f"{TEXT} Dépêche numéro {n}.").article
        for n in range(count)
    ]
    Article.objects.filter(pk__in=[a.pk for a in made]).update(status=Article.Status.QUEUED)
    return made


def test_it_stores_the_others_when_one_article_of_a_chunk_cannot_be_stored(owner, monkeypatch):
    from articles import tasks

    good, bad, other = queued_articles(owner, 3)
    broken = EventSpan("MEETING", 21, 27, "a reçu", -1, len(TEXT), (), None, None, None, 0.9)  # negative offset
    by_text = {
        good.text: result(span("Mohamed Hassad", "PER", 0)),
        bad.text: result(span("Rabat", "GPE", 0), events=(broken,)),
        other.text: result(span("Rabat", "GPE", 0)),
    }
    monkeypatch.setattr(tasks, "iter_extract", lambda items: (by_text[text] for text, *_ in items))

    assert tasks.extract_articles.run([good.pk, bad.pk, other.pk]) == 3
    for article in (good, bad, other):
        article.refresh_from_db()
    assert (good.status, other.status) == (Article.Status.EXTRACTED, Article.Status.EXTRACTED)
    assert bad.status == Article.Status.FAILED and "could not store extraction" in bad.status_reason
    assert [m.text for m in Mention.objects.filter(article=good)] == ["Mohamed Hassad"]
    assert [m.text for m in Mention.objects.filter(article=other)] == ["Rabat"]
    assert not Mention.objects.filter(article=bad).exists() and not ExtractionRun.objects.filter(article=bad).exists()


def test_a_document_the_pipeline_cannot_process_fails_alone_and_is_not_retried(owner, monkeypatch):
    from articles import tasks

    first, broken, third = queued_articles(owner, 3)
    calls = []

    def fails_on_one(items):
        items = list(items)
        calls.append(len(items))
        for text, *_ in items:
            if text == broken.text:
                raise RuntimeError("model exploded on this document")
            yield result(span("Rabat", "GPE", 0))

    monkeypatch.setattr(tasks, "iter_extract", fails_on_one)
    assert tasks.extract_articles.run([first.pk, broken.pk, third.pk]) == 3
    statuses = dict(Article.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "extracted", broken.pk: "failed", third.pk: "extracted"}
    broken.refresh_from_db()
    assert "model exploded on this document" in broken.status_reason and broken.extraction_attempts == 1
    assert calls == [3, 1, 1]  # the chunk, then what it had not finished, one by one; the failure once
    assert Mention.objects.filter(text="Rabat").count() == 2


def test_a_text_too_long_for_the_parser_fails_with_the_reason_and_the_others_are_extracted(owner, settings):
    from articles import tasks

    settings.VIGIE_MAX_EXTRACT_CHARS = len(TEXT) + 30
    short = queued_articles(owner, 1)[0]
    long_text = TEXT + " " + " ".join(f"Paragraphe {n} sur la coopération." for n in range(40))
    long = article_services.article_create_from_paste(actor=owner, text=long_text).article
    Article.objects.filter(pk=long.pk).update(status=Article.Status.QUEUED)
    assert tasks.extract_articles.run([short.pk, long.pk]) == 2
    long.refresh_from_db()
    assert long.status == Article.Status.FAILED
    assert f"{len(long.text)} characters, the parser takes at most {len(TEXT) + 30}" in long.status_reason
    assert Article.objects.get(pk=short.pk).status == Article.Status.EXTRACTED


def test_it_writes_a_batch_as_it_writes_each_article_alone(owner):
    first, second, unclaimed = queued_articles(owner, 3)
    for article in (first, second):
        assert article_services.article_claim_for_extraction(article.pk)
    hassad = result(span("Mohamed Hassad", "PER", 0), span("Rabat", "GPE", 1), events=(meeting(0, 1),))
    runs = services.extraction_store_many(
        items=[services.ExtractionToStore(a.pk, hassad) for a in (first, second, unclaimed)]
    )
    assert set(runs) == {first.pk, second.pk}  # the unclaimed article is not this worker's to write
    assert not ExtractionRun.objects.filter(article=unclaimed).exists()
    assert Entity.objects.filter(name="Mohamed Hassad").count() == 1  # created once for the whole batch
    for article in (first, second):
        article.refresh_from_db()
        assert article.status == Article.Status.EXTRACTED
        run = ExtractionRun.objects.get(article=article)
        assert (run.mention_count, run.event_count) == (2, 1)
        event = Event.objects.get(article=article)
        assert {(a.role, a.mention.article_id) for a in event.arguments.all()} == {
            ("actor", article.pk),
            ("counterpart", article.pk),
        }


def test_it_lets_a_retry_of_the_same_task_take_its_claim_back(article):
    assert article_services.article_claim_for_extraction(article.pk, "task-1")
    assert not article_services.article_claim_for_extraction(article.pk, "task-2")
    assert article_services.article_claim_for_extraction(article.pk, "task-1")


def test_it_claims_the_articles_of_a_chunk_it_may_take_and_skips_the_others(owner):
    mine, theirs, done, retried = queued_articles(owner, 4)
    assert article_services.article_claim_for_extraction(theirs.pk, "task-2")
    assert article_services.article_claim_for_extraction(retried.pk, "task-1")
    Article.objects.filter(pk=done.pk).update(status=Article.Status.EXTRACTED)
    ids = [retried.pk, theirs.pk, mine.pk, done.pk]
    assert article_services.articles_claim_for_extraction(ids, "task-1") == [retried.pk, mine.pk]
    assert article_services.articles_claim_for_extraction(ids, "task-3") == []
    states = dict(Article.objects.filter(pk__in=ids).values_list("pk", "claim_token"))
    assert (states[mine.pk], states[retried.pk], states[theirs.pk]) == ("task-1", "task-1", "task-2")


def test_it_requeues_articles_for_a_new_run(article, owner, django_capture_on_commit_callbacks):
    run(article, result(span("Rabat", "GPE", 0)))
    with django_capture_on_commit_callbacks(execute=True):
        assert article_services.articles_reextract(actor=owner, article_ids=[article.pk]) == 1
    assert ExtractionRun.objects.filter(article=article).count() == 2
    assert AuditEntry.objects.filter(action="article.reextract", article=article).exists()


def test_it_refuses_a_correction_outside_the_text(article, owner):
    run(article, result(span("Rabat", "GPE", 0)))
    mention = Mention.objects.get()
    with pytest.raises(review.ReviewError):
        review.mention_correct(
            actor=owner,
            article_id=article.pk,
            mention_id=mention.pk,
            start=5,
            end=len(TEXT) + 10,
            label="GPE",
            version=None,
        )


def test_it_reports_rows_that_break_a_constraint_as_the_orm_would(article):
    # The store's fallback (one article at a time) and the task's retries tell errors apart by Django's classes.
    from django.db import IntegrityError, transaction

    from articles.bulk import insert_rows

    columns = ("article_id", "start", "end", "text", "label")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Mention, columns, [(article.pk, 3, 8, "Hassa", "PER"), (article.pk, 3, 8, "Hassa", "PER")])
    assert not Mention.objects.exists()
    ids = insert_rows(Mention, columns, [(article.pk, 3, 8, "Hassa", "PER")], with_ids=True)
    mention = Mention.objects.get(pk=ids[0])
    assert (mention.origin, mention.status, mention.confidence) == (Origin.MODEL, Status.SUGGESTED, 1.0)

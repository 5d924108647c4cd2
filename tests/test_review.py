"""The review services: every decision audited, version-checked, scoped to its article and undoable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from articles import services as article_services
from articles.models import Article, AuditEntry
from entities import review, services
from entities.models import DateMention, Entity, Event, EventArgument, Mention, Origin, Status
from entities.nlp.types import EntitySpan, EventSpan, ExtractionResult
from tests.factories import TEXT, extracted

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(owner):
    return extracted(owner)


def mention(article: Article, text: str, nth: int = 0) -> Mention:
    return list(Mention.objects.filter(article=article, text=text).order_by("start"))[nth]


def version(article: Article) -> int:
    return Article.objects.values_list("version", flat=True).get(pk=article.pk)


def relabel(actor, article: Article, m: Mention, label: str) -> Mention:
    return review.mention_correct(
        actor=actor, article_id=article.pk, mention_id=m.pk, start=m.start, end=m.end, label=label, version=None
    )


def edit_event(actor, article: Article, event: Event, **changes) -> Event:
    """``review.event_update`` with the event's current values, except ``changes``."""
    fields = {
        "type": event.type,
        "date_value": event.date_value,
        "date_precision": event.date_precision,
        "location_id": event.location_id,
        **changes,
    }
    return review.event_update(actor=actor, article_id=article.pk, event_id=event.pk, version=None, **fields)


def test_it_accepts_a_mention_with_an_audit_row_and_a_new_version(article, owner):
    hassad = mention(article, "Mohamed Hassad")
    review.mention_decide(
        actor=owner, article_id=article.pk, mention_id=hassad.pk, status=Status.ACCEPTED, version=article.version
    )
    hassad.refresh_from_db()
    assert (hassad.status, hassad.decided_by) == (Status.ACCEPTED, owner)
    article.refresh_from_db()
    assert article.version == 2 and article.status == Article.Status.IN_REVIEW
    entry = AuditEntry.objects.get(action="mention.accepted")
    assert (entry.actor, entry.version, entry.object_id) == (owner, 2, str(hassad.pk))
    assert entry.before["status"] == "suggested" and entry.after["status"] == "accepted"


def test_it_refuses_a_stale_version_and_says_what_changed(article, owner, teammate):
    hassad, rabat = mention(article, "Mohamed Hassad"), mention(article, "Rabat")
    seen = article.version
    review.mention_decide(actor=teammate, article_id=article.pk, mention_id=rabat.pk, status="rejected", version=seen)
    with pytest.raises(review.StaleVersion) as refused:
        review.mention_decide(actor=owner, article_id=article.pk, mention_id=hassad.pk, status="accepted", version=seen)
    assert [c.action for c in refused.value.changes] == ["mention.rejected"]
    assert "bob" in str(refused.value)
    hassad.refresh_from_db()
    assert hassad.status == Status.SUGGESTED  # nothing applied
    assert version(article) == seen + 1
    assert not AuditEntry.objects.filter(actor=owner, action__startswith="mention.").exists()


def test_it_applies_a_decision_to_every_identical_undecided_mention(article, owner):
    first, second = mention(article, "Mohamed Hassad", 0), mention(article, "Mohamed Hassad", 1)
    n = review.mention_decide(
        actor=owner, article_id=article.pk, mention_id=first.pk, status="rejected", version=None, same_text=True
    )
    assert n == 2
    assert set(Mention.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {"rejected"}
    assert mention(article, "Rabat").status == Status.SUGGESTED
    assert AuditEntry.objects.filter(action="mention.rejected").values("batch").distinct().count() == 1


def test_it_leaves_identical_mentions_a_person_decided_alone(article, owner, teammate):
    first, second = mention(article, "Mohamed Hassad", 0), mention(article, "Mohamed Hassad", 1)
    review.mention_decide(actor=teammate, article_id=article.pk, mention_id=second.pk, status="accepted", version=None)
    review.mention_decide(
        actor=owner, article_id=article.pk, mention_id=first.pk, status="rejected", version=None, same_text=True
    )
    second.refresh_from_db()
    assert second.status == Status.ACCEPTED and second.decided_by == teammate


def test_it_refuses_to_act_on_another_articles_mention(article, owner):
    other = extracted(owner, text=TEXT + " Autre dépêche.")
    foreign = mention(other, "Rabat")
    with pytest.raises(review.ReviewError):
        review.mention_decide(
            actor=owner, article_id=article.pk, mention_id=foreign.pk, status="rejected", version=None
        )
    foreign.refresh_from_db()
    assert foreign.status == Status.SUGGESTED


def test_it_corrects_a_span_and_remembers_what_the_model_said(article, owner):
    rabat = mention(article, "Rabat")
    start = TEXT.index("à Rabat")
    review.mention_correct(
        actor=owner,
        article_id=article.pk,
        mention_id=rabat.pk,
        start=start + 2,
        end=start + 7,
        label="LOC",
        version=None,
    )
    rabat.refresh_from_db()
    assert (rabat.text, rabat.label, rabat.status) == ("Rabat", "LOC", Status.CORRECTED)
    assert (rabat.suggested_label, rabat.suggested_start) == ("GPE", start + 2)
    with pytest.raises(review.ReviewError):
        review.mention_correct(
            actor=owner,
            article_id=article.pk,
            mention_id=rabat.pk,
            start=5,
            end=len(TEXT) + 1,
            label="LOC",
            version=None,
        )
    with pytest.raises(review.ReviewError):
        review.mention_correct(
            actor=owner, article_id=article.pk, mention_id=rabat.pk, start=0, end=3, label="BOGUS", version=None
        )


def test_it_adds_a_missed_mention_trimmed_and_linked_to_its_entity(article, owner):
    start = TEXT.index(" l'Espagne")
    added = review.mention_add(
        actor=owner, article_id=article.pk, start=start + 3, end=start + 10, label="GPE", version=None
    )
    assert added.text == "Espagne" and added.origin == Origin.ANALYST and added.status == Status.ACCEPTED
    assert added.entity.name == "Espagne" and added.entity.label == "GPE"
    with pytest.raises(review.ReviewError, match="existe déjà"):
        review.mention_add(
            actor=owner, article_id=article.pk, start=start + 3, end=start + 10, label="GPE", version=None
        )
    again = extracted(owner, text=TEXT + " Encore.")
    spaced = TEXT.index(" Rabat ")
    other = review.mention_add(
        actor=owner, article_id=again.pk, start=spaced, end=spaced + 7, label="LOC", version=None
    )
    assert (other.text, other.start) == ("Rabat", spaced + 1)  # the selection's spaces are not the mention
    again_spain = review.mention_add(
        actor=owner, article_id=again.pk, start=start + 3, end=start + 10, label="GPE", version=None
    )
    assert again_spain.entity == added.entity
    with pytest.raises(review.ReviewError):
        review.mention_add(actor=owner, article_id=article.pk, start=3, end=3, label="GPE", version=None)


def test_it_links_a_mention_to_an_existing_or_a_new_entity(article, owner):
    marlaska = mention(article, "Fernando Grande-Marlaska")
    known = Entity.objects.create(
        name="Fernando Grande-Marlaska Gómez", label="PER", key="fernando grande marlaska gomez"
    )
    review.mention_link(actor=owner, article_id=article.pk, mention_id=marlaska.pk, entity_id=known.pk, version=None)
    marlaska.refresh_from_db()
    assert marlaska.entity == known and marlaska.status == Status.CORRECTED
    review.mention_link(
        actor=owner, article_id=article.pk, mention_id=marlaska.pk, new_name="F. Marlaska", version=None
    )
    marlaska.refresh_from_db()
    assert marlaska.entity.name == "F. Marlaska" and marlaska.entity.label == "PER"
    merged = Entity.objects.create(name="Marlaska", label="PER", key="marlaska", merged_into=known)
    review.mention_link(actor=owner, article_id=article.pk, mention_id=marlaska.pk, entity_id=merged.pk, version=None)
    marlaska.refresh_from_db()
    assert marlaska.entity == known  # a merged entity stands for the one it was merged into


def test_it_edits_an_events_type_date_place_and_arguments(article, owner):
    event = Event.objects.get(article=article)
    rabat = mention(article, "Rabat")
    edit_event(
        owner, article, event, type="VISIT", date_value="2024-03", date_precision="", location_id=rabat.entity_id
    )
    event.refresh_from_db()
    assert (event.type, event.suggested_type, event.date_value, event.date_precision) == (
        "VISIT",
        "MEETING",
        "2024-03",
        "month",
    )
    assert event.status == Status.CORRECTED
    for bad in ("2024-02-30", "mars 2024", "2024-3"):
        with pytest.raises(review.ReviewError):
            edit_event(owner, article, event, date_value=bad, date_precision="")
    hassad2 = mention(article, "Mohamed Hassad", 1)
    added = review.event_argument_add(
        actor=owner, article_id=article.pk, event_id=event.pk, version=None, role="participant", mention_id=hassad2.pk
    )
    assert added.entity_id == hassad2.entity_id
    review.event_argument_remove(
        actor=owner, article_id=article.pk, event_id=event.pk, argument_id=added.pk, version=None
    )
    assert not EventArgument.objects.filter(pk=added.pk).exists()
    assert AuditEntry.objects.filter(object_type="event").count() == 3


def test_a_rerun_does_not_propose_again_the_type_an_analyst_changed(article, owner):
    event = Event.objects.get(article=article)
    edit_event(owner, article, event, type="VISIT")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.QUEUED)
    assert article_services.article_claim_for_extraction(article.pk)
    start = TEXT.index("Mohamed Hassad")
    services.extraction_store(
        article_id=article.pk,
        result=ExtractionResult(
            entities=[EntitySpan(start, start + 14, "Mohamed Hassad", "PER", 0.9, 0, "Mohamed Hassad")],
            events=[
                EventSpan("MEETING", event.trigger_start, event.trigger_end, "a reçu", 0, 10, (), None, None, None, 0.9)
            ],
        ),
    )
    assert list(Event.objects.filter(article=article).values_list("type", flat=True)) == ["VISIT"]


def test_accept_remaining_then_undo_puts_everything_back(article, owner):
    rabat = mention(article, "Rabat")
    review.mention_decide(actor=owner, article_id=article.pk, mention_id=rabat.pk, status="rejected", version=None)
    n = review.review_accept_remaining(actor=owner, article_id=article.pk, version=None)
    assert n == 3 + 1 + 1  # three pending mentions, the event, the date
    assert set(Mention.objects.exclude(pk=rabat.pk).values_list("status", flat=True)) == {"accepted"}
    assert Event.objects.get().status == DateMention.objects.get().status == "accepted"
    assert Mention.objects.get(pk=rabat.pk).status == "rejected"  # a decision is not overridden
    assert review.review_undo(actor=owner, article_id=article.pk, version=None) == 5
    assert set(Mention.objects.exclude(pk=rabat.pk).values_list("status", flat=True)) == {"suggested"}
    assert Event.objects.get().status == DateMention.objects.get().status == "suggested"
    # A second undo reverts the decision before it.
    review.review_undo(actor=owner, article_id=article.pk, version=None)
    assert Mention.objects.get(pk=rabat.pk).status == "suggested"
    with pytest.raises(review.ReviewError, match="Aucune décision"):
        review.review_undo(actor=owner, article_id=article.pk, version=None)


def test_undo_removes_an_added_mention_and_restores_a_correction(article, owner):
    start = TEXT.index("l'Espagne") + 2
    added = review.mention_add(
        actor=owner, article_id=article.pk, start=start, end=start + 7, label="GPE", version=None
    )
    review.review_undo(actor=owner, article_id=article.pk, version=None)
    assert not Mention.objects.filter(pk=added.pk).exists()
    rabat = mention(article, "Rabat")
    relabel(owner, article, rabat, "LOC")
    review.review_undo(actor=owner, article_id=article.pk, version=None)
    rabat.refresh_from_db()
    assert (rabat.label, rabat.status, rabat.suggested_label) == ("GPE", "suggested", "")
    assert AuditEntry.objects.filter(action__startswith="undo.").count() == 2


def test_undo_does_not_overwrite_what_someone_else_changed_since(article, owner, teammate):
    rabat = mention(article, "Rabat")
    review.mention_decide(actor=owner, article_id=article.pk, mention_id=rabat.pk, status="accepted", version=None)
    relabel(teammate, article, rabat, "LOC")
    with pytest.raises(review.ReviewError, match="modifiée depuis"):
        review.review_undo(actor=owner, article_id=article.pk, version=None)
    rabat.refresh_from_db()
    assert rabat.label == "LOC"


def test_an_article_being_extracted_cannot_be_marked_reviewed(article, owner):
    Article.objects.filter(pk=article.pk).update(status=Article.Status.EXTRACTING)
    with pytest.raises(review.ReviewError, match="extraction est en cours"):
        review.review_mark_done(actor=owner, article_id=article.pk, version=None)
    assert Article.objects.get(pk=article.pk).status == Article.Status.EXTRACTING


def test_a_reviewed_article_is_frozen_until_a_reviewer_reopens_it(article, owner, reviewer):
    article_services.article_claim(actor=owner, article=article)
    review.review_mark_done(actor=owner, article_id=article.pk, version=None)
    article.refresh_from_db()
    assert (article.status, article.reviewed_by, article.assigned_to) == ("reviewed", owner, None)
    rabat = mention(article, "Rabat")
    with pytest.raises(review.ReviewError, match="rouvrir"):
        review.mention_decide(actor=owner, article_id=article.pk, mention_id=rabat.pk, status="accepted", version=None)
    review.review_reopen(actor=reviewer, article_id=article.pk, version=None)
    review.mention_decide(actor=owner, article_id=article.pk, mention_id=rabat.pk, status="accepted", version=None)
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


# ---------------------------------------------------------------------------
# Claims of the review queue


def test_review_next_claims_the_oldest_unclaimed_article_for_one_analyst_only(owner, teammate):
    first, second = extracted(owner), extracted(owner, text=TEXT + " Deux.")
    queue = Article.objects.all()
    assert article_services.article_claim_next(actor=owner, queryset=queue) == first
    assert article_services.article_claim_next(actor=teammate, queryset=queue) == second
    # The analyst's own live claim comes first; nothing left for a third request.
    assert article_services.article_claim_next(actor=owner, queryset=queue) == first
    Article.objects.filter(pk=second.pk).update(status=Article.Status.REVIEWED, assigned_to=None)
    assert article_services.article_claim_next(actor=teammate, queryset=queue.exclude(pk=first.pk)) is None


def test_an_expired_claim_can_be_taken_by_someone_else(owner, teammate, settings):
    settings.VIGIE_REVIEW_CLAIM_MINUTES = 30
    article = extracted(owner)
    assert article_services.article_claim(actor=owner, article=article)
    assert not article_services.article_claim(actor=teammate, article=article)
    Article.objects.filter(pk=article.pk).update(assigned_at=timezone.now() - dt.timedelta(minutes=31))
    assert article_services.article_claim_next(actor=teammate, queryset=Article.objects.all()) == article
    assert Article.objects.get(pk=article.pk).assigned_to == teammate

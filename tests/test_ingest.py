"""Ingest services: paste, upload, duplicates, near-duplicates, bad input, extraction status."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles import services
from articles.models import Article, AuditEntry, MinHashBand
from tests.conftest import SAMPLE

pytestmark = pytest.mark.django_db

LONG_STORY = (
    "Les ministres de l'Intérieur des pays riverains de la Méditerranée occidentale se sont réunis "
    "jeudi à Lisbonne pour renforcer leur coopération contre les réseaux de passeurs. Ils ont adopté "
    "une feuille de route qui prévoit des patrouilles conjointes, un échange régulier de renseignements "
    "et la création d'un centre de coordination commun. Le ministre portugais a rappelé que la "
    "coopération opérationnelle avait permis de démanteler plusieurs filières depuis le début de l'année. "
    "Son homologue italien a plaidé pour un financement européen durable des garde-côtes des pays de "
    "transit, tandis que le représentant de Frontex a présenté le bilan des opérations de l'été. "
    "Une nouvelle réunion est prévue à Malte au printemps prochain pour évaluer les premiers résultats."
)


def test_it_stores_a_pasted_article_queued_and_audited(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outcome = services.article_create_from_paste(actor=owner, text=SAMPLE, title="Réunion à Rabat", source="MAP")
    article = outcome.article
    assert outcome.kind == "created"
    assert article.status == Article.Status.QUEUED
    assert article.title == "Réunion à Rabat" and not article.title_inferred
    assert article.source.name == "MAP"
    assert article.created_by == owner
    assert article.raw_text == SAMPLE
    assert article.language == "fr"
    assert len(callbacks) == 1  # extraction is queued only once the row is committed
    entry = AuditEntry.objects.get(action="article.create")
    assert (entry.actor, entry.article) == (owner, article)


def test_it_runs_extraction_in_process_without_a_broker(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.article_create_from_paste(actor=owner, text=SAMPLE)
    outcome.article.refresh_from_db()
    assert outcome.article.status == Article.Status.EXTRACTED
    assert outcome.article.extraction_attempts == 1


def test_it_keeps_offsets_on_the_cleaned_text_and_records_the_dateline(owner):
    raw = "PARIS (AFP) - Le ministre a reçu son homologue.\n\nPublicité\n\nLa réunion a duré deux heures."
    article = services.article_create_from_paste(actor=owner, text=raw).article
    assert article.dateline_place.lower() == "paris"
    assert article.agency == "AFP"
    assert "Publicité" not in article.text
    assert "Le ministre a reçu son homologue." in article.text
    assert "La réunion a duré deux heures." in article.text
    assert article.raw_text == raw
    assert {r["kind"] for r in article.removed_lines} >= {"dateline", "advertisement"}


def test_it_infers_title_and_publication_date_and_says_so(owner):
    raw = (
        "Sommet de l'Union africaine sur la sécurité\n\nsamedi 3 février 2024\n\n"
        "Les chefs d'État se sont réunis à Addis-Abeba pour un sommet."
    )
    article = services.article_create_from_paste(actor=owner, text=raw).article
    assert article.title == "Sommet de l'Union africaine sur la sécurité"
    assert article.title_inferred
    assert article.published_inferred
    assert article.published_precision == "day"
    assert article.published_at.date() == dt.date(2024, 2, 3)


def test_it_prefers_the_given_publication_date(owner):
    raw = "samedi 3 février 2024\n\nLes chefs d'État se sont réunis à Addis-Abeba pour un sommet."
    article = services.article_create_from_paste(actor=owner, text=raw, published_at=dt.date(2024, 2, 5)).article
    assert article.published_at.date() == dt.date(2024, 2, 5)
    assert not article.published_inferred


def test_it_reports_the_same_text_as_a_duplicate_of_the_first(owner, teammate):
    first = services.article_create_from_paste(actor=owner, text=SAMPLE).article
    # Same text with other whitespace and a boilerplate footer: still the same article.
    again = services.article_create_from_paste(
        actor=teammate, text="  " + SAMPLE.replace(" ", "  ") + "\n\nPublicité\n"
    )
    assert again.kind == "duplicate"
    assert again.article.pk == first.pk
    assert f"#{first.pk}" in again.reason
    assert Article.objects.count() == 1


def test_it_flags_a_republication_with_small_edits_and_links_it(owner):
    original = services.article_create_from_paste(actor=owner, text=LONG_STORY).article
    edited = LONG_STORY.replace("jeudi", "mercredi").replace("au printemps prochain", "en avril")
    outcome = services.article_create_from_paste(actor=owner, text=edited)
    assert outcome.kind == "created"
    assert outcome.article.near_duplicate_of_id == original.pk
    assert outcome.article.near_duplicate_score >= 0.8
    assert any("near-duplicate" in f for f in outcome.flags)


def test_it_does_not_link_unrelated_articles(owner):
    services.article_create_from_paste(actor=owner, text=LONG_STORY)
    other = services.article_create_from_paste(actor=owner, text=SAMPLE).article
    assert other.near_duplicate_of_id is None
    assert MinHashBand.objects.filter(article=other).count() > 0


def test_it_finds_near_duplicates_inside_one_batch(owner):
    edited = LONG_STORY.replace("jeudi", "vendredi")
    outcomes = services.articles_ingest(
        actor=owner, inputs=[services.ArticleInput(text=LONG_STORY), services.ArticleInput(text=edited)]
    )
    assert [o.kind for o in outcomes] == ["created", "created"]
    assert outcomes[1].article.near_duplicate_of_id == outcomes[0].article.pk


def test_it_rejects_empty_text_with_a_clear_message(owner):
    with pytest.raises(services.IngestError, match="empty"):
        services.article_create_from_paste(actor=owner, text="   \n\n ")
    assert Article.objects.count() == 0


def test_it_stores_and_flags_text_that_is_not_french(owner):
    text = (
        "The interior ministers of both countries met on Tuesday in Madrid to discuss border security "
        "and the exchange of intelligence on terrorist networks operating in the region."
    )
    outcome = services.article_create_from_paste(actor=owner, text=text)
    assert outcome.kind == "created"
    assert outcome.article.language == "en"
    assert outcome.article.is_foreign_language
    assert any("not French" in f for f in outcome.flags)


def test_it_keeps_a_row_whose_date_is_unreadable_and_says_why(owner):
    outcome = services.articles_ingest(
        actor=owner, inputs=[services.ArticleInput(text=SAMPLE, published_at="le mois dernier")]
    )[0]
    assert outcome.kind == "created"
    assert outcome.article.published_at is None
    assert any("unreadable publication date" in f for f in outcome.flags)


def test_it_stores_uploaded_files_and_reports_bad_ones(owner):
    good = SimpleUploadedFile("note.txt", SAMPLE.encode("cp1252"))
    garbage = SimpleUploadedFile("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    outcomes = services.articles_create_from_uploads(actor=owner, files=[good, garbage])
    by_location = {o.location: o for o in outcomes}
    assert by_location["file note.txt"].kind == "created"
    stored = by_location["file note.txt"].article
    assert "ministre de l'Intérieur" in stored.text  # cp1252 decoded correctly
    assert stored.original_filename == "note.txt"
    assert stored.original_file.read() == SAMPLE.encode("cp1252")  # the upload is kept as given
    assert by_location["file photo.txt"].kind == "rejected"
    assert "text" in by_location["file photo.txt"].reason


def test_it_refuses_an_oversized_file_before_reading_it(owner, settings):
    settings.VIGIE_MAX_FILE_BYTES = 1000

    class Exploding(io.BytesIO):
        def read(self, *args):  # the service must not parse what it refused
            raise AssertionError("oversized upload was read")

    upload = SimpleUploadedFile("big.txt", b"x" * 2000)
    upload.file = Exploding(b"x" * 2000)
    outcome = services.articles_create_from_uploads(actor=owner, files=[upload])[0]
    assert outcome.kind == "rejected"
    assert "over the" in outcome.reason and "limit" in outcome.reason


def test_it_claims_an_article_once(make_article):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.QUEUED)
    assert services.article_claim_for_extraction(article.pk)
    assert not services.article_claim_for_extraction(article.pk)


def test_it_reclaims_an_article_abandoned_in_extracting(make_article, settings):
    article = make_article()
    stale = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.EXTRACTING, status_changed_at=stale)
    assert services.article_claim_for_extraction(article.pk)


def test_it_records_a_failure_reason_and_can_requeue(
    make_article, owner, monkeypatch, django_capture_on_commit_callbacks
):
    from articles import tasks

    def broken(items):
        raise RuntimeError("model exploded")

    monkeypatch.setattr(tasks, "iter_extract", broken)
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article()
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "model exploded" in article.status_reason

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.article_requeue(actor=owner, article=article)
    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTED
    assert AuditEntry.objects.filter(action="article.requeue", article=article).exists()


def test_it_drops_an_imported_url_that_is_not_a_web_link(owner):
    outcome = services.articles_ingest(
        actor=owner, inputs=[services.ArticleInput(text=SAMPLE, url="javascript:alert(1)")]
    )[0]
    assert outcome.article.url == ""
    assert any("not an http(s) link" in f for f in outcome.flags)

"""In a real browser: paste an article, watch its status change without reloading, upload a file."""

from __future__ import annotations

import pytest

from articles import services
from articles.models import Article
from entities.nlp import ExtractionResult
from entities.services import extraction_store
from tests.conftest import SAMPLE
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_pastes_an_article_and_sees_it_extracted(page, owner):
    login(page, "alice", "alice-password-1")
    page.click("text=Ajouter")
    page.fill("#id_text", "Visite officielle à Dakar\n\nDakar, 12 mars 2022 (APS) - " + SAMPLE)
    page.click("form[action='/articles/new/'] button[type=submit]")
    page.wait_for_selector("h1:has-text('Visite officielle à Dakar')")
    assert page.locator(".meta").inner_text().count("déduit") >= 1
    assert "APS" in page.locator(".meta").inner_text()
    # Without a broker the task ran in-process right after the save.
    page.wait_for_selector(".status-extracted")
    screenshot(page, "article-detail")


def test_it_updates_the_list_without_a_reload(page, owner):
    # An in-memory broker nobody consumes: the article stays queued until we play the worker.
    from config.celery import app

    previous = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, "memory://"
    try:
        article = services.article_create_from_paste(actor=owner, text=SAMPLE, title="Réunion à Rabat").article
    finally:
        app.conf.task_always_eager, app.conf.broker_url = previous
    assert Article.objects.get(pk=article.pk).status == Article.Status.QUEUED

    login(page, "alice", "alice-password-1")
    row = page.locator("#article-rows tr", has_text="Réunion à Rabat")
    assert "en file" in row.inner_text()
    page.evaluate("window.__marker = 'same page'")

    assert services.article_claim_for_extraction(article.pk)
    extraction_store(article_id=article.pk, result=ExtractionResult())
    row.locator(".status-extracted").wait_for(timeout=10_000)
    # The row changed through polling, not a reload: our marker is still on the window.
    assert page.evaluate("window.__marker") == "same page"
    screenshot(page, "article-list")


def test_it_uploads_files_and_reports_a_bad_one(page, owner, tmp_path):
    good = tmp_path / "note.txt"
    good.write_bytes(SAMPLE.encode("cp1252"))
    bad = tmp_path / "image.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    login(page, "alice", "alice-password-1")
    page.goto("/articles/new/")
    page.set_input_files("#id_files", [str(good), str(bad)])
    page.click("form[action='/articles/upload/'] button[type=submit]")
    page.wait_for_selector("h1:has-text('Fichiers téléversés')")
    table = page.locator("table").inner_text()
    assert "file note.txt" in table and "enregistré" in table
    assert "file image.txt" in table and "refusé" in table

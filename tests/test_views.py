"""Pages an analyst uses: login, list, paste, upload, detail, status polling."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from tests.conftest import SAMPLE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        reverse("articles:list"),
        reverse("articles:new"),
        reverse("articles:detail", args=[1]),
        reverse("articles:status", args=[1]),
        reverse("articles:import_detail", args=[1]),
    ],
)
def test_it_requires_login_everywhere(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_logs_in_with_a_password(client, owner):
    response = client.post(reverse("login"), {"username": "alice", "password": "alice-password-1"})
    assert response.status_code == 302
    assert client.get(reverse("articles:list")).status_code == 200


def test_it_pastes_an_article_and_shows_it(client_owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_owner.post(
            reverse("articles:new"),
            {"text": SAMPLE, "title": "Réunion à Rabat", "source": "MAP", "published_at": "2024-03-05"},
        )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    page = client_owner.get(article.get_absolute_url()).content.decode()
    assert "Réunion à Rabat" in page
    assert "05/03/2024" in page
    assert "Rabat" in page.split('class="facts"')[1]  # the extracted place is listed beside the text
    listing = client_owner.get(reverse("articles:list")).content.decode()
    assert "Réunion à Rabat" in listing
    assert "status-extracted" in listing  # in-process extraction ran after commit


def test_it_shows_what_was_inferred(client_owner):
    raw = "Visite officielle à Dakar\n\nDakar, 12 mars 2022 (APS) - Le ministre s'est entretenu avec le président."
    client_owner.post(reverse("articles:new"), {"text": raw})
    page = client_owner.get(Article.objects.get().get_absolute_url()).content.decode()
    assert "déduit du texte" in page
    assert "Date déduite" in page
    assert "APS" in page


def test_it_refuses_an_empty_paste_with_a_message(client_owner):
    response = client_owner.post(reverse("articles:new"), {"text": "   "})
    assert response.status_code == 200
    assert "obligatoire" in response.content.decode() or "required" in response.content.decode()
    assert Article.objects.count() == 0


def test_it_sends_a_duplicate_paste_to_the_existing_article(client_owner, make_article):
    first = make_article()
    response = client_owner.post(reverse("articles:new"), {"text": SAMPLE}, follow=True)
    assert response.redirect_chain[-1][0] == first.get_absolute_url()
    assert "déjà enregistré" in response.content.decode()
    assert Article.objects.count() == 1


def test_it_uploads_several_files_and_reports_each(client_owner):
    files = [
        SimpleUploadedFile("a.txt", SAMPLE.encode("utf-8")),
        SimpleUploadedFile("b.exe", b"MZ\x90\x00"),
    ]
    response = client_owner.post(reverse("articles:upload"), {"files": files})
    html = response.content.decode()
    assert response.status_code == 200
    assert "file a.txt" in html and "enregistré" in html
    assert "file b.exe" in html and "refusé" in html
    assert Article.objects.count() == 1


def test_it_escapes_article_text(client_owner):
    evil = 'Texte <script>alert(1)</script> et "><img src=x onerror=alert(1)> dans un article sur la sécurité.'
    client_owner.post(reverse("articles:new"), {"text": evil, "title": "<b>titre</b>"})
    article = Article.objects.get()
    page = client_owner.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;" in page
    assert "<b>titre</b>" not in client_owner.get(reverse("articles:list")).content.decode()


def test_it_polls_only_while_articles_are_processing(client_owner, make_article):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.EXTRACTED)
    listing = client_owner.get(reverse("articles:list")).content.decode()
    assert "hx-trigger" not in listing  # extracted: nothing to poll
    Article.objects.filter(pk=article.pk).update(status=Article.Status.QUEUED)
    listing = client_owner.get(reverse("articles:list")).content.decode()
    assert 'hx-trigger="every 3s"' in listing
    partial = client_owner.get(reverse("articles:list") + "?partial=rows", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<tbody")
    status = client_owner.get(reverse("articles:status", args=[article.pk])).content.decode()
    assert "status-queued" in status


def test_it_filters_the_list_by_status(client_owner, make_article):
    make_article(title="Toujours en file")
    failed = make_article(text=SAMPLE + " Une phrase de plus pour changer le texte.", title="Échec")
    Article.objects.filter(pk=failed.pk).update(status=Article.Status.FAILED, status_reason="boom")
    html = client_owner.get(reverse("articles:list") + "?status=failed").content.decode()
    assert "Échec" in html
    assert "Toujours en file" not in html


def test_it_retries_a_failed_article_by_post_only(client_owner, make_article, django_capture_on_commit_callbacks):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.FAILED, status_reason="boom")
    assert client_owner.get(reverse("articles:retry", args=[article.pk])).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        client_owner.post(reverse("articles:retry", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTED

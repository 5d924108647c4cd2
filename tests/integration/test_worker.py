"""A pasted article and an admin import, processed by a real Celery worker on PostgreSQL via Redis."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article, ImportJob
from tests.integration.conftest import wait_until

pytestmark = pytest.mark.integration

TEXT = (
    "Bamako (AFP) – Les chefs d'état-major de la région se sont réunis jeudi pour coordonner "
    "la surveillance des frontières et l'échange de renseignements."
)


def test_it_processes_a_pasted_article_in_the_worker(client, owner, celery_worker):
    client.force_login(owner)
    response = client.post(reverse("articles:new"), {"text": TEXT, "title": "Réunion des chefs d'état-major"})
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.created_by == owner

    def extracted():
        article.refresh_from_db()
        return article.status == Article.Status.EXTRACTED

    assert wait_until(extracted), f"status stayed {article.status}: {celery_worker[1].read_text()[-2000:]}"
    assert article.extraction_attempts == 1
    assert "articles.tasks.extract_articles" in celery_worker[1].read_text()


def test_it_runs_an_admin_csv_import_in_the_worker(client, admin_user, celery_worker, tmp_path):
    client.force_login(admin_user)
    csv_file = tmp_path / "lot.csv"
    csv_file.write_text(
        f'external_id,title,text\na1,Réunion,"{TEXT}"\na2,Vide,\na3,Doublon,"{TEXT}"\n',
        encoding="utf-8",
    )
    with csv_file.open("rb") as handle:
        response = client.post(reverse("admin:articles_importjob_add"), {"file": handle, "format": "csv"})
    assert response.status_code == 302
    job = ImportJob.objects.get()

    def finished():
        job.refresh_from_db()
        return job.status in {ImportJob.Status.DONE, ImportJob.Status.FAILED}

    assert wait_until(finished), celery_worker[1].read_text()[-2000:]
    assert (job.status, job.created_count, job.duplicate_count, job.rejected_count) == ("done", 1, 1, 1)
    rejected = job.problems.get(kind="rejected")
    assert rejected.location == "line 3"
    article = Article.objects.get()
    assert wait_until(lambda: Article.objects.get(pk=article.pk).status == Article.Status.EXTRACTED)

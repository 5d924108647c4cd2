"""Bulk imports: the service, the admin upload and the import_articles command share one path."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles import services
from articles.models import Article, ImportJob
from tests.conftest import SAMPLE

pytestmark = pytest.mark.django_db

OTHER = (
    "Dakar – Le président a reçu le chef de la diplomatie malien pour évoquer "
    "la sécurité au Sahel et la coopération régionale."
)
THIRD = (
    "Alger – Les ministres de la Défense ont inauguré un centre conjoint de lutte antiterroriste dans le sud du pays."
)


def write_jsonl(path, rows):
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )
    return path


def run(path, fmt=None, **kwargs):
    job = services.import_job_create(actor=None, path=str(path), format=fmt or "", enqueue=False)
    return services.import_job_run(job.pk, **kwargs)


def test_it_imports_good_rows_and_reports_the_broken_line(tmp_path):
    path = write_jsonl(
        tmp_path / "lot.jsonl",
        [
            {"external_id": "1", "text": SAMPLE, "title": "Réunion", "source": "MAP", "published_at": "2021-11-08"},
            '{"external_id": "2", "text": "cassé',
            {"external_id": "3", "text": OTHER, "published_at": "2021-11"},
            {"external_id": "4", "text": ""},
            {"external_id": "5", "text": SAMPLE},
        ],
    )
    job = run(path)
    assert job.status == ImportJob.Status.DONE
    assert (job.total, job.processed) == (5, 5)
    assert (job.created_count, job.duplicate_count, job.rejected_count) == (2, 1, 2)
    problems = {p.location: p for p in job.problems.all()}
    assert "invalid JSON" in problems["line 2"].reason
    assert problems["line 4"].kind == "rejected"
    duplicate = problems["line 5"]
    assert duplicate.kind == "duplicate"
    assert duplicate.article == Article.objects.get(external_id="1")
    monthly = Article.objects.get(external_id="3")
    assert monthly.published_precision == "month"
    assert Article.objects.filter(import_job=job).count() == 2


def test_it_rejects_a_csv_without_a_text_column_whole(tmp_path):
    path = tmp_path / "lot.csv"
    path.write_text("external_id,title,body\n1,Titre,Corps\n", encoding="utf-8")
    job = run(path)
    assert job.status == ImportJob.Status.FAILED
    assert "text" in job.error
    assert Article.objects.count() == 0


def test_it_imports_a_zip_and_skips_entries_that_escape_it(tmp_path):
    path = tmp_path / "lot.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("dossier/a.txt", SAMPLE)
        archive.writestr("b.md", "# Réunion à Dakar\n\n" + OTHER)
        archive.writestr("../evil.txt", THIRD)
    job = run(path)
    assert job.status == ImportJob.Status.DONE
    assert job.created_count == 2
    assert job.rejected_count == 1
    assert "escapes" in job.problems.get(kind="rejected").reason
    assert not (tmp_path.parent / "evil.txt").exists()
    assert Article.objects.get(original_filename="b.md").title == "Réunion à Dakar"


def test_it_resumes_an_interrupted_job_without_duplicates(tmp_path, settings):
    settings.VIGIE_IMPORT_BATCH_SIZE = 2
    rows = [{"external_id": str(i), "text": f"{SAMPLE} Paragraphe numéro {i} ajouté pour varier."} for i in range(5)]
    path = write_jsonl(tmp_path / "lot.jsonl", rows)
    job = services.import_job_create(actor=None, path=str(path), format="jsonl", enqueue=False)

    class WorkerKilled(BaseException):
        pass

    def die(current):
        raise WorkerKilled  # like a SIGKILL after the first batch committed

    with pytest.raises(WorkerKilled):
        services.import_job_run(job.pk, on_progress=die)
    job.refresh_from_db()
    assert (job.status, job.processed, job.created_count) == ("running", 2, 2)
    # A live lease is not stolen; once it has expired, the job resumes where it stopped.
    assert services.import_job_run(job.pk) is None
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    job = services.import_job_run(job.pk)
    assert (job.status, job.processed, job.created_count, job.duplicate_count) == ("done", 5, 5, 0)
    # A finished job is not run again; importing the same file again creates nothing new.
    assert services.import_job_run(job.pk) is None
    again = run(path)
    assert (again.created_count, again.duplicate_count) == (0, 5)
    assert Article.objects.count() == 5


def test_it_imports_from_the_command_with_sync_extraction(tmp_path, capsys):
    path = write_jsonl(tmp_path / "lot.jsonl", [{"text": SAMPLE}, {"text": OTHER}, "{nope"])
    call_command("import_articles", str(path), "--sync")
    out = capsys.readouterr()
    assert "2 created" in out.out and "1 rejected" in out.out
    assert "line 3" in out.err
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.EXTRACTED}


def test_it_imports_a_directory_from_the_command(tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(SAMPLE.replace("–", "-"), encoding="latin-1")
    (folder / "b.html").write_text(
        "<html><head><title>Réunion</title><script>alert(1)</script></head><body><nav>Accueil | Monde</nav>"
        f"<article><p>{OTHER}</p><p>{THIRD}</p></article></body></html>",
        encoding="utf-8",
    )
    call_command("import_articles", str(folder), "--format", "dir")
    assert "2 created" in capsys.readouterr().out
    html = Article.objects.get(original_filename__endswith="b.html")
    assert "alert" not in html.text and "Accueil" not in html.text
    assert "Le président a reçu le chef de la diplomatie malien" in html.text and THIRD in html.text
    assert html.dateline_place == "Dakar"


def test_it_fails_the_command_on_a_missing_path():
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_articles", "/nonexistent/lot.jsonl")


def test_it_lets_an_admin_upload_an_import_and_follow_it(
    client, importer, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(importer)
    path = write_jsonl(tmp_path / "lot.jsonl", [{"text": SAMPLE}, "{broken"])
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as handle:
        response = client.post(reverse("admin:articles_importjob_add"), {"file": handle, "format": ""})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "line 2" in html and "invalid JSON" in html
    job.refresh_from_db()
    assert (job.status, job.created_count, job.rejected_count) == ("done", 1, 1)
    assert job.created_by == importer


def test_it_hides_import_pages_from_analysts(client, owner, tmp_path):
    job = services.import_job_create(actor=None, path=str(tmp_path), format="dir", enqueue=False)
    client.force_login(owner)
    assert client.get(job.get_absolute_url()).status_code == 403
    assert client.get(reverse("admin:articles_importjob_add")).status_code == 302  # not staff: admin login


def test_it_refuses_an_admin_upload_it_cannot_read_with_a_message(client, importer):
    client.force_login(importer)
    upload = SimpleUploadedFile("notes.txt", SAMPLE.encode("utf-8"))
    response = client.post(reverse("admin:articles_importjob_add"), {"file": upload, "format": ""})
    assert response.status_code == 200
    assert "Format non reconnu" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_it_refuses_an_oversized_admin_upload(client, importer, settings):
    settings.VIGIE_MAX_IMPORT_BYTES = 100
    client.force_login(importer)
    upload = SimpleUploadedFile("lot.jsonl", json.dumps({"text": SAMPLE}).encode("utf-8"))
    response = client.post(reverse("admin:articles_importjob_add"), {"file": upload, "format": "jsonl"})
    assert "trop gros" in response.content.decode()
    assert ImportJob.objects.count() == 0

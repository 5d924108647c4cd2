"""Uploaded originals and import files stay private: nothing serves them from our origin.

An .html original served inline from the app's origin would run its scripts with the analyst's
session. No view serves stored files (no FileResponse, no static.serve, no MEDIA_URL route): the
media URL of a stored file is a 404, and what the analyst sees of an upload is its text, escaped.
Size limits and ZIP path traversal are tested with the readers (tests/test_importers.py,
tests/test_ingest.py, tests/test_import.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse

from articles.models import Article, ImportJob
from tests.conftest import SAMPLE

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]

HOSTILE_HTML = (
    "<!doctype html><html><head><title>Réunion à Rabat</title>"
    "<script>window.__xss = 1</script></head><body><article><h1>Réunion à Rabat</h1>"
    "<p>Rabat – Le ministre de l'Intérieur a reçu mardi son homologue espagnol pour une réunion "
    "consacrée à la lutte antiterroriste et à la coopération aux frontières.</p>"
    "<p>Le communiqué citait &lt;script&gt;window.__xss=1&lt;/script&gt; et "
    "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt; en toutes lettres, puis les deux "
    "ministres ont convenu de créer un groupe de travail conjoint.</p>"
    '<img src="x" onerror="window.__xss=1"></article></body></html>'
)


def media_url(name: str) -> str:
    return "/" + settings.MEDIA_URL.strip("/") + "/" + name


def upload_html(client, name: str = "page.html") -> Article:
    upload = SimpleUploadedFile(name, HOSTILE_HTML.encode("utf-8"), content_type="text/html")
    response = client.post(reverse("articles:upload"), {"files": [upload]})
    assert response.status_code == 200
    return Article.objects.get(origin=Article.Origin.UPLOAD)


def test_it_keeps_an_html_upload_on_disk_but_never_serves_it(client_owner):
    article = upload_html(client_owner)
    stored = Path(article.original_file.path)
    assert stored.is_file() and stored.suffix == ".html"
    assert stored.read_bytes() == HOSTILE_HTML.encode("utf-8")  # kept as given
    url = media_url(article.original_file.name)
    with pytest.raises(Resolver404):
        resolve(url)
    response = client_owner.get(url)
    assert response.status_code == 404
    assert b"window.__xss" not in response.content
    assert response["X-Content-Type-Options"] == "nosniff"
    # Nor under the storage's own idea of its URL, nor as a static file.
    assert article.original_file.url == url
    assert client_owner.get("/static/" + article.original_file.name).status_code == 404


def test_it_does_not_serve_it_to_someone_logged_out_either(client, owner):
    client.force_login(owner)
    article = upload_html(client)
    client.logout()
    response = client.get(media_url(article.original_file.name))
    assert response.status_code == 404
    assert b"window.__xss" not in response.content


def test_it_shows_the_text_of_an_html_upload_escaped_and_never_its_markup(client_owner):
    article = upload_html(client_owner)
    assert "<script>window.__xss=1</script>" in article.text  # the escaped markup became text
    html = client_owner.get(article.get_absolute_url()).content.decode()
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "<script>window.__xss" not in html and "<script>window.__xss = 1" not in html
    assert 'onerror="window.__xss' not in html and "onerror=window.__xss" not in html
    assert "<img src=x" not in html
    # The raw original is not shown either: no link to it, nothing of its <head>.
    assert article.original_file.name not in html
    assert media_url(article.original_file.name) not in html


def test_it_stores_an_upload_named_with_a_path_inside_the_media_folder(client_owner):
    article = upload_html(client_owner, name="../../../etc/evil.html")
    stored = Path(article.original_file.path).resolve()
    originals = (Path(settings.MEDIA_ROOT) / "originals").resolve()
    assert originals in stored.parents
    assert article.original_filename == "evil.html"
    assert client_owner.get(media_url(article.original_file.name)).status_code == 404


def test_it_shows_a_hostile_upload_name_escaped(client_owner):
    name = '"><img src=x onerror=alert(1)>.txt'
    response = client_owner.post(
        reverse("articles:upload"), {"files": [SimpleUploadedFile(name, SAMPLE.encode("utf-8"))]}
    )
    html = response.content.decode()
    assert "<img src=x" not in html
    article = Article.objects.get()
    assert "img src=x onerror=alert(1)" in article.original_filename
    page = client_owner.get(article.get_absolute_url()).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_it_never_serves_an_import_file_uploaded_in_the_admin(
    client, importer, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(importer)
    path = tmp_path / "lot.jsonl"
    path.write_text(json.dumps({"text": SAMPLE}) + "\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as handle:
        client.post(reverse("admin:articles_importjob_add"), {"file": handle, "format": ""})
    job = ImportJob.objects.get()
    assert Path(job.file.path).is_file()
    assert client.get(media_url(job.file.name)).status_code == 404
    assert job.file.name not in client.get(job.get_absolute_url()).content.decode()


def test_the_admin_link_to_an_original_leads_nowhere(client, admin_user):
    client.force_login(admin_user)
    article = upload_html(client)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    links = set(re.findall(r'href="(/media/[^"]+)"', page))
    assert links == {media_url(article.original_file.name)}  # Django's read-only file field shows its URL
    for link in links:
        assert client.get(link).status_code == 404


def test_no_code_of_ours_serves_stored_files():
    # The one way to serve uploads in Django is a view or route of our own: none exists.
    sources = [
        p
        for d in ("config", "articles", "entities")
        for p in (ROOT / d).rglob("*.py")
        if "migrations" not in p.parts and p.name != "settings.py"
    ]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"FileResponse|static\.serve|views\.static|StreamingHttpResponse|MEDIA_URL", text), path
    with pytest.raises(Resolver404):
        resolve(media_url("originals/2025/01/page.html"))

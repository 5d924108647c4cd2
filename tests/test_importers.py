"""Tests for articles.importers: reading uploaded files and streaming bulk imports.

Pure Python, no database: run with ``pytest -p no:django tests/test_importers.py``.
"""

from __future__ import annotations

import io
import json
import random
import struct
import tracemalloc
import types
import zipfile
from pathlib import Path
from typing import TypeVar

import docx
import pypdf
import pytest
import trafilatura

from articles.importers import (
    ImportRejected,
    Limits,
    RawRecord,
    RecordError,
    check_size,
    count_records,
    decode_text,
    detect_format,
    iter_records,
    read_document,
)

ZipTarget = TypeVar("ZipTarget", Path, io.BytesIO)

FRENCH = "« Déjà l’été ! » : à Sète, la fête de l’œuvre coûte 12 €, reçu Noël."
FRENCH_LATIN1 = "« Déjà l'été ! » : à Sète, la fête du théâtre coûte 12 francs, reçu Noël."


# --- helpers -------------------------------------------------------------------


def make_pdf(lines: list[str], title: str | None = None) -> bytes:
    """A minimal one-page PDF with a real text layer (Helvetica, WinAnsi)."""

    def literal(text: str) -> bytes:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("cp1252") + b")"

    content = b"BT /F1 12 Tf 14 TL 72 770 Td " + b" ".join(literal(line) + b" Tj T*" for line in lines) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if title:
        objects.append(b"<< /Title " + literal(title) + b" >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    info = b" /Info %d 0 R" % len(objects) if title else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, info, xref)
    return bytes(out)


def make_docx(tmp_path: Path, paragraphs: list[str], title: str | None = None) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if title:
        document.core_properties.title = title
    path = tmp_path / "article.docx"
    document.save(str(path))
    return path.read_bytes()


def make_zip(target: ZipTarget, entries: dict[str, bytes | str]) -> ZipTarget:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return target


def by_location(items: list[RawRecord | RecordError]) -> dict[str, RawRecord | RecordError]:
    return {item.location: item for item in items}


ARTICLE_HTML = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Grève à la SNCF : le trafic perturbé | Le Quotidien</title>
<meta property="article:published_time" content="2024-03-12T08:30:00+01:00">
<script>var tracker = "identifiant-de-suivi";</script>
</head><body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/politique">Politique</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<div id="cookie-banner" class="cookie-consent">Nous utilisons des cookies pour améliorer
votre expérience. <button>Accepter les cookies</button></div>
<article><h1>Grève à la SNCF : le trafic perturbé</h1>
<p>Les cheminots ont entamé mardi un mouvement de grève qui perturbe fortement le trafic
ferroviaire dans toute la région.</p>
<p>Selon la direction, un train sur trois circulera mercredi sur les lignes régionales, et
les usagers sont invités à reporter leurs déplacements.</p>
<p>Les syndicats réclament une revalorisation des salaires et de meilleures conditions de
travail pour les agents de maintenance.</p>
</article>
<footer>© Le Quotidien 2024 – Mentions légales</footer>
</body></html>"""


# --- single documents ----------------------------------------------------------


def test_it_reads_a_utf8_text_file_keeping_paragraphs() -> None:
    data = b"Premier paragraphe.\r\nSuite du premier.\r\n\r\n\r\n\r\nSecond paragraphe.   \r\n"
    doc = read_document("note.TXT", data)
    assert doc.text == "Premier paragraphe.\nSuite du premier.\n\nSecond paragraphe."
    assert doc.encoding == "utf-8"
    assert doc.title is None


def test_it_decodes_cp1252_french_text_exactly() -> None:
    doc = read_document("windows.txt", FRENCH.encode("cp1252"))
    assert doc.text == FRENCH
    assert doc.encoding == "cp1252"


def test_it_decodes_latin1_french_text_exactly() -> None:
    text, encoding = decode_text(FRENCH_LATIN1.encode("latin-1"))
    assert text == FRENCH_LATIN1
    assert encoding == "iso-8859-1"


def test_it_reads_oe_and_euro_from_iso_8859_15() -> None:
    sample = "Le cœur du marché : 12 € le kilo, une œuvre de sœur Anne."
    assert decode_text(sample.encode("iso-8859-15")) == (sample, "iso-8859-15")


def test_it_reads_french_from_old_dos_and_mac_code_pages() -> None:
    sample = "Le café était très animé à la réunion, écrit-il ; ça a duré."
    assert decode_text(sample.encode("cp850"))[0] == sample
    assert decode_text(sample.encode("mac_roman"))[0] == sample


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be"])
def test_it_honours_byte_order_marks(encoding: str) -> None:
    data = FRENCH.encode(encoding)
    if encoding == "utf-16-be":  # this codec writes no BOM by itself
        data = b"\xfe\xff" + data
    text, _ = decode_text(data)
    assert text == FRENCH  # BOM removed, nothing garbled


@pytest.mark.parametrize(
    "data",
    [
        random.Random(42).randbytes(4096),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + random.Random(1).randbytes(500),
        b"Bonjour\x00\x00\x00le monde",
        make_zip(io.BytesIO(), {"a.txt": "Bonjour"}).getvalue(),
    ],
    ids=["random", "png", "nul-bytes", "zip"],
)
def test_it_rejects_binary_files_renamed_as_text(data: bytes) -> None:
    with pytest.raises(ImportRejected, match="does not look like text"):
        read_document("article.txt", data)


def test_it_rejects_undecodable_text_instead_of_returning_mojibake() -> None:
    with pytest.raises(ImportRejected, match="could not determine the text encoding"):
        read_document("article.txt", bytes(range(0x80, 0x100)) * 8)


def test_it_strips_markdown_markup_and_takes_the_title_from_the_first_heading() -> None:
    source = (
        "# Le *grand* débat\n\n"
        "Un paragraphe avec **du gras**, de l'_italique_ et [un lien](https://exemple.fr).\n\n"
        "## Les points clés\n\n"
        "* la variable nom_de_code reste intacte\n"
    )
    doc = read_document("notes.md", source.encode())
    assert doc.title == "Le grand débat"
    assert doc.text == (
        "Le grand débat\n\n"
        "Un paragraphe avec du gras, de l'italique et un lien.\n\n"
        "Les points clés\n\n"
        "- la variable nom_de_code reste intacte"
    )


def test_it_extracts_the_article_from_html_without_menu_script_or_cookie_banner() -> None:
    doc = read_document("page.html", ARTICLE_HTML.encode())
    assert doc.text.split("\n\n") == [
        "Grève à la SNCF : le trafic perturbé",
        "Les cheminots ont entamé mardi un mouvement de grève qui perturbe fortement le trafic ferroviaire "
        "dans toute la région.",
        "Selon la direction, un train sur trois circulera mercredi sur les lignes régionales, et les usagers "
        "sont invités à reporter leurs déplacements.",
        "Les syndicats réclament une revalorisation des salaires et de meilleures conditions de travail pour "
        "les agents de maintenance.",
    ]
    for furniture in ("Accueil", "Politique", "cookies", "identifiant-de-suivi", "Mentions légales"):
        assert furniture not in doc.text
    assert doc.title == "Grève à la SNCF : le trafic perturbé"
    assert doc.published == "2024-03-12"


def test_it_honours_the_charset_declared_in_html() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
        "<title>Réforme</title></head><body><article>"
        "<p>L’Assemblée a adopté jeudi la réforme, après trois semaines de débats houleux.</p>"
        "<p>Le coût est estimé à 2 milliards d’€ par an selon le rapporteur du texte.</p>"
        "</article></body></html>"
    )
    # Like browsers, a latin-1 label is read as windows-1252 (for the ’ and €).
    doc = read_document("page.htm", page.encode("cp1252"))
    assert "L’Assemblée a adopté jeudi" in doc.text
    assert "2 milliards d’€" in doc.text
    assert doc.encoding == "cp1252"


def test_it_keeps_html_line_breaks_apart_from_paragraphs() -> None:
    page = "<html><body><nav>Menu</nav><p>Bref.</p><p>Deux<br>lignes</p><script>x()</script></body></html>"
    assert read_document("mini.html", page.encode()).text == "Bref.\n\nDeux\nlignes"


def test_it_falls_back_to_the_body_text_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    page = (
        "<html><head><title>Brève</title></head><body><header>Le Quotidien</header>"
        "<nav><a href='/'>Accueil</a></nav><div>Coupure d’eau\n  rue Haute.</div>"
        "<div>De 9 h<br>à 12 h.</div><script>suivi()</script><footer>Contact</footer></body></html>"
    )
    doc = read_document("mini.html", page.encode())
    assert doc.text == "Coupure d’eau rue Haute.\n\nDe 9 h\nà 12 h."
    assert doc.title == "Brève"


def test_it_reads_docx_paragraphs_and_title(tmp_path: Path) -> None:
    data = make_docx(
        tmp_path, ["Premier paragraphe, avec des accents : é à ç.", "", "Second paragraphe."], "Compte rendu"
    )
    doc = read_document("rapport.docx", data)
    assert doc.text == "Premier paragraphe, avec des accents : é à ç.\n\nSecond paragraphe."
    assert doc.title == "Compte rendu"


def test_it_rejects_a_corrupt_docx(tmp_path: Path) -> None:
    data = make_docx(tmp_path, ["Texte"])
    with pytest.raises(ImportRejected, match="not a valid Word document"):
        read_document("abime.docx", data[: len(data) // 2])
    with pytest.raises(ImportRejected, match="not a valid Word document"):
        read_document("ancien.docx", b"\xd0\xcf\x11\xe0 old binary .doc")


def test_it_reads_the_text_layer_of_a_pdf() -> None:
    data = make_pdf(["Bonjour à tous.", "La réunion est reportée à jeudi."], title="Note interne")
    doc = read_document("note.pdf", data)
    assert "Bonjour à tous." in doc.text
    assert "La réunion est reportée à jeudi." in doc.text
    assert doc.title == "Note interne"
    assert pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()  # helper sanity


def test_it_rejects_a_pdf_without_text_layer() -> None:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ImportRejected, match=r"PDF has no text layer \(scanned document\?\)"):
        read_document("scan.pdf", buffer.getvalue())


def test_it_rejects_password_protected_and_corrupt_pdfs() -> None:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ImportRejected, match="password-protected"):
        read_document("secret.pdf", buffer.getvalue())
    with pytest.raises(ImportRejected, match="not a valid PDF"):
        read_document("casse.pdf", b"%PDF-1.4\nce fichier est tronqu")


def test_it_rejects_unsupported_file_types_listing_the_supported_ones() -> None:
    with pytest.raises(ImportRejected, match=r"unsupported file type '\.odt' \(supported: \.txt, \.md, .*\.pdf\)"):
        read_document("rapport.odt", b"whatever")


def test_it_refuses_oversized_files_before_parsing_them() -> None:
    with pytest.raises(ImportRejected, match=r"^file is 61\.2 MB, over the 50 MB limit$"):
        check_size("enorme.pdf", int(61.2 * 1024 * 1024), Limits())
    # Garbage that would fail to parse: the size message wins, so nothing was parsed.
    with pytest.raises(ImportRejected, match="over the 100 bytes limit"):
        read_document("gros.pdf", b"x" * 101, limits=Limits(max_file_bytes=100))


def test_it_rejects_documents_without_any_text() -> None:
    with pytest.raises(ImportRejected, match="no text"):
        read_document("vide.txt", b"  \n\n ")


# --- bulk: formats and JSON Lines ------------------------------------------------


def test_it_detects_the_bulk_format_from_the_name(tmp_path: Path) -> None:
    assert detect_format("export.JSONL") == "jsonl"
    assert detect_format("export.ndjson") == "jsonl"
    assert detect_format("export.csv") == "csv"
    assert detect_format("archive.zip") == "zip"
    assert detect_format(tmp_path) == "dir"
    with pytest.raises(ImportRejected, match="unsupported bulk format '.xlsx'"):
        detect_format("export.xlsx")


def test_it_reports_broken_jsonl_lines_by_number_and_yields_the_others(tmp_path: Path) -> None:
    lines = [
        "\ufeff" + json.dumps({"external_id": 17, "text": "Premier article.", "title": "Un", "inconnu": 1}),
        '{"text": "Deuxième article", "title": "Deux"',
        "",
        "[1, 2]",
        json.dumps({"title": "Sans texte"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": "Article taggé", "source": ["a", "b"]}),
        json.dumps({"text": "Dernier article.", "published_at": "2024-03-12", "url": "https://exemple.fr/a"}),
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = by_location(list(iter_records(path)))
    assert list(items) == ["line 1", "line 2", "line 4", "line 5", "line 6", "line 7", "line 8"]
    assert items["line 1"] == RawRecord(text="Premier article.", title="Un", external_id="17", location="line 1")
    assert items["line 2"] == RecordError("line 2", "invalid JSON: Expecting ',' delimiter (column 45)")
    assert items["line 4"] == RecordError("line 4", "expected a JSON object, got an array")
    assert items["line 5"] == RecordError("line 5", "missing required field 'text'")
    assert items["line 6"] == RecordError("line 6", "empty text")
    assert items["line 7"] == RecordError("line 7", "field 'source' must be a string, not an array")
    assert items["line 8"] == RawRecord(
        text="Dernier article.", published_at="2024-03-12", url="https://exemple.fr/a", location="line 8"
    )


def test_it_limits_the_text_size_of_each_bulk_record(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    lines = [{"text": "a" * 150}, {"text": "b" * 500}, {"text": "court"}]
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    items = list(iter_records(path, limits=Limits(max_file_bytes=100)))
    assert items == [
        RecordError("line 1", "text is 150 bytes, over the 100 bytes limit"),
        RecordError("line 2", "line is longer than 200 bytes; skipped"),
        RawRecord(text="court", location="line 3"),
    ]


def test_it_rejects_a_json_array_given_as_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps([{"text": "a"}, {"text": "b"}], indent=2), encoding="utf-8")
    with pytest.raises(ImportRejected, match="looks like a JSON array"):
        iter_records(path)


def test_it_streams_a_big_jsonl_file_lazily(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for number in range(50_000):
            f.write(json.dumps({"external_id": number, "text": f"Dépêche numéro {number} : " + "x" * 80}) + "\n")
    assert path.stat().st_size > 5_000_000
    assert count_records(path) == 50_000

    tracemalloc.start()
    try:
        records = iter_records(path)
        assert isinstance(records, types.GeneratorType)
        first = next(records)
        assert isinstance(first, RawRecord)
        assert first.external_id == "0"
        count = 1 + sum(1 for record in records if isinstance(record, RawRecord))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 50_000
    assert peak < 1_000_000  # a fraction of the 5 MB file: never held whole


# --- bulk: CSV -----------------------------------------------------------------


def test_it_rejects_a_csv_without_text_column_before_yielding_anything(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("titre,contenu\nUn,Premier article\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match=r"^CSV has no 'text' column \(columns found: titre, contenu\)$"):
        iter_records(path)


def test_it_reads_a_semicolon_csv_with_multiline_fields_and_right_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(
        b"external_id;Text;title;published_at\r\n"
        b'1;"Premier paragraphe.\r\n\r\nSecond paragraphe ; avec un point-virgule.";Titre un;2024-03-12\r\n'
        b"2;;Sans texte;\r\n"
        b"\r\n"
        b'3;"Il a dit ""bonjour"".";Titre trois;\r\n'
    )
    items = list(iter_records(path))
    assert items == [
        RawRecord(
            text="Premier paragraphe.\n\nSecond paragraphe ; avec un point-virgule.",
            title="Titre un",
            published_at="2024-03-12",
            external_id="1",
            location="line 2",
        ),
        RecordError("line 5", "empty text"),
        RawRecord(text='Il a dit "bonjour".', title="Titre trois", external_id="3", location="line 7"),
    ]
    assert count_records(path) == 3


def test_it_reads_a_french_excel_csv_in_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(f"text;source\r\n{FRENCH};Le Quotidien\r\n".encode("cp1252"))
    assert list(iter_records(path)) == [RawRecord(text=FRENCH, source="Le Quotidien", location="line 2")]


def test_it_reads_a_utf8_csv_with_bom_and_tabs(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("text\tlanguage\n« Été » à Brest\tfr\n".encode("utf-8-sig"))
    assert list(iter_records(path)) == [RawRecord(text="« Été » à Brest", language="fr", location="line 2")]


def test_it_reports_csv_rows_with_more_fields_than_the_header(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("text,title\nBonjour,Un,de trop\nSalut,Deux\n", encoding="utf-8")
    assert list(iter_records(path)) == [
        RecordError("line 2", "row has 3 fields but the header has 2"),
        RawRecord(text="Salut", title="Deux", location="line 3"),
    ]


# --- bulk: ZIP archives and folders ----------------------------------------------


def test_it_reads_every_supported_document_in_a_zip(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "lot.zip",
        {
            "dossier/": b"",
            "dossier/a.txt": FRENCH.encode("cp1252"),
            "dossier/b.md": "# Titre B\n\nCorps **B**.",
            "c.html": ARTICLE_HTML,
            "d.pdf": make_pdf(["Texte du PDF."]),
            "e.docx": make_docx(tmp_path, ["Texte du Word."], "Titre E"),
            "__MACOSX/dossier/._a.txt": b"\x00\x05\x16\x07",
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
        },
    )
    items = list(iter_records(archive))
    assert [item.location for item in items] == [
        "file dossier/a.txt",
        "file dossier/b.md",
        "file c.html",
        "file d.pdf",
        "file e.docx",
    ]
    assert all(isinstance(item, RawRecord) for item in items)
    records = {item.filename: item for item in items if isinstance(item, RawRecord)}
    assert records["dossier/a.txt"].text == FRENCH
    assert records["dossier/b.md"].title == "Titre B"
    assert records["dossier/b.md"].text == "Titre B\n\nCorps B."
    assert records["c.html"].published_at == "2024-03-12"
    assert records["d.pdf"].text == "Texte du PDF."
    assert records["e.docx"].title == "Titre E"
    assert count_records(archive) == 5


def test_it_rejects_a_zip_with_too_many_entries(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "lot.zip", {f"{n}.txt": "Bonjour" for n in range(6)})
    with pytest.raises(ImportRejected, match="archive has 6 entries, over the limit of 5"):
        iter_records(archive, limits=Limits(max_zip_entries=5))


def test_it_rejects_a_zip_that_would_expand_beyond_the_total_limit(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "lot.zip", {f"{n}.txt": "Bonjour. " * 100 for n in range(3)})
    assert archive.stat().st_size < 1000
    with pytest.raises(ImportRejected, match="archive expands to 2.6 KB, over the 1000 bytes limit"):
        iter_records(archive, limits=Limits(max_zip_total_bytes=1000))


def test_it_skips_entries_compressed_suspiciously_well(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "lot.zip", {"bombe.txt": "a" * 200_000, "ok.txt": "Un texte normal."})
    items = list(iter_records(archive))
    assert isinstance(items[0], RecordError)
    assert items[0].location == "file bombe.txt"
    assert "zip bomb" in items[0].reason
    assert items[1] == RawRecord(text="Un texte normal.", location="file ok.txt", filename="ok.txt")


def test_it_reports_zip_slip_entries_and_writes_nothing(tmp_path: Path) -> None:
    upload = tmp_path / "upload"
    upload.mkdir()
    archive = make_zip(
        upload / "lot.zip",
        {
            "../evil.txt": "Je sors de l'archive.",
            "/abs.txt": "Chemin absolu.",
            "C:\\Windows\\win.txt": "Chemin Windows.",
            "dossier/../../evil2.txt": "Encore.",
            "sain.txt": "Texte sain.",
        },
    )
    before = sorted(tmp_path.rglob("*"))
    items = list(iter_records(archive))
    reason = "path escapes the archive; entry skipped"
    assert items == [
        RecordError("entry ../evil.txt", reason),
        RecordError("entry /abs.txt", reason),
        RecordError("entry C:\\Windows\\win.txt", reason),
        RecordError("entry dossier/../../evil2.txt", reason),
        RawRecord(text="Texte sain.", location="file sain.txt", filename="sain.txt"),
    ]
    assert sorted(tmp_path.rglob("*")) == before
    assert not (tmp_path / "evil.txt").exists()
    assert not Path("/abs.txt").exists()


def test_it_reports_unreadable_entries_and_keeps_going(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "lot.zip",
        {
            "imbrique.zip": b"PK\x05\x06" + b"\x00" * 18,
            "export.csv": "text\nBonjour\n",
            "image.png": b"\x89PNG",
            "gros.txt": "Un texte bien trop long. " * 20,
            "faux.txt": b"\x00\x01\x02binaire",
            "casse.pdf": b"%PDF-1.4 rien",
            "bon.txt": "Tout va bien.",
        },
    )
    items = by_location(list(iter_records(archive, limits=Limits(max_file_bytes=100))))
    assert items["file imbrique.zip"] == RecordError("file imbrique.zip", "nested archives are not supported")
    assert "import them on their own" in items["file export.csv"].reason
    assert "unsupported file type '.png'" in items["file image.png"].reason
    assert items["file gros.txt"].reason == "file is 500 bytes, over the 100 bytes limit"
    assert "does not look like text" in items["file faux.txt"].reason
    assert "not a valid PDF" in items["file casse.pdf"].reason
    assert isinstance(items["file bon.txt"], RawRecord)


def test_it_does_not_trust_sizes_declared_in_zip_headers(tmp_path: Path) -> None:
    path = tmp_path / "lot.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("menteur.txt", "Ce texte est plus long que ce que dit l'en-tête. " * 20)
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 10)  # declared uncompressed size: 10 bytes
    path.write_bytes(bytes(data))
    [item] = list(iter_records(path))
    assert isinstance(item, RecordError)
    assert item.location == "file menteur.txt"
    assert "cannot read this entry" in item.reason


def test_it_rejects_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "faux.zip"
    path.write_text("pas une archive", encoding="utf-8")
    with pytest.raises(ImportRejected, match="not a valid ZIP archive"):
        iter_records(path)


def test_it_reads_a_folder_recursively_in_order_without_following_symlinks(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("Ne doit pas être lu.", encoding="utf-8")
    root = tmp_path / "dossier"
    (root / "sous").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "b.txt").write_text("Texte B.", encoding="utf-8")
    (root / "a.md").write_text("# Titre A\n\nTexte A.", encoding="utf-8")
    (root / "sous" / "c.txt").write_bytes(FRENCH.encode("cp1252"))
    (root / ".cache.txt").write_text("caché", encoding="utf-8")
    (root / ".git" / "notes.txt").write_text("caché", encoding="utf-8")
    (root / "notes.odt").write_bytes(b"PK")
    (root / "lien.txt").symlink_to(outside)
    (root / "lien-dossier").symlink_to(tmp_path)

    items = list(iter_records(root))
    assert count_records(root) == len(items) == 6
    assert [item.location for item in items] == [
        "folder lien-dossier",
        "file a.md",
        "file b.txt",
        "file lien.txt",
        "file notes.odt",
        "file sous/c.txt",
    ]
    records = {item.filename: item for item in items if isinstance(item, RawRecord)}
    assert records["a.md"].title == "Titre A"
    assert records["sous/c.txt"].text == FRENCH
    assert items[3] == RecordError("file lien.txt", "symbolic links are not followed; skipped")
    assert not any("Ne doit pas" in item.text for item in records.values())


def test_it_survives_stray_windows_1252_bytes_deep_in_a_utf8_csv(tmp_path: Path) -> None:
    # The encoding is sniffed on the first 64 KB; a later cp1252 byte must not crash the import.
    path = tmp_path / "export.csv"
    rows = "".join(f"Dépêche {n}\n" for n in range(10_000))
    path.write_bytes(b"text\n" + rows.encode() + "Réunion à l’Élysée\n".encode("cp1252"))
    items = list(iter_records(path))
    assert len(items) == 10_001
    assert items[-1] == RawRecord(text="Réunion à l’Élysée", location="line 10002")


def test_it_reports_jsonl_lines_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(b'{"text": "ok"}\n' + '{"text": "Réunion"}\n'.encode("cp1252"))
    assert list(iter_records(path)) == [
        RawRecord(text="ok", location="line 1"),
        RecordError("line 2", "not valid UTF-8 (at byte 12); save the file as UTF-8"),
    ]


def test_it_counts_records_for_progress_bars(tmp_path: Path) -> None:
    jsonl = tmp_path / "export.jsonl"
    jsonl.write_text('{"text": "a"}\n\n{"text": "b"}\n{cassé\n', encoding="utf-8")
    assert count_records(jsonl) == 3  # blank lines are not records, broken ones are reported
    folder = tmp_path / "dossier"
    (folder / "sous").mkdir(parents=True)
    (folder / "a.txt").write_text("A", encoding="utf-8")
    (folder / ".cache").write_text("caché", encoding="utf-8")
    (folder / "sous" / "b.txt").write_text("B", encoding="utf-8")
    assert count_records(folder) == 2
    assert count_records(tmp_path / "absent.csv") is None

"""Turn one uploaded file (bytes + name) into plain text.

Pure Python on purpose (no Django): the upload view, the bulk importer and the
tests all call the same functions. The heavy parsers (trafilatura, python-docx,
pypdf) are imported inside the functions that need them, so importing this
module stays cheap.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

SUPPORTED_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")

MB = 1024 * 1024


class ImportRejected(Exception):
    """The whole input is refused; ``str(exc)`` is meant to be shown to a human."""


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * MB
    max_zip_entries: int = 10_000
    max_zip_total_bytes: int = 500 * MB
    max_zip_ratio: int = 200


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class ParsedDocument:
    text: str
    title: str | None = None
    published: str | None = None
    encoding: str | None = None


def human_size(n: int) -> str:
    for unit, size in (("MB", MB), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def check_size(name: str, size: int, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a file from its size alone, so callers need not read it first."""
    if size > limits.max_file_bytes:
        raise ImportRejected(f"file is {human_size(size)}, over the {human_size(limits.max_file_bytes)} limit")


def supported_extension(name: str) -> str:
    """Lower-cased extension, or ImportRejected if we cannot read this type."""
    ext = PurePath(name.replace("\\", "/")).suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        shown = f"'{ext}'" if ext else "without extension"
        raise ImportRejected(f"unsupported file type {shown} (supported: {', '.join(SUPPORTED_EXTENSIONS)})")
    return ext


def read_document(name: str, data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> ParsedDocument:
    ext = supported_extension(name)
    check_size(name, len(data), limits)
    if ext == ".txt":
        text, encoding = decode_text(data)
        doc = ParsedDocument(_tidy(text), encoding=encoding)
    elif ext == ".md":
        text, encoding = decode_text(data)
        doc = _read_markdown(text, encoding)
    elif ext in (".html", ".htm"):
        doc = _read_html(data)
    elif ext == ".docx":
        doc = _read_docx(data, limits)
    else:
        doc = _read_pdf(data)
    if not doc.text.strip():
        raise ImportRejected("the document contains no text")
    return doc


# --- text decoding -----------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HIGH_BYTES = bytes(range(0x80, 0x100))
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_ASCII_CONTROL_BYTES = re.compile(rb"[\x01-\x08\x0e-\x1f\x7f]")
# In ISO-8859-1 these bytes are ¤ ½ ¼, which French text never uses next to a
# letter; in ISO-8859-15 they are € œ Œ ("cœur", "12 €").
_LATIN9_HINTS = re.compile(rb"\xa4|[A-Za-z\xc0-\xff][\xbc\xbd]|[\xbc\xbd][A-Za-z\xc0-\xff]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
# What a correct decoding of French looks like (accents inside words, French
# typography), and what a wrong one produces (C1 controls, rare symbols, box
# drawing from DOS code pages).
_FRENCH = re.compile(r"[a-z][éèêëàâùûüçôîïœ]|[éèêëàâùûüçôîïœ][a-z]|[’«»€–—…“”]")
_ODD = re.compile(r"[\x80-\x9f‚ƒ„†‡ˆ‰Š‹ŽŸ¤¦¨¬¯±´¸¹²³¶¼½¾×÷ªº∂∑∏π∫Ω√∞≈≠≤≥◊\u2500-\u25ff]")


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text bytes, returning ``(text, encoding)``; ImportRejected if not text."""
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:  # e.g. a UTF-16 BOM followed by an odd number of bytes
        raise ImportRejected(f"file is not valid {encoding} text") from exc
    check_looks_like_text(text)
    return text, encoding


def detect_encoding(data: bytes, *, final: bool = True) -> str:
    """Guess the encoding of text bytes.

    ``final=False`` is for a sample cut from a larger file: a multi-byte
    character split at the end of the sample is then not an error.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    if b"\x00" in data or len(_ASCII_CONTROL_BYTES.findall(data)) > max(2, len(data) / 100):
        raise ImportRejected("file does not look like text (binary content?)")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if high < len(data) * 0.3 or len(data) < 64:  # Latin-script text is mostly ASCII
        if not _C1_BYTES.search(data):
            # cp1252 would decode exactly like latin-1 here, so say latin-1.
            return "iso-8859-15" if _LATIN9_HINTS.search(data) else "iso-8859-1"
        # 0x80-0x9F holds curly quotes, œ and € in cp1252, but é è à in the
        # DOS and Mac code pages: keep the reading that makes French sense.
        scores = {}
        for encoding in ("cp1252", "cp850", "mac_roman"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            scores[encoding] = len(_FRENCH.findall(text)) - len(_ODD.findall(text))
        best = max(scores, key=scores.__getitem__)  # ties go to cp1252, listed first
        if scores[best] > 0:
            return best
    # Mostly non-ASCII, or no French sense: maybe another script (Cyrillic,
    # Greek...). charset-normalizer may know; trust only a clean answer.
    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    if guess is not None and guess.encoding and not _CONTROL.search(str(guess)):
        return guess.encoding
    raise ImportRejected("could not determine the text encoding (save the file as UTF-8)")


def check_looks_like_text(text: str) -> None:
    # A few stray control characters happen in real files; many means binary.
    bad = len(_CONTROL.findall(text))
    if "\x00" in text or (bad > 2 and bad > len(text) / 100):
        raise ImportRejected("file does not look like text (binary content?)")


def _tidy(text: str) -> str:
    """Normalise newlines and trailing spaces; keep at most one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- markdown ----------------------------------------------------------------

_MD_RULES = [
    (re.compile(r"^ {0,3}(```|~~~).*$", re.MULTILINE), ""),  # code fences (keep the code)
    (re.compile(r"^ {0,3}([-*_] *){3,}$", re.MULTILINE), ""),  # horizontal rules
    (re.compile(r"^ {0,3}=+ *$", re.MULTILINE), ""),  # setext underline
    (re.compile(r"^ {0,3}\[[^\]]+\]: *\S+.*$", re.MULTILINE), ""),  # link reference definitions
    (re.compile(r"^ {0,3}#{1,6} +(.*?)(?: +#+)? *$", re.MULTILINE), r"\1"),  # ATX headings
    (re.compile(r"^ {0,3}> ?", re.MULTILINE), ""),  # block quotes
    (re.compile(r"^( *)[*+] +", re.MULTILINE), r"\1- "),  # bullets, so "*" is not emphasis
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](url), ![alt](src)
    (re.compile(r"!?\[([^\]]*)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *em*
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),  # _em_ (not snake_case)
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
]
_MD_TITLE = re.compile(r"^ {0,3}# +(.+?)(?: +#+)? *$", re.MULTILINE)


def strip_markdown(text: str) -> str:
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text


def _read_markdown(text: str, encoding: str) -> ParsedDocument:
    text = _tidy(text)
    match = _MD_TITLE.search(text)
    title = strip_markdown(match.group(1)).strip() if match else None
    return ParsedDocument(_tidy(strip_markdown(text)), title=title or None, encoding=encoding)


# --- HTML --------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


def _decode_html(data: bytes) -> tuple[str, str]:
    """Honour a BOM, then <meta charset>, then fall back to guessing."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return decode_text(data)
    match = _META_CHARSET.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii").lower()
        # As browsers do: latin-1/ascii labels mean windows-1252, and a UTF-16
        # label in an ASCII-readable document cannot be true.
        if declared in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
            declared = "cp1252"
        try:
            if not declared.startswith("utf-16"):
                text = data.decode(declared)
                check_looks_like_text(text)
                return text, codecs.lookup(declared).name
        except (LookupError, UnicodeDecodeError):
            pass  # wrong or unknown label: guess instead
    return decode_text(data)


def _read_html(data: bytes) -> ParsedDocument:
    import trafilatura

    html, encoding = _decode_html(data)
    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        # Only dates the page declares, not ones guessed from the body text.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = _blocks_text(doc.body) if doc is not None and doc.body is not None else ""
    title = doc.title if doc is not None else None
    published = doc.date if doc is not None else None
    if not text:  # tiny or odd pages where trafilatura finds no "main content"
        text, fallback_title = _html_body_text(html)
        title = title or fallback_title
    return ParsedDocument(text, title=title or None, published=published or None, encoding=encoding)


def _blocks_text(body: Any) -> str:
    """trafilatura's XML body as text: blank lines between its blocks (paragraphs,
    headings, lists), single newlines for <br> and list items. Its plain-text
    output cannot tell those apart."""
    for element in body.iter("lb", "item", "row"):
        element.tail = "\n" + (element.tail or "")
    text = "\n\n".join("".join(block.itertext()) for block in body)
    return _tidy("\n".join(" ".join(line.split()) for line in text.split("\n")))


_BLOCK_TAGS = {
    "address", "article", "blockquote", "dd", "div", "dl", "dt", "figcaption", "h1",
    "h2", "h3", "h4", "h5", "h6", "li", "main", "ol", "p", "pre", "section", "table",
    "td", "th", "tr", "ul",
}  # fmt: skip
_DROPPED_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside")
_XML_INCOMPATIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _html_body_text(html: str) -> tuple[str, str | None]:
    """Plain text of <body> without page furniture, paragraphs kept apart."""
    import lxml.etree
    import lxml.html

    # lxml parses C0 controls and U+FFFE/U+FFFF into text nodes but refuses them when the
    # text is set back below (ValueError): drop them, cleaning would anyway.
    html = _XML_INCOMPATIBLE.sub("", html)
    # Parse bytes with an explicit encoding: lxml refuses str with an XML declaration.
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (lxml.etree.LxmlError, ValueError):  # e.g. "Document is empty"
        return "", None
    title = (root.findtext(".//title") or "").strip() or None
    body = root.find("body")
    if body is None:
        return "", title
    for element in body.xpath("|".join(f".//{tag}" for tag in _DROPPED_TAGS)):
        element.drop_tree()
    # Source line breaks are just spaces; block boundaries become blank lines.
    for element in body.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        element.text = re.sub(r"\s+", " ", element.text or "")
        element.tail = re.sub(r"\s+", " ", element.tail or "")
        if element.tag == "br":
            element.tail = "\n" + element.tail
        elif element.tag in _BLOCK_TAGS:
            element.tail = "\n\n" + element.tail
            element.text = "\n\n" + element.text
    paragraphs = (p.strip() for p in re.split(r"\n[ \n]*\n", body.text_content()))
    text = "\n\n".join(p for p in paragraphs if p)
    return re.sub(r" *\n *", "\n", text), title


# --- DOCX --------------------------------------------------------------------


def _read_docx(data: bytes, limits: Limits) -> ParsedDocument:
    import docx

    # A .docx is a zip: refuse bombs before python-docx inflates every part.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip_central_directory(archive.infolist(), limits)
        document = docx.Document(io.BytesIO(data))
    except ImportRejected:
        raise
    except Exception as exc:  # corrupt input makes python-docx raise many types
        raise ImportRejected("not a valid Word document (.docx); old .doc files must be saved as .docx") from exc
    paragraphs = (p.text.strip() for p in document.paragraphs)
    text = "\n\n".join(p for p in paragraphs if p)
    title = (document.core_properties.title or "").strip() or None
    return ParsedDocument(text, title=title)


def check_zip_central_directory(entries: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse zip bombs from the declared sizes, before inflating anything."""
    if len(entries) > limits.max_zip_entries:
        raise ImportRejected(f"archive has {len(entries)} entries, over the limit of {limits.max_zip_entries}")
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_zip_total_bytes:
        raise ImportRejected(
            f"archive expands to {human_size(total)}, over the {human_size(limits.max_zip_total_bytes)} limit"
        )


# --- PDF ---------------------------------------------------------------------


def _read_pdf(data: bytes) -> ParsedDocument:
    import pypdf
    from pypdf.errors import DependencyError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        # Many PDFs are "encrypted" with an empty password just to forbid editing.
        if reader.is_encrypted and not reader.decrypt(""):
            raise ImportRejected("PDF is password-protected")
        pages = [(page.extract_text() or "").replace("\x00", "") for page in reader.pages]
        title = str(reader.metadata.title or "").strip() if reader.metadata else ""
    except ImportRejected:
        raise
    except DependencyError as exc:  # AES needs the optional 'cryptography' package
        raise ImportRejected("PDF is encrypted and cannot be read") from exc
    except Exception as exc:  # pypdf raises many types on corrupt files
        raise ImportRejected(f"not a valid PDF ({exc})") from exc
    text = "\n\n".join(_tidy(page) for page in pages if page.strip())
    if not text:
        raise ImportRejected("PDF has no text layer (scanned document?)")
    return ParsedDocument(text, title=title or None)

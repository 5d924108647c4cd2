"""Stream records out of bulk files: JSON Lines, CSV, ZIP archives, directories.

Everything is read row by row (or entry by entry) so a file of millions of
articles never sits in memory. Problems with one record are yielded as
RecordError so the import can go on; problems with the whole input raise
ImportRejected before the first record.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .readers import (
    DEFAULT_LIMITS,
    ImportRejected,
    Limits,
    check_looks_like_text,
    check_size,
    check_zip_central_directory,
    detect_encoding,
    human_size,
    read_document,
    supported_extension,
)

FIELDS = ("external_id", "text", "title", "published_at", "source", "url", "language")
FORMATS = ("jsonl", "csv", "zip", "dir")
_FORMAT_BY_EXTENSION = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".zip": "zip"}
_SNIFF_BYTES = 64 * 1024
_IGNORED_NAMES = ("__MACOSX", "Thumbs.db", "desktop.ini")


@dataclass(frozen=True)
class RawRecord:
    text: str
    title: str | None = None
    published_at: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    external_id: str | None = None
    location: str = ""
    filename: str | None = None


@dataclass(frozen=True)
class RecordError:
    location: str
    reason: str


def detect_format(path_or_name: str | os.PathLike[str]) -> str:
    if os.path.isdir(path_or_name):
        return "dir"
    suffix = PurePosixPath(os.fspath(path_or_name)).suffix.lower()
    if suffix not in _FORMAT_BY_EXTENSION:
        shown = f"'{suffix}'" if suffix else "(no extension)"
        raise ImportRejected(f"unsupported bulk format {shown} (expected .jsonl, .ndjson, .csv, .zip or a folder)")
    return _FORMAT_BY_EXTENSION[suffix]


def iter_records(
    path: str | os.PathLike[str], fmt: str | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> Iterator[RawRecord | RecordError]:
    """Yield one RawRecord or RecordError per record, lazily.

    Whole-input checks run now, so ImportRejected is raised by this call rather
    than halfway through an import. The one exception: a ZIP whose headers
    understate its real size is rejected during iteration, when we find out.
    """
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt == "jsonl":
        _check_jsonl(path)
        return _iter_jsonl(path, limits)
    if fmt == "csv":
        _open_csv(path, limits)[0].close()  # validate now, stream later
        return _iter_csv(path, limits)
    if fmt == "zip":
        _open_zip(path, limits).close()
        return _iter_zip(path, limits)
    if fmt == "dir":
        if not path.is_dir():
            raise ImportRejected(f"'{path.name}' is not a folder")
        return _iter_dir(path, limits)
    raise ImportRejected(f"unknown format '{fmt}' (expected one of: {', '.join(FORMATS)})")


def count_records(
    path: str | os.PathLike[str], fmt: str | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> int | None:
    """Cheap count for a progress bar (errors included); None if the input is unreadable."""
    try:
        path = Path(path)
        fmt = fmt or detect_format(path)
        if fmt == "jsonl":
            with path.open("rb") as f:
                return sum(1 for line in _lines(f, _jsonl_line_cap(limits)) if line is None or line.strip())
        if fmt == "csv":
            stream, reader, _ = _open_csv(path, limits)
            with stream:
                return sum(1 for row in reader if any(cell.strip() for cell in row))
        if fmt == "zip":
            with _open_zip(path, limits) as archive:
                return sum(
                    1
                    for info in archive.infolist()
                    if _escapes(info.filename) or not (info.is_dir() or _ignored(info.filename))
                )
        if fmt == "dir":  # one item per visible file, plus one error per symlinked folder
            return sum(
                sum(not _ignored(f) for f in files) + sum((current / d).is_symlink() for d in dirs)
                for current, dirs, files in _walk(path)
            )
    except (ImportRejected, OSError, csv.Error):
        pass
    return None


# --- fields ------------------------------------------------------------------

_JSON_TYPES = {dict: "an object", list: "an array", bool: "a boolean"}


def _make_record(values: Mapping[str, Any], location: str, limits: Limits) -> RawRecord | RecordError:
    """Build a record from loosely typed fields (JSON values or CSV cells)."""
    fields: dict[str, str] = {}
    for name in FIELDS:
        value = values.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            kind = _JSON_TYPES.get(type(value), type(value).__name__)
            return RecordError(location, f"field '{name}' must be a string, not {kind}")
        # NUL characters cannot be stored in PostgreSQL text columns.
        value = str(value).replace("\x00", "").strip()
        try:
            size = len(value.encode("utf-8"))
        except UnicodeEncodeError:  # lone surrogate from a "\ud800" JSON escape
            return RecordError(location, f"field '{name}' contains invalid characters")
        if name == "text" and size > limits.max_file_bytes:
            return RecordError(
                location, f"text is {human_size(size)}, over the {human_size(limits.max_file_bytes)} limit"
            )
        if value:
            fields[name] = value
    if "text" not in values:
        return RecordError(location, "missing required field 'text'")
    text = fields.pop("text", "")
    if not text:
        return RecordError(location, "empty text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return RawRecord(text=text, location=location, **fields)


# --- JSON Lines --------------------------------------------------------------


def _jsonl_line_cap(limits: Limits) -> int:
    # Room for the text (limited to max_file_bytes) plus escaping and other fields.
    return 2 * limits.max_file_bytes


def _lines(f: io.BufferedIOBase, cap: int) -> Iterator[bytes | None]:
    """Physical lines of a binary file, the first without its UTF-8 BOM; None for a line over
    ``cap`` bytes, never held whole."""
    first = True
    while line := f.readline(cap + 1):
        if len(line) > cap and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of it
                line = f.readline(cap + 1)
            yield None
        else:
            # The BOM goes here rather than in the caller, so that counting and reading agree
            # that a line holding only the BOM is blank.
            yield line.removeprefix(codecs.BOM_UTF8) if first else line
        first = False


def _check_jsonl(path: Path) -> None:
    with path.open("rb") as f:
        sample = f.read(_SNIFF_BYTES)
    if b"\x00" in sample:
        raise ImportRejected("file does not look like JSON Lines (it contains NUL bytes: binary file?)")
    if sample.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"["):
        raise ImportRejected("file looks like a JSON array; expected JSON Lines (one JSON object per line)")


def _iter_jsonl(path: Path, limits: Limits) -> Iterator[RawRecord | RecordError]:
    cap = _jsonl_line_cap(limits)
    with path.open("rb") as f:
        for number, line in enumerate(_lines(f, cap), start=1):
            location = f"line {number}"
            if line is None:
                yield RecordError(location, f"line is longer than {human_size(cap)}; skipped")
                continue
            if not line.strip():
                continue
            try:
                value = json.loads(line.rstrip().decode("utf-8"))  # rstrip: errors at the end keep their column
            except UnicodeDecodeError as exc:
                yield RecordError(location, f"not valid UTF-8 (at byte {exc.start + 1}); save the file as UTF-8")
                continue
            except json.JSONDecodeError as exc:
                yield RecordError(location, f"invalid JSON: {exc.msg} (column {exc.colno})")
                continue
            except ValueError:  # an integer of over 4,300 digits (Python's limit on int parsing)
                yield RecordError(location, "invalid JSON: a number is too long")
                continue
            except RecursionError:
                yield RecordError(location, "invalid JSON: arrays or objects nested too deeply")
                continue
            if not isinstance(value, dict):
                kind = _JSON_TYPES.get(type(value), type(value).__name__)
                yield RecordError(location, f"expected a JSON object, got {kind}")
                continue
            yield _make_record(value, location, limits)


# --- CSV ---------------------------------------------------------------------


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    # A UTF-8 export with a few pasted Windows-1252 bytes deep inside (past the
    # sample we sniffed): decode those bytes as cp1252 rather than failing.
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("vigie-cp1252-fallback", _cp1252_fallback)


def _open_csv(path: Path, limits: Limits) -> tuple[io.TextIOWrapper, Iterator[list[str]], list[str]]:
    """Open a CSV stream positioned after its header: (stream, rows, column names)."""
    raw = path.open("rb")
    try:
        sample = raw.read(_SNIFF_BYTES)
        final = len(sample) < _SNIFF_BYTES
        encoding = detect_encoding(sample, final=final)
        text_sample = codecs.getincrementaldecoder(encoding)("replace").decode(sample, final)
        check_looks_like_text(text_sample)
        raw.seek(0)
        stream = io.TextIOWrapper(raw, encoding=encoding, errors="vigie-cp1252-fallback", newline="")
    except BaseException:
        raw.close()
        raise
    try:
        csv.field_size_limit(max(csv.field_size_limit(), limits.max_file_bytes))
        delimiter = _pick_delimiter(text_sample)
        reader = csv.reader(stream, delimiter=delimiter)
        try:
            header = next((row for row in reader if row), None)
        except csv.Error as exc:  # e.g. a quote opened in the header and never closed, over the field limit
            raise ImportRejected(f"invalid CSV header: {exc}") from exc
        if header is None:
            raise ImportRejected("CSV file is empty")
        columns = [column.strip().lower() for column in header]
        if "text" not in columns:
            found = ", ".join(column.strip() for column in header)
            if len(found) > 200:  # an unclosed quote makes the whole file one "column"
                found = found[:200] + "…"
            raise ImportRejected(f"CSV has no 'text' column (columns found: {found})")
    except BaseException:
        stream.close()
        raise
    return stream, reader, columns


def _pick_delimiter(sample: str) -> str:
    lines = sample.splitlines(keepends=True)
    head = "".join(lines[:-1]) if len(lines) > 1 else sample  # last line may be cut
    try:
        sniffed = csv.Sniffer().sniff(head, delimiters=",;\t").delimiter
    except csv.Error:
        sniffed = ","
    # The header must name a 'text' column: trust the delimiter that shows one.
    first_line = next(iter(lines), "")
    for delimiter in dict.fromkeys((sniffed, ",", ";", "\t")):
        header = next(csv.reader([first_line], delimiter=delimiter), [])
        if "text" in (column.strip().lower() for column in header):
            return delimiter
    return sniffed


def _iter_csv(path: Path, limits: Limits) -> Iterator[RawRecord | RecordError]:
    stream, reader, columns = _open_csv(path, limits)
    with stream:
        while True:
            # line_num counts physical lines read so far, so a quoted field
            # spanning several lines still points at the line the row starts on.
            location = f"line {reader.line_num + 1}"
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RecordError(location, f"invalid CSV: {exc}")
                continue
            if not any(cell.strip() for cell in row):
                continue
            if any(cell.strip() for cell in row[len(columns) :]):
                yield RecordError(location, f"row has {len(row)} fields but the header has {len(columns)}")
                continue
            yield _make_record(dict(zip(columns, row, strict=False)), location, limits)


# --- ZIP archives and folders ------------------------------------------------

_SEPARATORS = re.compile(r"[\\/]")


def _escapes(name: str) -> bool:
    """Would this path land outside the archive if someone extracted it?"""
    absolute = name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name) is not None
    return absolute or ".." in _SEPARATORS.split(name)


def _ignored(name: str) -> bool:
    """Folders, OS litter (__MACOSX/, .DS_Store, Thumbs.db) and hidden files."""
    parts = [part for part in _SEPARATORS.split(name) if part not in ("", ".")]
    return (
        not parts
        or name.endswith(("/", "\\"))
        or parts[0] in _IGNORED_NAMES
        or parts[-1] in _IGNORED_NAMES
        or any(part.startswith(".") for part in parts)
    )


def _file_problem(name: str, size: int, limits: Limits) -> str | None:
    """Why this archive entry or folder file will not be read, judged from name and size."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".zip":
        return "nested archives are not supported"
    if suffix in (".csv", ".jsonl", ".ndjson"):
        return f"{suffix} files inside an archive or folder are not supported; import them on their own"
    try:
        supported_extension(name)
        check_size(name, size, limits)
    except ImportRejected as exc:
        return str(exc)
    return None


def _parse_file(name: str, data: bytes, location: str, limits: Limits) -> RawRecord | RecordError:
    try:
        doc = read_document(name, data, limits=limits)
    except ImportRejected as exc:
        return RecordError(location, str(exc))
    return RawRecord(text=doc.text, title=doc.title, published_at=doc.published, location=location, filename=name)


def _open_zip(path: Path, limits: Limits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, UnicodeDecodeError) as exc:  # a file name flagged UTF-8 that is not
        raise ImportRejected("not a valid ZIP archive") from exc
    except NotImplementedError as exc:  # « zip file version 8.4 » needed to extract: damaged, or beyond zipfile
        raise ImportRejected(f"unsupported ZIP archive ({exc})") from exc
    try:
        check_zip_central_directory(archive.infolist(), limits)
    except BaseException:
        archive.close()
        raise
    return archive


def _iter_zip(path: Path, limits: Limits) -> Iterator[RawRecord | RecordError]:
    budget = limits.max_zip_total_bytes
    with _open_zip(path, limits) as archive:
        for info in archive.infolist():
            name = info.filename
            if _escapes(name):
                yield RecordError(f"entry {name}", "path escapes the archive; entry skipped")
                continue
            if info.is_dir() or _ignored(name):
                continue
            location = f"file {name}"
            problem = _file_problem(name, info.file_size, limits)
            ratio = info.file_size / max(info.compress_size, 1)
            if problem is None and ratio > limits.max_zip_ratio:
                problem = f"compressed {ratio:.0f} to 1, suspicious (zip bomb?); entry skipped"
            if problem:
                yield RecordError(location, problem)
                continue
            # Never trust the declared size: read one byte more than it allows.
            try:
                with archive.open(info) as entry:
                    data = entry.read(min(info.file_size, limits.max_file_bytes) + 1)
            except (
                zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, OSError, EOFError,
                UnicodeDecodeError,  # the entry's own header has a file name flagged UTF-8 that is not
            ) as exc:  # fmt: skip
                # zipfile quotes the damaged header's bytes: up to 64 KB of them for a long name.
                detail = str(exc) if len(str(exc)) <= 200 else str(exc)[:200] + "…"
                yield RecordError(location, f"cannot read this entry ({detail})")
                continue
            if len(data) > info.file_size:
                yield RecordError(location, "entry is larger than its header says; entry skipped")
                continue
            budget -= len(data)
            if budget < 0:
                raise ImportRejected(f"archive expands to more than {human_size(limits.max_zip_total_bytes)}")
            yield _parse_file(name, data, location, limits)


def _walk(root: Path) -> Iterator[tuple[Path, list[str], list[str]]]:
    """os.walk in sorted order, pruning hidden folders; symlinks are never followed."""
    for current, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not _ignored(d))
        yield Path(current), dirnames, sorted(filenames)


def _iter_dir(root: Path, limits: Limits) -> Iterator[RawRecord | RecordError]:
    for current, dirnames, filenames in _walk(root):
        for dirname in list(dirnames):
            if (current / dirname).is_symlink():
                dirnames.remove(dirname)
                location = f"folder {(current / dirname).relative_to(root).as_posix()}"
                yield RecordError(location, "symbolic links are not followed; skipped")
        for filename in filenames:
            full = current / filename
            name = full.relative_to(root).as_posix()
            location = f"file {name}"
            if _ignored(name):
                continue
            try:
                info = full.lstat()
                if stat.S_ISLNK(info.st_mode):
                    yield RecordError(location, "symbolic links are not followed; skipped")
                    continue
                if not stat.S_ISREG(info.st_mode):  # fifos and sockets would block a read
                    yield RecordError(location, "not a regular file (a pipe, socket or device); skipped")
                    continue
                problem = _file_problem(name, info.st_size, limits)
                if problem:
                    yield RecordError(location, problem)
                    continue
                with full.open("rb") as f:
                    data = f.read(limits.max_file_bytes + 1)  # the file may have grown
            except OSError as exc:
                yield RecordError(location, f"cannot read this file ({exc.strerror or exc})")
                continue
            yield _parse_file(name, data, location, limits)

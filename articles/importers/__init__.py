"""Reading articles from uploaded files and bulk imports (no Django here)."""

from .readers import (
    SUPPORTED_EXTENSIONS,
    ImportRejected,
    Limits,
    ParsedDocument,
    check_size,
    decode_text,
    read_document,
)
from .records import (
    FIELDS,
    FORMATS,
    RawRecord,
    RecordError,
    count_records,
    detect_format,
    iter_records,
)

__all__ = [
    "FIELDS",
    "FORMATS",
    "SUPPORTED_EXTENSIONS",
    "ImportRejected",
    "Limits",
    "ParsedDocument",
    "RawRecord",
    "RecordError",
    "check_size",
    "count_records",
    "decode_text",
    "detect_format",
    "iter_records",
    "read_document",
]

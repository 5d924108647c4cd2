"""Publication dates given by users or import rows (pure Python, no Django).

A publication date has a precision: « 2021 » is a year, « 2021-11 » a month,
« 2021-11-08 » or a full timestamp a day. The stored value is the first
instant of the period.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
# Beyond these a date is a typo or a placeholder (« 0001-01-01 », a null date some exports
# write), and at the ends of the calendar it cannot even be stored: converting year 1 or
# 9999 to UTC overflows. The same range as the dates cleaning reads in datelines.
_FIRST_YEAR, _LAST_YEAR = 1900, 2100


@dataclass(frozen=True)
class Published:
    at: dt.datetime  # naive when the input had no offset; the caller makes it aware
    precision: str  # "day" | "month" | "year"


def parse_published(value: str | dt.date | dt.datetime | None) -> Published | None:
    """Parse a publication date; raise ValueError with a readable message on garbage."""
    published = _parse(value)
    if published is not None and not _FIRST_YEAR <= published.at.year <= _LAST_YEAR:
        raise ValueError(
            f"implausible publication date {str(value).strip()[:40]!r}"
            f" (the year must be between {_FIRST_YEAR} and {_LAST_YEAR})"
        )
    return published


def _parse(value: str | dt.date | dt.datetime | None) -> Published | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return Published(value, "day")
    if isinstance(value, dt.date):
        return Published(dt.datetime.combine(value, dt.time.min), "day")
    text = str(value).strip()
    if not text:
        return None
    try:
        if m := _YEAR.match(text):
            return Published(dt.datetime(int(m[1]), 1, 1), "year")
        if m := _MONTH.match(text):
            return Published(dt.datetime(int(m[1]), int(m[2]), 1), "month")
        if m := _DMY.match(text):  # French order: day/month/year
            return Published(dt.datetime(int(m[3]), int(m[2]), int(m[1])), "day")
        # ISO 8601 date or timestamp, "Z" accepted for UTC.
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
        return Published(parsed, "day")
    except ValueError:
        raise ValueError(
            f"unreadable publication date {text[:40]!r} "
            "(expected e.g. 2021-11-08, 2021-11-08T09:15:00+01:00, 2021-11, 2021)"
        ) from None

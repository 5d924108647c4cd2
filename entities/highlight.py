"""The article text with its suggestions highlighted, built server-side from offsets.

Every piece of the text goes through ``escape``, and every tag through
``format_html``: nothing of the article (which comes from the open web) is ever
marked safe as it is. Spans may overlap (a date inside an organisation's name,
an event trigger inside a mention); the markup stays well formed by closing and
re-opening a span where another one crosses its edge. The rendered text content
is exactly the stored text, so the browser maps a selection back to offsets by
counting characters (labels are drawn with CSS, not written into the text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    kind: str  # "mention", "event", "date"
    pk: int
    css: str  # extra classes (label, status)
    title: str  # tooltip: what the span is
    label: str = ""  # drawn after the span by CSS (attr(data-label)), so never part of the text


def _open(span: Highlight, first: bool) -> str:
    anchor = f"{span.kind[0]}-{span.pk}"
    return format_html(
        '<mark class="hl hl-{} {}" data-kind="{}" data-id="{}"{}{} title="{}">',
        span.kind,
        span.css,
        span.kind,
        span.pk,
        format_html(' id="{}"', anchor) if first else "",
        format_html(' data-label="{}"', span.label) if span.label else "",
        span.title,
    )


def highlight(text: str, spans: Sequence[Highlight]) -> SafeString:
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    # Outer spans first where they start together, so that nesting follows containment.
    order = {s: i for i, s in enumerate(sorted(spans, key=lambda s: (s.start, -s.end, s.kind, s.pk)))}
    points = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starts: dict[int, list[Highlight]] = {}
    for s in spans:
        starts.setdefault(s.start, []).append(s)
    active: set[Highlight] = set()
    opened: list[Highlight] = []
    started: set[Highlight] = set()
    out: list[str] = []
    for a, b in zip(points, points[1:], strict=False):
        active = {s for s in active if s.end > a}
        active.update(starts.get(a, ()))
        covering = sorted(active, key=order.__getitem__)
        common = 0
        while common < min(len(opened), len(covering)) and opened[common] == covering[common]:
            common += 1
        out.extend("</mark>" for _ in opened[common:])
        for span in covering[common:]:
            out.append(_open(span, span not in started))
            started.add(span)
        opened = covering
        out.append(escape(text[a:b]))
    out.extend("</mark>" for _ in opened)
    return mark_safe("".join(out))  # every part above is escaped text or format_html output

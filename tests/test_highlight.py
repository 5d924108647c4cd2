"""Highlighted text: escaped, well formed whatever the overlaps, and its text content the stored text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from entities.highlight import Highlight, highlight


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        assert tag == "mark", tag
        self.stack.append(tag)
        self.ids += [v for k, v in attrs if k == "id"]

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag

    def handle_data(self, data):
        self.text.append(data)


def check(text: str, spans: list[Highlight]) -> _Checker:
    checker = _Checker()
    checker.feed(str(highlight(text, spans)))
    checker.close()
    assert checker.stack == []
    assert "".join(checker.text) == text
    return checker


def test_it_escapes_the_text_and_the_attributes():
    text = '<script>alert(1)</script> et "><img src=x onerror=alert(1)>'
    out = str(highlight(text, [Highlight(0, 8, "mention", 1, "hl-PER", '"><b>', "PER")]))
    assert "<script>" not in out and "<img" not in out and "<b>" not in out
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text


def test_crossing_spans_are_split_into_well_formed_pieces_with_one_anchor():
    text = "la Direction générale de la sûreté nationale du Maroc"
    spans = [
        Highlight(3, 44, "mention", 1, "hl-ORG", "ORG"),
        Highlight(28, 53, "mention", 2, "hl-GPE", "GPE"),
        Highlight(3, 12, "event", 3, "", "trigger"),
    ]
    checker = check(text, spans)
    assert sorted(checker.ids) == ["e-3", "m-1", "m-2"]


def test_spans_outside_the_text_are_left_out():
    assert str(highlight("abc", [Highlight(2, 9, "mention", 1, "", "")])) == "abc"


@given(
    st.text(min_size=1, max_size=60),
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=8),
)
def test_any_overlap_gives_well_formed_markup_and_the_exact_text(text, raw):
    spans = [Highlight(a, a + n, "mention", i, "", "") for i, (a, n) in enumerate(raw)]
    check(text, spans)

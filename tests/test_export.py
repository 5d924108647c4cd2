"""export_facts writes the documented format; reextract queues new runs."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from articles import services as article_services
from articles.models import Article
from entities import review, services
from entities.models import Mention, Status
from entities.nlp import PIPELINE_VERSION
from entities.nlp.types import EntitySpan, EventArgument, EventSpan, ExtractionResult

pytestmark = pytest.mark.django_db

TEXT = "Rabat – Le ministre marocain a reçu mardi son homologue Fernando Grande-Marlaska."


def extracted_article(owner):
    article = article_services.article_create_from_paste(actor=owner, text=TEXT, title="Réunion").article
    Article.objects.filter(pk=article.pk).update(status=Article.Status.QUEUED)
    assert article_services.article_claim_for_extraction(article.pk)
    text = article.text
    name = text.index("Fernando")
    trigger = text.index("a reçu")
    result = ExtractionResult(
        pipeline_version="test",
        entities=[EntitySpan(name, name + 24, "Fernando Grande-Marlaska", "PER", 0.9, 0, "Fernando Grande-Marlaska")],
        events=[
            EventSpan(
                "MEETING", trigger, trigger + 6, "a reçu", 0, len(text), (EventArgument("counterpart", 0),),
                None, "2024-03-05", "day", 0.7,
            )
        ],
    )  # fmt: skip
    services.extraction_store(article_id=article.pk, result=result)
    return article


def test_it_exports_one_line_per_article_in_the_documented_shape(owner, tmp_path):
    article = extracted_article(owner)
    out = tmp_path / "facts.jsonl"
    call_command("export_facts", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    facts = json.loads(lines[0])
    assert set(facts) == {"article", "entities", "mentions", "roles", "events", "claims"}
    assert facts["article"]["id"] == article.pk and facts["article"]["status"] == "extracted"
    person, place = facts["entities"]  # « Rabat – »: the dateline's place, without a mention
    entity = person
    (mention,) = facts["mentions"]
    assert (entity["name"], entity["label"]) == ("Fernando Grande-Marlaska", "PER")
    assert (place["name"], place["label"]) == ("Rabat", "GPE")
    assert mention["entity_id"] == entity["id"]
    assert article.text[mention["start"] : mention["end"]] == mention["text"]
    (event,) = facts["events"]
    assert event["type"] == "MEETING" and event["date"] == "2024-03-05" and event["date_precision"] == "day"
    assert event["participants"] == [{"entity_id": entity["id"], "role": "counterpart"}]
    assert article.text[event["trigger"]["start"] : event["trigger"]["end"]] == "a reçu"


def test_it_leaves_rejected_suggestions_out_of_the_export(owner, tmp_path):
    extracted_article(owner)
    mention = Mention.objects.get()
    review.mention_decide(
        actor=owner, article_id=mention.article_id, mention_id=mention.pk, status=Status.REJECTED, version=None
    )
    out = tmp_path / "facts.jsonl"
    call_command("export_facts", str(out))
    facts = json.loads(out.read_text(encoding="utf-8"))
    assert facts["mentions"] == [] and [e["name"] for e in facts["entities"]] == ["Rabat"]


def test_it_reextracts_outdated_articles_only(owner, capsys, django_capture_on_commit_callbacks):
    extracted_article(owner)  # extracted by pipeline "test"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reextract", "--outdated")
    assert "1 articles queued" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reextract", "--outdated")  # now current: nothing to do
    assert "0 articles queued" in capsys.readouterr().out
    assert Article.objects.get().extraction_runs.first().pipeline_version == PIPELINE_VERSION


def store_and_export(article, result, tmp_path) -> dict:
    """Extract ``result`` into the (only) article the way a worker does, then read back its export line."""
    Article.objects.filter(pk=article.pk).update(status=Article.Status.QUEUED)
    assert article_services.article_claim_for_extraction(article.pk)
    services.extraction_store(article_id=article.pk, result=result)
    out = tmp_path / "facts.jsonl"
    call_command("export_facts", str(out))
    return json.loads(out.read_text(encoding="utf-8"))


def test_it_asks_what_to_reextract():
    with pytest.raises(CommandError, match="give article ids"):
        call_command("reextract")


def test_it_exports_the_dateline_place_and_the_agency_as_entities_of_the_article(owner, tmp_path):
    raw = "NOUAKCHOTT (AFP) - Le ministre de la Défense a reçu jeudi son homologue Fernando Grande-Marlaska."
    article = article_services.article_create_from_paste(actor=owner, text=raw, title="Visite").article
    assert article.dateline_place and article.agency and "NOUAKCHOTT" not in article.text
    name = article.text.index("Fernando")
    result = ExtractionResult(
        pipeline_version="test",
        entities=[EntitySpan(name, name + 24, "Fernando Grande-Marlaska", "PER", 0.9, 0, "Fernando Grande-Marlaska")],
    )
    for _ in range(2):  # a re-run sets the header entities again, without duplicates
        Article.objects.filter(pk=article.pk).update(status=Article.Status.QUEUED)
        assert article_services.article_claim_for_extraction(article.pk)
        services.extraction_store(article_id=article.pk, result=result)

    out = tmp_path / "facts.jsonl"
    call_command("export_facts", str(out))
    facts = json.loads(out.read_text(encoding="utf-8"))
    entities = {(e["name"], e["label"]) for e in facts["entities"]}
    assert entities == {
        ("Fernando Grande-Marlaska", "PER"),
        ("Nouakchott", "GPE"),
        ("Agence France-Presse", "ORG"),
    }
    agency = next(e for e in facts["entities"] if e["label"] == "ORG")
    assert "AFP" in agency["aliases"]
    assert len(facts["mentions"]) == 1  # no offsets in the text: no mention


def test_it_exports_the_bodies_and_places_the_headline_and_rubric_name(owner, tmp_path):
    raw = "Maghreb\nAlger et Tunis instituent un comité mixte avec l'appui de l'OTAN\n\nLe comité se réunira en mars."
    article = article_services.article_create_from_paste(actor=owner, text=raw).article
    assert article.rubric == "Maghreb" and "Tunis" not in article.text
    facts = store_and_export(article, ExtractionResult(pipeline_version="test"), tmp_path)
    assert {(e["name"], e["label"]) for e in facts["entities"]} == {
        ("Maghreb", "LOC"),
        ("Alger", "GPE"),
        ("Tunis", "GPE"),
        ("Organisation du traité de l'Atlantique nord", "ORG"),
    }


def test_it_exports_the_outlet_of_a_copyright_line_and_the_places_a_read_also_line_names(owner, tmp_path):
    raw = (
        "Le comité mixte de sécurité a tenu sa première session lundi.\n\n"
        "Lire aussi : Libye : Tripoli et Rome renforcent leur coopération en mer\n\n"
        "© 2024 Abidjan Matin – Tous droits réservés"
    )
    article = article_services.article_create_from_paste(actor=owner, text=raw, title="Comité").article
    assert "Tripoli" not in article.text and "Abidjan Matin" not in article.text
    facts = store_and_export(article, ExtractionResult(pipeline_version="test"), tmp_path)
    assert {(e["name"], e["label"]) for e in facts["entities"]} == {
        ("Libye", "GPE"),
        ("Tripoli", "GPE"),
        ("Rome", "GPE"),
        ("Abidjan Matin", "ORG"),
    }
    assert facts["mentions"] == []


def test_a_headline_name_the_body_gives_in_full_or_as_an_alias_is_the_body_entity(owner, tmp_path):
    raw = (
        "La Guardia Civil et la Gendarmerie royale relancent les patrouilles mixtes\n\n"
        "Des patrouilles de la Garde civile et de la Gendarmerie royale marocaine ont repris dimanche."
    )
    article = article_services.article_create_from_paste(actor=owner, text=raw).article
    assert "Guardia" not in article.text
    text = article.text
    garde, gendarmerie = text.index("Garde civile"), text.index("Gendarmerie royale marocaine")
    result = ExtractionResult(
        pipeline_version="test",
        entities=[
            EntitySpan(garde, garde + 12, "Garde civile", "ORG", 0.9, 0, "Guardia Civil", ("Garde civile",)),
            EntitySpan(gendarmerie, gendarmerie + 28, "Gendarmerie royale marocaine", "ORG", 0.9, 1,
                       "Gendarmerie royale marocaine"),
        ],
    )  # fmt: skip
    facts = store_and_export(article, result, tmp_path)
    assert sorted(e["name"] for e in facts["entities"]) == ["Gendarmerie royale marocaine", "Guardia Civil"]


def test_a_headline_name_and_a_body_name_of_one_gazetteer_entry_are_one_entity(owner, tmp_path):
    raw = (
        "La Guardia Civil relance les patrouilles mixtes dans le détroit\n\n"
        "Des patrouilles de la Garde civile ont repris dimanche dans le détroit de Gibraltar."
    )
    article = article_services.article_create_from_paste(actor=owner, text=raw).article
    garde = article.text.index("Garde civile")
    # the body's name as the model found it, without the gazetteer's canonical name
    result = ExtractionResult(
        pipeline_version="test",
        entities=[EntitySpan(garde, garde + 12, "Garde civile", "ORG", 0.9, 0, "Garde civile")],
    )
    facts = store_and_export(article, result, tmp_path)
    assert [e["name"] for e in facts["entities"]] == ["Garde civile"]


def test_the_persons_of_a_read_also_line_are_entities_and_a_headline_surname_is_the_body_person(owner, tmp_path):
    raw = (
        "MM. Lamrani et Robledo Sanz signent un mémorandum\n\n"
        "Le ministre Abdelouahed Lamrani a reçu mardi son homologue.\n\n"
        "Lire aussi : Le Roi adresse un message de félicitations à Abdellatif Hammouchi"
    )
    article = article_services.article_create_from_paste(actor=owner, text=raw).article
    assert "Hammouchi" not in article.text and "Robledo" not in article.text
    lines = services.header_lines(article.title, article.title_inferred, article.rubric, article.removed_lines)
    assert [field for field, _ in lines] == ["title", "read_also"]
    (_, headline), (_, read_also) = lines
    lamrani = article.text.index("Abdelouahed Lamrani")
    result = ExtractionResult(
        pipeline_version="test",
        entities=[EntitySpan(lamrani, lamrani + 19, "Abdelouahed Lamrani", "PER", 0.9, 0, "Abdelouahed Lamrani")],
        # what the pipeline found in each line, matched by the line, not by its place; a line the
        # article no longer has (its headline edited since the parse) gives nothing
        header_persons=((read_also, (("Abdellatif Hammouchi", "Abdellatif Hammouchi"),)),
                        ("Un ancien titre", (("Ancien Nom", "Ancien Nom"),)),
                        (headline, (("Lamrani", "Lamrani"), ("Robledo Sanz", "Robledo Sanz")))),
    )  # fmt: skip
    facts = store_and_export(article, result, tmp_path)
    persons = sorted(e["name"] for e in facts["entities"] if e["label"] == "PER")
    assert persons == ["Abdellatif Hammouchi", "Abdelouahed Lamrani", "Robledo Sanz"]

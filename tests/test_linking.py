"""Cross-article entity linking: one entity however many articles and spellings, never two people in one."""

from __future__ import annotations

import pytest

from articles import services as article_services
from articles.models import Article, AuditEntry
from entities import merging, services
from entities.linking import BLOCK_CAP
from entities.models import (
    Entity,
    EntityCandidate,
    EntityKey,
    EntityMerge,
    Event,
    EventArgument,
    Judgement,
    Mention,
)
from entities.nlp.matching import Name, compare, entity_keys
from entities.nlp.types import EntitySpan, EventSpan, ExtractionResult
from entities.nlp.types import EventArgument as ArgumentSpan
from tests.factories import claimed_for_extraction

# -- the matching rules, alone ----------------------------------------------------------------


def test_it_matches_transliterations_of_one_arabic_name():
    match = compare(Name("Abdelouahed Khalil", "PER"), Name("Abdel Wahed Khalil", "PER"))
    assert match is not None and match.auto


def test_it_matches_an_initial_with_its_first_name():
    match = compare(Name("A. Laftit", "PER"), Name("Abdelouafi Laftit", "PER"))
    assert match is not None and match.auto


def test_it_never_links_a_surname_alone_without_evidence():
    match = compare(Name("Hassad", "PER"), Name("Mohamed Hassad", "PER"))
    assert match is not None and not match.auto and match.needs_context


def test_it_keeps_two_people_who_share_a_surname_apart():
    assert compare(Name("Ahmed Hassad", "PER"), Name("Mohamed Hassad", "PER")) is None


def test_it_takes_a_filiation_and_a_surname_for_a_surname_alone():
    # « Ould Ahmed » names no one in particular: two ministers share it
    keys = entity_keys("Brahim Ould Ahmed", "PER", ["Ould Ahmed"])
    assert not {k for kind, k in keys if kind in ("alias", "translit") and k in ("ould ahmed", "uld ahmed")}
    match = compare(Name("Ould Ahmed", "PER"), Name("Brahim Ould Ahmed", "PER"))
    assert match is not None and match.needs_context and not match.auto
    assert compare(Name("Brahim Ould Ahmed", "PER"), Name("Mohamed Lemine Ould Ahmed", "PER")) is None


def test_it_links_a_name_given_without_its_second_surname_only_with_evidence():
    match = compare(Name("Ignacio Robledo", "PER"), Name("Ignacio Robledo Sanz", "PER"))
    assert match is not None and match.needs_context and not match.auto
    assert "robledo" in {k for kind, k in entity_keys("Ignacio Robledo Sanz", "PER") if kind == "token"}
    assert compare(Name("Ignacio Robledo", "PER"), Name("Ignacio Sanz", "PER")) is None


def test_it_keeps_a_son_apart_from_the_father_whose_name_he_carries():
    assert compare(Name("Idriss Déby", "PER"), Name("Mahamat Idriss Déby", "PER")) is None
    assert compare(Name("Mahamat Déby", "PER"), Name("Mahamat Idriss Déby", "PER")).auto


def test_it_links_a_typo_in_a_surname_only_with_the_same_first_names():
    assert compare(Name("Fernando Grande-Marlasca", "PER"), Name("Fernando Grande-Marlaska", "PER")).auto
    other = compare(Name("Fernanda Grande-Marlasca", "PER"), Name("Fernando Grande-Marlaska", "PER"))
    assert other is None or not other.auto


def test_it_suggests_but_does_not_link_an_acronym_guessed_from_initials():
    match = compare(Name("CSRT", "ORG"), Name("Conseil de sécurité régional transfrontalier", "ORG"))
    assert match is not None and not match.auto


def test_it_links_organisation_names_written_differently():
    match = compare(Name("Al-Qaïda au Maghreb islamique", "ORG"), Name("Al Qaida au Maghreb Islamique", "ORG"))
    assert match is not None and match.auto


def test_it_never_links_places_or_numbered_bodies_one_character_apart():
    saint = compare(Name("Saint-Marin", "GPE"), Name("Saint-Martin", "GPE"))
    assert saint is None or not saint.auto
    assert (
        compare(Name("France 2", "ORG"), Name("France 3", "ORG")) is None
        or not compare(Name("France 2", "ORG"), Name("France 3", "ORG")).auto
    )


def test_it_keeps_a_wrongly_grouped_relative_out_of_a_persons_keys():
    keys = entity_keys("François Fillon", "PER", ["Penelope Fillon", "F. Fillon"])
    assert ("alias", "penelope fillon") not in keys and ("alias", "f fillon") in keys


def test_it_does_not_compare_across_labels():
    assert compare(Name("Niger", "GPE"), Name("Niger", "LOC")) is None


def test_it_gives_a_person_no_alias_key_for_a_surname_alone():
    keys = entity_keys("Mohamed Hassad", "PER", ["Hassad", "M. Hassad"])
    assert ("alias", "hassad") not in keys
    assert ("token", "hasad") in keys  # the surname is the person's block


def test_it_leaves_generic_words_out_of_an_organisations_blocks():
    keys = entity_keys("Direction générale de la sécurité nationale", "ORG")
    assert {k for kind, k in keys if kind == "token"} == set()


# -- linking at extraction, on the database ---------------------------------------------------------


def _extract(owner, text: str, names: list[tuple[str, str, tuple[str, ...]]], title: str = "") -> Article:
    """Store an article extracted with one group per (surface, label, aliases); the canonical is the surface."""
    article = claimed_for_extraction(owner, text, title=title or "Dépêche de test")
    spans = []
    for group, (surface, label, aliases) in enumerate(names):
        start = text.index(surface)
        spans.append(EntitySpan(start, start + len(surface), surface, label, 0.9, group, surface, aliases))
        for alias in aliases:
            if alias in text[start + len(surface) :]:
                at = text.index(alias, start + len(surface))
                spans.append(EntitySpan(at, at + len(alias), alias, label, 0.9, group, surface, aliases))
    services.extraction_store(
        article_id=article.pk, result=ExtractionResult("test", sorted(spans, key=lambda s: s.start))
    )
    return article


def _entity(article: Article, text: str) -> Entity:
    return Mention.objects.get(article=article, text=text).entity


@pytest.mark.django_db
def test_it_links_one_person_spelled_three_ways_across_articles(owner):
    a = _extract(owner, "Abdelouahed Khalil a reçu son homologue.", [("Abdelouahed Khalil", "PER", ())])
    b = _extract(owner, "Abdelwahed Khalil s'est rendu à Niamey.", [("Abdelwahed Khalil", "PER", ())])
    c = _extract(owner, "Le ministre Abdel Wahed Khalil a condamné l'attaque.", [("Abdel Wahed Khalil", "PER", ())])
    assert _entity(a, "Abdelouahed Khalil") == _entity(b, "Abdelwahed Khalil") == _entity(c, "Abdel Wahed Khalil")
    entity = _entity(a, "Abdelouahed Khalil")
    assert {"Abdelwahed Khalil", "Abdel Wahed Khalil"} <= set(entity.aliases)  # it learns the other spellings


@pytest.mark.django_db
def test_it_links_a_bare_acronym_to_the_body_a_text_defined_it_for(owner):
    a = _extract(
        owner,
        "La Direction générale de la sécurité intérieure (DGSI) a démantelé une cellule.",
        [("Direction générale de la sécurité intérieure", "ORG", ("DGSI",))],
    )
    b = _extract(owner, "La DGSI a interpellé trois suspects.", [("DGSI", "ORG", ())])
    assert _entity(a, "Direction générale de la sécurité intérieure") == _entity(b, "DGSI")


@pytest.mark.django_db
def test_it_links_french_and_english_names_of_one_organisation(owner):
    a = _extract(
        owner,
        "L'Organisation du traité de l'Atlantique nord tient un sommet.",
        [("Organisation du traité de l'Atlantique nord", "ORG", ())],
    )
    b = _extract(owner, "NATO leaders met in Vilnius.", [("NATO", "ORG", ())])
    assert _entity(a, "Organisation du traité de l'Atlantique nord") == _entity(b, "NATO")


@pytest.mark.django_db
def test_it_links_a_surname_alone_when_the_article_names_his_usual_company(owner):
    a = _extract(
        owner,
        "Mohamed Hassad a reçu Fernando Grande-Marlaska à Rabat.",
        [("Mohamed Hassad", "PER", ()), ("Fernando Grande-Marlaska", "PER", ())],
    )
    b = _extract(
        owner,
        "Hassad et Fernando Grande-Marlaska ont signé un accord.",
        [("Hassad", "PER", ()), ("Fernando Grande-Marlaska", "PER", ())],
    )
    assert _entity(b, "Hassad") == _entity(a, "Mohamed Hassad")


@pytest.mark.django_db
def test_it_suggests_rather_than_links_a_surname_alone_without_evidence(owner):
    a = _extract(owner, "Mohamed Hassad a reçu son homologue.", [("Mohamed Hassad", "PER", ())])
    b = _extract(owner, "Hassad a démenti toute rencontre.", [("Hassad", "PER", ())])
    alone, full = _entity(b, "Hassad"), _entity(a, "Mohamed Hassad")
    assert alone != full
    candidate = EntityCandidate.objects.get()
    assert {candidate.left_id, candidate.right_id} == {alone.pk, full.pk}


@pytest.mark.django_db
def test_it_keeps_two_people_who_share_a_surname_apart_across_articles(owner):
    a = _extract(owner, "Mohamed Hassad a reçu son homologue.", [("Mohamed Hassad", "PER", ())])
    b = _extract(owner, "Ahmed Hassad a été nommé ambassadeur.", [("Ahmed Hassad", "PER", ())])
    assert _entity(a, "Mohamed Hassad") != _entity(b, "Ahmed Hassad")
    assert not EntityCandidate.objects.exists()


@pytest.mark.django_db
def test_it_never_suggests_again_a_pair_judged_not_the_same(owner, reviewer):
    a = _extract(owner, "Mohamed Hassad a reçu son homologue.", [("Mohamed Hassad", "PER", ())])
    b = _extract(owner, "Hassad a démenti toute rencontre.", [("Hassad", "PER", ())])
    full, alone = _entity(a, "Mohamed Hassad"), _entity(b, "Hassad")
    merging.entity_judge(actor=reviewer, left_id=full.pk, right_id=alone.pk, verdict="not_same")
    EntityCandidate.objects.all().delete()
    _extract(owner, "Hassad a de nouveau démenti.", [("Hassad", "PER", ())])  # same lone name: same entity again
    assert not EntityCandidate.objects.exists()


@pytest.mark.django_db
def test_it_does_not_read_a_block_grown_too_large(owner):
    a = _extract(owner, "Mohamed Hassad a reçu son homologue.", [("Mohamed Hassad", "PER", ())])
    hassad = _entity(a, "Mohamed Hassad")
    crowd = Entity.objects.bulk_create(
        [Entity(name=f"Prénom{i} Hassad", label="PER", key=f"prenom{i} hassad") for i in range(BLOCK_CAP)]
    )
    EntityKey.objects.bulk_create([EntityKey(entity=e, label="PER", kind="token", key="hasad") for e in crowd])
    b = _extract(owner, "Hassad a démenti.", [("Hassad", "PER", ())])
    assert _entity(b, "Hassad") != hassad
    assert not EntityCandidate.objects.exists()  # the block says nothing any more: no suggestion either


# -- merge, split back, judgements surviving re-extraction ------------------------------------------

TEXT = "Le ministre Mohamed Hassad a reçu Fernando Grande-Marlaska."


def _meeting_article(owner, text: str = TEXT) -> Article:
    article = _extract(owner, text, [("Mohamed Hassad", "PER", ()), ("Fernando Grande-Marlaska", "PER", ())])
    return article


def _rerun(article: Article, text: str, surfaces: list[str]) -> None:
    Article.objects.filter(pk=article.pk).update(status=Article.Status.QUEUED)
    assert article_services.article_claim_for_extraction(article.pk)
    spans = []
    for group, surface in enumerate(surfaces):
        start = text.index(surface)
        spans.append(EntitySpan(start, start + len(surface), surface, "PER", 0.9, group, surface))
    trigger = text.index("a reçu")
    events = [
        EventSpan(
            "MEETING", trigger, trigger + 6, "a reçu", 0, len(text), (ArgumentSpan("actor", 0),), None, "", "", 0.9
        )
    ]
    services.extraction_store(article_id=article.pk, result=ExtractionResult("test", spans, events=events))


@pytest.mark.django_db
def test_it_merges_and_splits_back_exactly(owner, reviewer):
    a = _meeting_article(owner)
    b = _extract(owner, "Mohammed Hassad s'est rendu à Madrid.", [("Mohammed Hassad", "PER", ())])
    _rerun(a, TEXT, ["Mohamed Hassad", "Fernando Grande-Marlaska"])
    survivor, merged = _entity(a, "Mohamed Hassad"), _entity(b, "Mohammed Hassad")
    if survivor == merged:  # the spelling-blind key already linked them: make two to merge
        merged = Entity.objects.create(name="M. Hassad", label="PER", key="hassad")
        Mention.objects.filter(article=b).update(entity=merged)
    argument = EventArgument.objects.get(event__article=a)
    EventArgument.objects.filter(pk=argument.pk).update(entity=merged)

    merge = merging.entity_merge(actor=reviewer, source_id=merged.pk, target_id=survivor.pk)
    merged.refresh_from_db()
    survivor.refresh_from_db()
    assert merged.merged_into == survivor
    assert _entity(b, "Mohammed Hassad") == survivor
    assert EventArgument.objects.get(pk=argument.pk).entity == survivor
    assert merged.name in survivor.aliases
    assert Judgement.objects.get().verdict == "same"
    assert AuditEntry.objects.filter(action="entity.merge", actor=reviewer).exists()

    merging.entity_unmerge(actor=reviewer, merge_id=merge.pk)
    merged.refresh_from_db()
    survivor.refresh_from_db()
    assert merged.merged_into is None
    assert _entity(b, "Mohammed Hassad") == merged
    assert EventArgument.objects.get(pk=argument.pk).entity == merged
    assert merged.name not in survivor.aliases
    assert Judgement.objects.get().verdict == "not_same"  # split back: never proposed again
    assert EntityMerge.objects.get().undone_by == reviewer
    with pytest.raises(merging.MergeError):
        merging.entity_unmerge(actor=reviewer, merge_id=merge.pk)


@pytest.mark.django_db
def test_it_keeps_a_merge_across_a_re_extraction(owner, reviewer):
    a = _meeting_article(owner)
    b = _extract(owner, "Le ministre Hassad Mohamed s'est rendu à Madrid.", [("Hassad Mohamed", "PER", ())])
    first, second = _entity(a, "Mohamed Hassad"), _entity(b, "Hassad Mohamed")
    assert first != second
    merging.entity_judge(actor=reviewer, left_id=first.pk, right_id=second.pk, verdict="same")
    survivor = Entity.objects.get(merged_into=None, pk__in=(first.pk, second.pk))
    _rerun(b, "Le ministre Hassad Mohamed s'est rendu à Madrid et a reçu.", ["Hassad Mohamed"])
    # The re-run's suggestion of the merged spelling lands on the survivor (the merge moved its keys).
    assert Mention.objects.get(article=b, text="Hassad Mohamed").entity == survivor


@pytest.mark.django_db
def test_it_refuses_merges_that_would_lose_information(owner, reviewer):
    a = _extract(owner, "Niger et Mali.", [("Niger", "GPE", ()), ("Mali", "GPE", ())])
    niger, mali = _entity(a, "Niger"), _entity(a, "Mali")
    person = Entity.objects.create(name="Niger Person", label="PER", key="niger person")
    with pytest.raises(merging.MergeError):
        merging.entity_merge(actor=reviewer, source_id=niger.pk, target_id=person.pk)  # two types
    with pytest.raises(merging.MergeError):
        merging.entity_merge(actor=reviewer, source_id=niger.pk, target_id=niger.pk)
    merging.entity_merge(actor=reviewer, source_id=niger.pk, target_id=mali.pk)
    with pytest.raises(merging.MergeError):  # already merged: a stale page
        merging.entity_merge(actor=reviewer, source_id=niger.pk, target_id=mali.pk)


@pytest.mark.django_db
def test_it_splits_a_chain_of_merges_in_reverse_order_only(owner, reviewer):
    a = _extract(owner, "Niger, Mali et Tchad.", [("Niger", "GPE", ()), ("Mali", "GPE", ()), ("Tchad", "GPE", ())])
    niger, mali, tchad = (_entity(a, n) for n in ("Niger", "Mali", "Tchad"))
    first = merging.entity_merge(actor=reviewer, source_id=niger.pk, target_id=mali.pk)
    second = merging.entity_merge(actor=reviewer, source_id=mali.pk, target_id=tchad.pk)
    niger.refresh_from_db()
    assert niger.merged_into == tchad  # chains are flattened: every row points at the last survivor
    assert _entity(a, "Niger") == tchad
    with pytest.raises(merging.MergeError):
        merging.entity_unmerge(actor=reviewer, merge_id=first.pk)
    merging.entity_unmerge(actor=reviewer, merge_id=second.pk)
    merging.entity_unmerge(actor=reviewer, merge_id=first.pk)
    assert _entity(a, "Niger") == niger and _entity(a, "Mali") == mali and _entity(a, "Tchad") == tchad


@pytest.mark.django_db
def test_it_records_not_same_and_unsure_without_merging(owner, reviewer):
    a = _extract(owner, "Niger et Mali.", [("Niger", "GPE", ()), ("Mali", "GPE", ())])
    niger, mali = _entity(a, "Niger"), _entity(a, "Mali")
    merging.entity_judge(actor=reviewer, left_id=mali.pk, right_id=niger.pk, verdict="unsure")
    judgement = merging.entity_judge(actor=reviewer, left_id=niger.pk, right_id=mali.pk, verdict="not_same")
    assert judgement.verdict == "not_same" and Judgement.objects.count() == 1  # the latest word on a pair
    assert not Entity.objects.filter(merged_into__isnull=False).exists()
    assert AuditEntry.objects.filter(action="entity.judge").count() == 2
    with pytest.raises(merging.MergeError):
        merging.entity_judge(actor=reviewer, left_id=niger.pk, right_id=mali.pk, verdict="maybe")


@pytest.mark.django_db
def test_it_lets_events_of_a_merged_place_follow_it(owner, reviewer):
    a = _extract(owner, "Réunion à Rabat, capitale.", [("Rabat", "GPE", ())])
    rabat = _entity(a, "Rabat")
    other = Entity.objects.create(name="Rabat-Salé", label="GPE", key="rabat sale")
    event = Event.objects.create(
        article=a, type="MEETING", trigger_start=0, trigger_end=7, trigger_text="Réunion", location=other
    )
    merging.entity_merge(actor=reviewer, source_id=other.pk, target_id=rabat.pk)
    assert Event.objects.get(pk=event.pk).location == rabat


@pytest.mark.django_db
def test_it_links_new_names_spelled_two_ways_within_one_import_batch(owner):
    texts = ["Abdelouahed Khalil a reçu son homologue.", "Abdelwahed Khalil s'est rendu à Niamey."]
    items, articles = [], []
    for text in texts:
        article = claimed_for_extraction(owner, text, title="Dépêche")
        surface = text.split(" ")[0] + " Khalil"
        span = EntitySpan(0, len(surface), surface, "PER", 0.9, 0, surface)
        items.append(services.ExtractionToStore(article.pk, ExtractionResult("test", [span])))
        articles.append((article, surface))
    services.extraction_store_many(items=items)
    entities = {_entity(article, surface) for article, surface in articles}
    assert len(entities) == 1
    [entity] = entities
    assert {"Abdelouahed Khalil", "Abdelwahed Khalil"} == {entity.name, *entity.aliases}


@pytest.mark.django_db
def test_it_shows_the_linking_tables_in_the_admin_read_only(admin_client, owner):
    _extract(owner, "Niger et Mali.", [("Niger", "GPE", ()), ("Mali", "GPE", ())])
    for model in ("entity", "entitycandidate", "judgement", "entitymerge", "eventcluster", "claim"):
        assert admin_client.get(f"/admin/entities/{model}/").status_code == 200
    entity = Entity.objects.first()
    response = admin_client.post(f"/admin/entities/entity/{entity.pk}/change/", {"name": "x", "label": "PER"})
    assert response.status_code == 403 and Entity.objects.get(pk=entity.pk).name == entity.name


@pytest.mark.django_db
def test_it_links_a_shortened_name_beside_the_same_people_within_one_batch(owner):
    texts = [
        ("Ignacio Robledo Sanz a reçu Abdelouahed Lamrani à Madrid.", "Ignacio Robledo Sanz"),
        ("Abdelouahed Lamrani a rencontré Ignacio Robledo hier.", "Ignacio Robledo"),
    ]
    items, articles = [], []
    for text, name in texts:
        article = claimed_for_extraction(owner, text, title="Dépêche")
        names = [(name, "PER"), ("Abdelouahed Lamrani", "PER")]
        spans = [
            EntitySpan(text.index(n), text.index(n) + len(n), n, label, 0.9, g, n) for g, (n, label) in enumerate(names)
        ]
        items.append(services.ExtractionToStore(article.pk, ExtractionResult("test", spans)))
        articles.append((article, name))
    services.extraction_store_many(items=items)
    full, short = (Mention.objects.get(article=a, text=n).entity for a, n in articles)
    assert full == short  # beside Lamrani in both articles


@pytest.mark.django_db
def test_it_only_suggests_a_shortened_name_without_evidence(owner):
    a = _extract(owner, "Mohamed Ahmed Ould Lemine a reçu son homologue.", [("Mohamed Ahmed Ould Lemine", "PER", ())])
    b = _extract(owner, "Mohamed Ahmed a ouvert la séance.", [("Mohamed Ahmed", "PER", ())])
    assert _entity(a, "Mohamed Ahmed Ould Lemine") != _entity(b, "Mohamed Ahmed")
    assert EntityCandidate.objects.filter(reason="nom abrégé").count() == 1

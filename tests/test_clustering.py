"""Event clusters: one real-world event reported by several articles is one cluster, and analysts' word on it stays."""

from __future__ import annotations

import pytest

from articles import services as article_services
from articles.models import Article, AuditEntry
from entities import clustering, services
from entities.clustering import Report, date_agreement, score
from entities.models import Event, EventCluster, Judgement
from entities.nlp.types import EntitySpan, EventArgument, EventSpan, ExtractionResult
from entities.selectors import article_facts, articles_for_export
from tests.factories import claimed_for_extraction

# -- the score, alone --------------------------------------------------------------------------------


def test_it_agrees_on_a_day_whichever_way_each_article_wrote_it():
    # « mardi » in an article of Thursday 14 March 2024 and « le 12 mars » in another both resolve to this day
    assert date_agreement("2024-03-12", "2024-03-12") == 1.0
    assert 0 < date_agreement("2024-03", "2024-03-12") < 1.0  # a coarser date containing the other
    assert date_agreement("2024-03-13", "2024-03-12") > date_agreement("2024-03-15", "2024-03-12") > 0
    assert date_agreement("2024-04-12", "2024-03-12") == 0.0
    assert date_agreement("2023", "2024-03-12") == 0.0


def _group(type_="MEETING", date="2024-03-12", participants=(1, 2), locations=(9,)):
    group = clustering._Group(1, type_, date, "day", None)
    group.participants, group.locations = set(participants), set(locations)
    return group


def test_it_scores_shared_participants_date_and_place():
    same = Report(10, 100, "MEETING", "2024-03-12", 9, frozenset({1, 2}))
    assert score(same, _group()) >= clustering.AUTO
    elsewhere = Report(10, 100, "MEETING", "2024-03-12", 8, frozenset({1, 2}))
    assert score(elsewhere, _group()) < score(same, _group())
    strangers = Report(10, 100, "MEETING", "2024-03-12", None, frozenset({3, 4}))
    assert score(strangers, _group()) == 0.0
    other_kind = Report(10, 100, "ATTACK", "2024-03-12", 9, frozenset({1, 2}))
    assert score(other_kind, _group()) == 0.0
    visit = Report(10, 100, "VISIT", "2024-03-12", 9, frozenset({1, 2}))
    assert score(visit, _group()) >= clustering.SUGGEST  # a visit and the talks held during it


# -- at extraction -------------------------------------------------------------------------------------

TEXT = "{who} a reçu {whom} à {where} pour une réunion sur la sécurité des frontières et la lutte antiterroriste."


def _report(owner, *, who="Mohamed Hassad", whom="Fernando Grande-Marlaska", where="Rabat", date="2024-03-12",
            type_="MEETING", trigger="a reçu", extra: str = "", outlet: str = "") -> Article:  # fmt: skip
    text = TEXT.format(who=who, whom=whom, where=where) + extra + (f" Selon {outlet}." if outlet else "")
    article = claimed_for_extraction(owner, text, title="Dépêche")
    spans = []
    for group, (surface, label) in enumerate(((who, "PER"), (whom, "PER"), (where, "GPE"))):
        start = text.index(surface)
        spans.append(EntitySpan(start, start + len(surface), surface, label, 0.9, group, surface))
    at = text.index(trigger)
    arguments = (EventArgument("actor", 0), EventArgument("counterpart", 1), EventArgument("location", 2))
    events = [EventSpan(type_, at, at + len(trigger), trigger, 0, len(text), arguments, None, date, "day", 0.9)]
    if extra:
        at = text.index("a revu")
        events.append(EventSpan(type_, at, at + 6, "a revu", 0, len(text), arguments[:2], None, date, "day", 0.8))
    services.extraction_store(article_id=article.pk, result=ExtractionResult("test", spans, events=events))
    return article


def _event(article: Article) -> Event:
    return Event.objects.filter(article=article).order_by("trigger_start").first()


@pytest.mark.django_db
def test_it_puts_two_reports_of_one_meeting_in_one_cluster(owner):
    a = _report(owner)
    b = _report(owner, who="Mohamed Hasad")  # another outlet's spelling, linked to the same person
    assert _event(a).cluster_id is not None
    assert _event(a).cluster_id == _event(b).cluster_id
    assert _event(b).cluster_score >= clustering.AUTO
    # The export says so: the same cluster_id in both articles' lines.
    facts = [article_facts(x) for x in articles_for_export(Article.objects.filter(pk__in=(a.pk, b.pk)))]
    assert facts[0]["events"][0]["cluster_id"] == facts[1]["events"][0]["cluster_id"]


@pytest.mark.django_db
def test_it_keeps_meetings_of_other_days_or_other_people_apart(owner):
    a = _report(owner)
    later = _report(owner, date="2024-05-02", where="Madrid")
    strangers = _report(owner, who="Awa Diop", whom="Jean Dupont", where="Dakar")
    clusters = {_event(x).cluster_id for x in (a, later, strangers)}
    assert len(clusters) == 3


@pytest.mark.django_db
def test_it_joins_a_visit_and_the_meeting_held_during_it(owner):
    a = _report(owner)
    b = _report(owner, type_="VISIT", trigger="réunion", outlet="Le Matin")
    assert _event(a).cluster_id == _event(b).cluster_id


@pytest.mark.django_db
def test_it_keeps_two_meetings_told_by_one_article_apart(owner):
    article = _report(owner, extra=" Il a revu son homologue le soir.")
    first, second = Event.objects.filter(article=article).order_by("trigger_start")
    assert first.cluster_id != second.cluster_id


@pytest.mark.django_db
def test_it_clusters_reports_of_one_import_batch_together(owner):
    articles = []
    for who in ("Mohamed Hassad", "Mohammed Hassad"):
        text = TEXT.format(who=who, whom="Fernando Grande-Marlaska", where="Rabat")
        article = claimed_for_extraction(owner, text, title="Dépêche")
        articles.append((article, text))
    items = []
    for article, text in articles:
        spans = [
            EntitySpan(text.index(s), text.index(s) + len(s), s, label, 0.9, g, s)
            for g, (s, label) in enumerate(((text.split(" a reçu")[0], "PER"), ("Fernando Grande-Marlaska", "PER")))
        ]
        at = text.index("a reçu")
        event = EventSpan(
            "MEETING", at, at + 6, "a reçu", 0, len(text),
            (EventArgument("actor", 0), EventArgument("counterpart", 1)), None, "2024-03-12", "day", 0.9,
        )  # fmt: skip
        items.append(services.ExtractionToStore(article.pk, ExtractionResult("test", spans, events=[event])))
    services.extraction_store_many(items=items)
    assert len({_event(article).cluster_id for article, _ in articles}) == 1


# -- analysts' decisions ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_detaches_a_report_and_keeps_it_apart_across_a_re_extraction(owner):
    a = _report(owner)
    b = _report(owner, who="Mohamed Hasad")
    cluster = _event(a).cluster
    new = clustering.cluster_detach(actor=owner, event_id=_event(b).pk)
    assert _event(b).cluster == new and _event(a).cluster == cluster
    assert Judgement.objects.get(left_cluster=cluster, right_cluster=new).verdict == "not_same"
    assert AuditEntry.objects.filter(action="cluster.detach", actor=owner, article=b).exists()
    # The same event suggested again by a new run goes back where the analyst put it.
    text = b.text
    spans = [
        EntitySpan(text.index(s), text.index(s) + len(s), s, "PER", 0.9, g, s)
        for g, s in enumerate(("Mohamed Hasad", "Fernando Grande-Marlaska"))
    ]
    at = text.index("a reçu")
    event = EventSpan(
        "MEETING", at, at + 6, "a reçu", 0, len(text),
        (EventArgument("actor", 0), EventArgument("counterpart", 1)), None, "2024-03-12", "day", 0.9,
    )  # fmt: skip
    Article.objects.filter(pk=b.pk).update(status=Article.Status.QUEUED)
    assert article_services.article_claim_for_extraction(b.pk)
    services.extraction_store(article_id=b.pk, result=ExtractionResult("test", spans, events=[event]))
    assert _event(b).cluster == new


@pytest.mark.django_db
def test_it_merges_confirms_and_attaches_clusters(owner):
    a = _report(owner)
    b = _report(owner, date="2024-05-02", outlet="Le Matin")
    assert _event(a).cluster_id != _event(b).cluster_id
    source, target = _event(b).cluster, _event(a).cluster
    clustering.cluster_merge(actor=owner, source_id=source.pk, target_id=target.pk)
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.merged_into == target and target.status == EventCluster.Status.CONFIRMED
    assert _event(b).cluster == target and _event(b).cluster_score == 1.0
    with pytest.raises(clustering.ClusterError):
        clustering.cluster_merge(actor=owner, source_id=source.pk, target_id=target.pk)
    c = _report(owner, who="Awa Diop", whom="Jean Dupont", where="Dakar")
    clustering.cluster_attach(actor=owner, event_id=_event(c).pk, cluster_id=target.pk)
    assert _event(c).cluster == target
    clustering.cluster_confirm(actor=owner, cluster_id=target.pk)
    assert set(Event.objects.filter(cluster=target).values_list("cluster_score", flat=True)) == {1.0}


@pytest.mark.django_db
def test_it_refuses_to_detach_a_report_alone_in_its_cluster(owner):
    a = _report(owner)
    with pytest.raises(clustering.ClusterError):
        clustering.cluster_detach(actor=owner, event_id=_event(a).pk)


@pytest.mark.django_db
def test_it_tells_a_detach_in_the_articles_history(client_owner, owner):
    _report(owner)
    b = _report(owner, who="Mohamed Hasad")
    clustering.cluster_detach(actor=owner, event_id=_event(b).pk)
    page = client_owner.get(f"/articles/{b.pk}/history/").content.decode()
    assert "a détaché l&#x27;événement de son groupe" in page or "a détaché l'événement de son groupe" in page


@pytest.mark.django_db
def test_it_lets_a_meeting_join_the_meeting_before_a_visit_of_the_same_day_takes_its_place(owner):
    first = _report(owner)  # the meeting, reported first
    text = TEXT.format(who="Mohamed Hassad", whom="Fernando Grande-Marlaska", where="Rabat") + " Une visite de travail."
    article = claimed_for_extraction(owner, text, title="Autre")
    spans = [
        EntitySpan(text.index(s), text.index(s) + len(s), s, label, 0.9, g, s)
        for g, (s, label) in enumerate(
            (("Mohamed Hassad", "PER"), ("Fernando Grande-Marlaska", "PER"), ("Rabat", "GPE"))
        )
    ]
    arguments = (EventArgument("actor", 0), EventArgument("counterpart", 1), EventArgument("location", 2))
    visit, meeting = text.index("visite"), text.index("a reçu")
    # the second outlet tells the visit before the meeting in its list of events
    events = [
        EventSpan("VISIT", visit, visit + 6, "visite", 0, len(text), arguments, None, "2024-03-12", "day", 0.9),
        EventSpan("MEETING", meeting, meeting + 6, "a reçu", 0, len(text), arguments, None, "2024-03-12", "day", 0.9),
    ]
    services.extraction_store(article_id=article.pk, result=ExtractionResult("test", spans, events=events))
    second_meeting = Event.objects.get(article=article, type="MEETING")
    second_visit = Event.objects.get(article=article, type="VISIT")
    assert second_meeting.cluster_id == _event(first).cluster_id
    assert second_visit.cluster_id != _event(first).cluster_id


@pytest.mark.django_db
def test_it_prefers_the_same_kind_within_one_import_batch_too(owner):
    items, articles = [], []
    for index, kinds in enumerate((("MEETING",), ("VISIT", "MEETING"))):
        text = (
            TEXT.format(who="Mohamed Hassad", whom="Fernando Grande-Marlaska", where="Rabat") + f" Visite n° {index}."
        )
        article = claimed_for_extraction(owner, text, title="Dépêche")
        spans = [
            EntitySpan(text.index(s), text.index(s) + len(s), s, "PER", 0.9, g, s)
            for g, s in enumerate(("Mohamed Hassad", "Fernando Grande-Marlaska"))
        ]
        arguments = (EventArgument("actor", 0), EventArgument("counterpart", 1))
        triggers = {"MEETING": "a reçu", "VISIT": "Visite"}
        events = [
            EventSpan(k, text.index(triggers[k]), text.index(triggers[k]) + len(triggers[k]), triggers[k], 0,
                      len(text), arguments, None, "2024-03-12", "day", 0.9)
            for k in kinds
        ]  # fmt: skip
        items.append(services.ExtractionToStore(article.pk, ExtractionResult("test", spans, events=events)))
        articles.append(article)
    services.extraction_store_many(items=items)
    meetings = Event.objects.filter(article__in=articles, type="MEETING")
    assert len({e.cluster_id for e in meetings}) == 1
    visit = Event.objects.get(type="VISIT")
    assert visit.cluster_id not in {e.cluster_id for e in meetings}

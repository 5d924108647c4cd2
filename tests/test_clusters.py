"""Event clusters over HTTP: the event page (reports side by side, conflicts, merge candidates), the
cluster list and its filters, related articles on the article page, and the cluster actions'
permissions, CSRF, escaping and query counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, AuditEntry
from entities import cluster_selectors
from entities.models import Entity, Event, EventArgument, EventCluster, Judgement, Mention
from tests.factories import extracted

pytestmark = pytest.mark.django_db

HASSAD = ("Mohamed Hassad", "PER", 0)
RABAT = ("Rabat", "GPE", 0)
MARLASKA = ("Fernando Grande-Marlaska", "PER", 0)
MEETING = "Le ministre Mohamed Hassad a reçu mardi à Rabat son homologue Fernando Grande-Marlaska."
# Distinct second paragraphs, so that no two articles are duplicates or republications of each other.
FILLERS = [
    "La rencontre portait sur la lutte contre les réseaux de passeurs en Méditerranée occidentale.",
    "Les discussions ont aussi abordé la sécurité des grands événements sportifs prévus cet été.",
    "Un communiqué commun évoque un échange accru de renseignements entre les deux services.",
    "Les délégations se retrouveront à l'automne pour dresser un premier bilan des patrouilles.",
    "Des experts des deux pays doivent préparer un plan d'action contre la radicalisation en ligne.",
    "La question des mineurs non accompagnés a occupé une large part de la séance de travail.",
    "Les ministres ont signé une déclaration sur la protection civile et les feux de forêt.",
]


@pytest.fixture(autouse=True)
def _no_automatic_clustering(settings):
    # Each test builds the clusters it needs; the extraction's own clustering would add others.
    settings.VIGIE_EVENT_CLUSTERING = False


def report(owner, n: int, *, entities=(HASSAD, RABAT, MARLASKA), source: str | None = None, **fields) -> Event:
    """An extracted article (the n-th) with its MEETING event, the event's fields changed as given."""
    article = extracted(
        owner, text=f"{MEETING}\n\n{FILLERS[n]}", title=f"Article {n}", entities=list(entities), source=source
    )
    event = Event.objects.get(article=article)
    if fields:
        Event.objects.filter(pk=event.pk).update(**fields)
        event.refresh_from_db()
    return event


def cluster_of(*events: Event, score: float = 0.9, **fields) -> EventCluster:
    first = events[0]
    values = {
        "type": first.type,
        "date_value": first.date_value,
        "date_precision": first.date_precision,
        "location_id": first.location_id,
        **fields,
    }
    cluster = EventCluster.objects.create(**values)
    Event.objects.filter(pk__in=[e.pk for e in events]).update(cluster=cluster, cluster_score=score)
    return cluster


def page(client, cluster: EventCluster):
    response = client.get(reverse("clusters:detail", args=[cluster.pk]))
    assert response.status_code == 200
    return response


def conflict_kinds(response) -> set[str]:
    return {c.kind for c in response.context["conflicts"]}


# ---------------------------------------------------------------------------
# The event page


def test_it_shows_every_report_side_by_side(client_owner, owner):
    first = report(owner, 0, source="Le Matin")
    second = report(owner, 1, source="El País")
    cluster = cluster_of(first, second)
    Event.objects.filter(pk=second.pk).update(cluster_score=0.55)
    html = page(client_owner, cluster).content.decode()
    for event, title, source in ((first, "Article 0", "Le Matin"), (second, "Article 1", "El País")):
        assert f'href="/articles/{event.article_id}/">{title}</a>' in html
        assert source in html
        assert reverse("clusters:detach", args=[cluster.pk, event.pk]) in html
    # The trigger inside its sentence, cut from the article's text.
    sentence = '<p class="sentence">Le ministre Mohamed Hassad <strong>a reçu</strong> mardi à Rabat son homologue'
    assert html.count(sentence) == 2
    assert html.count("5 mars 2024") >= 2 and html.count("réunion") >= 2
    hassad, marlaska, rabat = (
        Entity.objects.get(name=n).pk for n in ("Mohamed Hassad", "Fernando Grande-Marlaska", "Rabat")
    )
    assert (
        f'<dt>acteur</dt><dd><a href="/entities/{hassad}/">Mohamed Hassad</a></dd>'
        f'<dt>homologue</dt><dd><a href="/entities/{marlaska}/">Fernando Grande-Marlaska</a></dd>'
    ) in html
    assert html.count(f'<td><a href="/entities/{rabat}/">Rabat</a></td>') == 2
    assert "0,90" in html and "0,55" in html
    assert html.count('<span class="badge sure">sûr</span>') == 1
    assert html.count('<span class="badge warn">à confirmer</span>') == 1
    assert "Aucun conflit" in html
    assert ">Confirmer</button>" in html and "Fusionner avec le groupe" in html


def test_a_lone_report_cannot_be_detached(client_owner, owner):
    html = page(client_owner, cluster_of(report(owner, 0))).content.decode()
    assert ">Détacher</button>" not in html and ">Confirmer</button>" in html


def test_an_outsider_sees_the_page_without_the_buttons(client, outsider, owner):
    cluster = cluster_of(report(owner, 0), report(owner, 1))
    client.force_login(outsider)
    html = page(client, cluster).content.decode()
    assert "Article 0" in html
    assert ">Confirmer</button>" not in html and ">Détacher</button>" not in html and 'name="other"' not in html


@pytest.mark.parametrize(
    ("a", "b", "flagged"),
    [
        (("2024-03-05", "day"), ("2024-03-06", "day"), True),
        (("2024-03", "month"), ("2024-04-02", "day"), True),
        (("2023", "year"), ("2024-03-05", "day"), True),
        (("2024-03", "month"), ("2024-03-12", "day"), False),
        (("2024", "year"), ("2024-03-12", "day"), False),
        (("2024-03-12", "day"), ("2024-03-12", "day"), False),
    ],
)
def test_it_flags_two_different_dates_compared_at_the_coarser_precision(client_owner, owner, a, b, flagged):
    first = report(owner, 0, date_value=a[0], date_precision=a[1])
    second = report(owner, 1, date_value=b[0], date_precision=b[1])
    response = page(client_owner, cluster_of(first, second))
    assert ("date" in conflict_kinds(response)) is flagged
    assert ("Dates différentes" in response.content.decode()) is flagged


def test_a_report_without_a_date_is_no_date_conflict(client_owner, owner):
    first = report(owner, 0)
    second = report(owner, 1, date_value="", date_precision="")
    assert conflict_kinds(page(client_owner, cluster_of(first, second))) == set()


def test_it_flags_two_different_places(client_owner, owner):
    madrid = Entity.objects.create(name="Madrid", label="GPE", key="madrid")
    first = report(owner, 0)
    second = report(owner, 1, location=madrid)
    response = page(client_owner, cluster_of(first, second))
    html = response.content.decode()
    assert conflict_kinds(response) == {"place"}
    assert "Lieux différents" in html
    assert re.search(r"<li>Rabat : rapport 1</li>\s*<li>Madrid : rapport 2</li>", html)


def test_it_lists_a_participant_some_reports_name_and_others_do_not(client_owner, owner):
    first = report(owner, 0)
    second = report(owner, 1, entities=(HASSAD, RABAT))  # no counterpart
    third = report(owner, 2)
    response = page(client_owner, cluster_of(first, second, third))
    html = response.content.decode()
    assert conflict_kinds(response) == {"participants"}
    [conflict] = response.context["conflicts"]
    assert conflict.values == [("Fernando Grande-Marlaska", [1, 3], [2])]
    assert "Fernando Grande-Marlaska : rapports 1, 3 ; absent du rapport 2" in html
    differs = re.findall(r'title="pas cité par tous les rapports"><a href="/entities/\d+/">([^<]+)</a>', html)
    assert differs == ["Fernando Grande-Marlaska", "Fernando Grande-Marlaska"]


def test_it_flags_two_different_types(client_owner, owner):
    first = report(owner, 0)
    second = report(owner, 1, type=Event.Type.VISIT)
    response = page(client_owner, cluster_of(first, second))
    assert conflict_kinds(response) == {"type"}
    assert re.search(r"<li>réunion : rapport 1</li>\s*<li>visite : rapport 2</li>", response.content.decode())


def test_reports_that_agree_flag_nothing(client_owner, owner):
    first = report(owner, 0)
    second = report(owner, 1, date_value="2024-03", date_precision="month")
    response = page(client_owner, cluster_of(first, second))
    assert response.context["conflicts"] == []
    assert 'class="conflict-row"' not in response.content.decode()


def test_a_rejected_report_is_not_shown(client_owner, owner):
    first = report(owner, 0)
    second = report(owner, 1, status="rejected", type=Event.Type.VISIT)
    response = page(client_owner, cluster_of(first, second))
    assert [r.event.pk for r in response.context["reports"]] == [first.pk]
    assert response.context["conflicts"] == []


def test_a_merged_cluster_redirects_to_its_survivor(client_owner, owner):
    survivor = cluster_of(report(owner, 0))
    middle = EventCluster.objects.create(type="MEETING", merged_into=survivor)
    merged = EventCluster.objects.create(type="MEETING", merged_into=middle)
    response = client_owner.get(reverse("clusters:detail", args=[merged.pk]))
    assert response.status_code == 302 and response["Location"] == survivor.get_absolute_url()
    assert client_owner.get(reverse("clusters:detail", args=[99999])).status_code == 404


def test_it_proposes_clusters_to_merge_that_may_be_the_same_event(client_owner, owner):
    here = cluster_of(report(owner, 0))
    near = cluster_of(report(owner, 1, date_value="2024-03-07"))  # two days later, same people
    same_month = cluster_of(report(owner, 2, date_value="2024-03", date_precision="month"))
    too_far = cluster_of(report(owner, 3, date_value="2024-03-09"))
    other_type = cluster_of(report(owner, 4, type=Event.Type.ARREST))
    visit = cluster_of(report(owner, 6, type=Event.Type.VISIT, date_value="2024-03-04"))  # the same meeting
    judged = cluster_of(report(owner, 5))
    Judgement.objects.create(left_cluster=here, right_cluster=judged, verdict=Judgement.Verdict.NOT_SAME)
    # Same day and type, but nothing in common: another event.
    stranger = Entity.objects.create(name="Tunis", label="GPE", key="tunis")
    unrelated = Event.objects.create(
        article=Article.objects.get(title="Article 5"),
        type="MEETING",
        trigger_start=0,
        trigger_end=2,
        trigger_text="Le",
        date_value="2024-03-05",
        date_precision="day",
        location=stranger,
    )
    nothing_shared = cluster_of(unrelated)
    response = page(client_owner, here)
    proposed = [c.cluster.pk for c in response.context["candidates"]]
    assert proposed == [same_month.pk, visit.pk, near.pk]
    for absent in (too_far, other_type, judged, nothing_shared):
        assert absent.pk not in proposed
    html = response.content.decode()
    assert "Fernando Grande-Marlaska, Mohamed Hassad, Rabat" in html
    assert f'<input type="hidden" name="other" value="{near.pk}"><button type="submit">Fusionner ici</button>' in html
    # And from the other side, the judged pair is not proposed either.
    assert here.pk not in [c.cluster.pk for c in page(client_owner, judged).context["candidates"]]


# ---------------------------------------------------------------------------
# The cluster list


@pytest.fixture
def listed(owner):
    """Four clusters: two articles in March (confirmed), one in March, one in May (a visit); plus a
    merged cluster and an empty one, which the list never shows."""
    march = cluster_of(report(owner, 0, source="A"), report(owner, 1, source="B"), status="confirmed")
    single = cluster_of(report(owner, 2, date_value="2024-03-20"), date_value="2024-03-20")
    month = cluster_of(report(owner, 3, date_value="2024-03", date_precision="month"))
    may = cluster_of(report(owner, 4, type="VISIT", date_value="2024-05-02"))
    EventCluster.objects.create(type="MEETING", date_value="2024-03-05", merged_into=march)
    EventCluster.objects.create(type="MEETING", date_value="2024-03-05")
    return {"march": march, "single": single, "month": month, "may": may}


def listed_ids(client, **params) -> list[int]:
    response = client.get(reverse("clusters:list"), params)
    assert response.status_code == 200
    return [c.pk for c in response.context["rows"]]


def test_the_list_shows_standing_clusters_with_their_counts(client_owner, listed):
    response = client_owner.get(reverse("clusters:list"))
    assert {c.pk for c in response.context["rows"]} == {c.pk for c in listed.values()}
    html = response.content.decode()
    row = re.search(rf'<tr>\s*<td><a href="/events/clusters/{listed["march"].pk}/">.*?</tr>', html, re.S).group(0)
    assert "réunion" in row and "5 mars 2024" in row and "Rabat" in row and "confirmé" in row
    assert re.findall(r"<td>(\d+)</td>", row) == ["2", "2", "2"]  # reports, articles, sources
    assert '<a href="/events/clusters/">Événements</a>' in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "VISIT"}, ["may"]),
        ({"status": "confirmed"}, ["march"]),
        ({"multi": "on"}, ["march"]),
        ({"date_after": "2024-03-10", "date_before": "2024-03-31"}, ["single", "month"]),
        ({"date_after": "2024-04-01"}, ["may"]),
        ({"date_before": "2024-03-04"}, ["month"]),
        ({"type": "MEETING", "multi": "on", "status": "auto"}, []),
    ],
)
def test_the_list_filters(client_owner, listed, params, expected):
    assert sorted(listed_ids(client_owner, **params)) == sorted(listed[k].pk for k in expected)


def test_the_list_is_paginated(client_owner, owner, monkeypatch, listed):
    monkeypatch.setattr("entities.cluster_views.PAGE_SIZE", 2)
    first = client_owner.get(reverse("clusters:list"), {"type": "MEETING"})
    assert len(first.context["rows"]) == 2 and "type=MEETING&amp;page=2" in first.content.decode()
    second = client_owner.get(reverse("clusters:list"), {"type": "MEETING", "page": 2})
    assert len(second.context["rows"]) == 1
    assert {c.pk for c in second.context["rows"]}.isdisjoint({c.pk for c in first.context["rows"]})


def test_the_list_and_the_page_query_counts_do_not_grow(client_owner, owner, django_assert_num_queries):
    one = cluster_of(report(owner, 0))
    with CaptureQueriesContext(connection) as single:
        page(client_owner, one)
    with CaptureQueriesContext(connection) as listing:
        client_owner.get(reverse("clusters:list"))
    later = {"date_value": "2024-09-10"}  # far from the first cluster: neither is proposed to the other
    several = cluster_of(
        report(owner, 1, **later), report(owner, 2, **later), report(owner, 3, entities=(HASSAD, RABAT), **later)
    )
    cluster_of(report(owner, 4, date_value="2024-06-01"))
    with django_assert_num_queries(len(single)):
        page(client_owner, several)
    with django_assert_num_queries(len(listing)):
        assert len(client_owner.get(reverse("clusters:list")).context["rows"]) == 3


# ---------------------------------------------------------------------------
# Related articles and republications


def _article(owner, text: str, entities, title: str) -> Article:
    return extracted(owner, text=text, title=title, entities=list(entities), with_event=False)


@pytest.fixture
def related(owner):
    """A reports a meeting; D reports the same meeting (same cluster) naming only Rabat; B names the
    same minister; C only the city; E nothing in common."""
    a = report(owner, 0)
    d = extracted(
        owner,
        text="Rabat a accueilli une réunion : le ministre espagnol a reçu mardi son homologue.",
        title="D",
        entities=[RABAT],
    )
    cluster_of(a, Event.objects.get(article=d))
    b = _article(owner, "Mohamed Hassad a inauguré un commissariat à Oujda.", [HASSAD], "B")
    c = _article(owner, "Un salon de l'artisanat s'est ouvert à Rabat ce week-end.", [RABAT], "C")
    e = _article(owner, "Le Mali a annoncé un nouveau gouvernement à Bamako.", [("Bamako", "GPE", 0)], "E")
    return {"a": a.article, "b": b, "c": c, "d": d, "e": e}


def test_related_articles_rank_events_then_people_then_places(related):
    found = cluster_selectors.related_articles(related["a"])
    assert [r.article.title for r in found] == ["D", "B", "C"]
    d, b, c = found
    assert d.clusters and d.clusters[0]["type"] == "réunion" and d.entities == ["Rabat"]
    assert b.entities == ["Mohamed Hassad"] and not b.clusters
    assert c.entities == ["Rabat"]
    assert d.score > b.score > c.score
    assert [r.article.title for r in cluster_selectors.related_articles(related["a"], limit=2)] == ["D", "B"]


def test_related_articles_ignore_an_entity_named_by_a_large_share_of_articles(related, monkeypatch):
    # Rabat is in A, C and D: three articles of five.
    monkeypatch.setattr(cluster_selectors, "COMMON_MIN_ARTICLES", 5)
    monkeypatch.setattr(cluster_selectors, "COMMON_SHARE", 0.5)
    found = cluster_selectors.related_articles(related["a"])
    assert [r.article.title for r in found] == ["D", "B"]
    assert found[0].entities == []  # shares the event, no longer the city


def test_a_rejected_mention_links_nothing(related):
    Mention.objects.filter(article=related["b"]).update(status="rejected")
    assert "B" not in [r.article.title for r in cluster_selectors.related_articles(related["a"])]


def test_the_article_page_shows_related_articles_with_what_they_share(client_owner, related):
    html = client_owner.get(related["a"].get_absolute_url()).content.decode()
    section = html[html.index('<section class="related"') :]
    assert section.index(">D</a>") < section.index(">B</a>") < section.index(">C</a>")
    assert ">E</a>" not in section
    assert "Entités en commun : Mohamed Hassad" in section
    cluster = Event.objects.get(article=related["a"]).cluster
    assert f'href="/events/clusters/{cluster.pk}/">réunion du 5 mars 2024' in section
    lonely = client_owner.get(related["e"].get_absolute_url()).content.decode()
    assert "Aucun article ne partage" in lonely


def test_related_articles_query_count_does_not_grow(owner, related, django_assert_num_queries):
    with CaptureQueriesContext(connection) as few:
        assert len(cluster_selectors.related_articles(related["b"])) == 1
    for n in range(4):
        _article(
            owner, f"Mohamed Hassad s'est rendu à Rabat pour la {n + 2}e fois cette année.", [HASSAD, RABAT], f"R{n}"
        )
    with django_assert_num_queries(len(few)):
        assert len(cluster_selectors.related_articles(related["b"])) == 5


def test_the_republication_group_shows_and_is_not_repeated_as_related(client_owner, owner, related):
    original = related["b"]
    copies = [
        _article(
            owner,
            f"Mohamed Hassad a inauguré un commissariat à Oujda, rapporte le journal {n}.",
            [HASSAD],
            f"Copie {n}",
        )
        for n in range(2)
    ]
    Article.objects.filter(pk__in=[c.pk for c in copies]).update(near_duplicate_of=original, near_duplicate_score=0.9)
    html = client_owner.get(copies[0].get_absolute_url()).content.decode()
    assert "Quasi-doublon de" in html and "Autres republications du même original" in html
    assert f"#{copies[1].pk} Copie 1" in html
    related_titles = [r.article.title for r in cluster_selectors.related_articles(Article.objects.get(pk=copies[0].pk))]
    assert "Copie 1" not in related_titles and "B" not in related_titles
    assert "Republications" in client_owner.get(original.get_absolute_url()).content.decode()


# ---------------------------------------------------------------------------
# Actions: permissions, CSRF, what they do


@pytest.fixture
def pair(owner):
    first, second = report(owner, 0), report(owner, 1)
    cluster = cluster_of(first, second, score=0.6)
    other = cluster_of(report(owner, 2, date_value="2024-03-06"))
    return {"cluster": cluster, "first": first, "second": second, "other": other}


def actions(pair) -> list[tuple[str, dict]]:
    cluster = pair["cluster"]
    return [
        (reverse("clusters:confirm", args=[cluster.pk]), {}),
        (reverse("clusters:detach", args=[cluster.pk, pair["second"].pk]), {}),
        (reverse("clusters:merge", args=[cluster.pk]), {"other": pair["other"].pk}),
        (reverse("clusters:attach", args=[cluster.pk]), {"event": Event.objects.get(cluster=pair["other"]).pk}),
    ]


def _unchanged(pair) -> bool:
    cluster = EventCluster.objects.get(pk=pair["cluster"].pk)
    return (
        cluster.status == "auto"
        and Event.objects.filter(cluster=cluster).count() == 2
        and not AuditEntry.objects.filter(object_type="cluster").exists()
    )


def test_it_sends_an_anonymous_user_to_the_login_page(client, pair):
    for url, data in actions(pair):
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    assert client.get(reverse("clusters:list"))["Location"].startswith(reverse("login"))
    assert _unchanged(pair)


def test_it_forbids_a_user_who_may_not_review(client, outsider, pair):
    client.force_login(outsider)
    for url, data in actions(pair):
        assert client.post(url, data).status_code == 403, url
    assert _unchanged(pair)


def test_it_refuses_a_get(client_owner, pair):
    for url, _ in actions(pair):
        assert client_owner.get(url).status_code == 405, url
    assert _unchanged(pair)


def test_it_enforces_csrf(owner, pair):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    for url, data in actions(pair):
        assert client.post(url, data).status_code == 403, url
    assert _unchanged(pair)
    # With the page's token, the same POST goes through.
    html = client.get(pair["cluster"].get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(reverse("clusters:confirm", args=[pair["cluster"].pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert EventCluster.objects.get(pk=pair["cluster"].pk).status == "confirmed"


def test_confirm_makes_every_report_sure(client_owner, pair):
    cluster = pair["cluster"]
    response = client_owner.post(reverse("clusters:confirm", args=[cluster.pk]))
    assert response.status_code == 302 and response["Location"] == cluster.get_absolute_url()
    assert set(Event.objects.filter(cluster=cluster).values_list("cluster_score", flat=True)) == {1.0}
    html = client_owner.get(cluster.get_absolute_url(), follow=True).content.decode()
    assert "Groupe confirmé" in html and html.count('<span class="badge sure">sûr</span>') == 2


def test_detach_moves_the_report_to_a_cluster_of_its_own(client_owner, pair):
    cluster, second = pair["cluster"], pair["second"]
    response = client_owner.post(reverse("clusters:detach", args=[cluster.pk, second.pk]), follow=True)
    second.refresh_from_db()
    assert second.cluster_id not in (None, cluster.pk)
    assert f"groupe n° {second.cluster_id}" in response.content.decode()
    assert list(Event.objects.filter(cluster=cluster)) == [pair["first"]]
    # The new cluster and the old one are judged different, so neither proposes the other.
    assert Judgement.objects.filter(verdict="not_same").count() == 1


def test_detach_from_a_stale_page_changes_nothing(client_owner, pair):
    other = pair["other"]
    response = client_owner.post(reverse("clusters:detach", args=[other.pk, pair["second"].pk]), follow=True)
    assert "plus dans ce groupe" in response.content.decode()
    assert Event.objects.get(pk=pair["second"].pk).cluster_id == pair["cluster"].pk


def test_merge_brings_the_other_clusters_reports_here(client_owner, pair):
    cluster, other = pair["cluster"], pair["other"]
    response = client_owner.post(reverse("clusters:merge", args=[cluster.pk]), {"other": other.pk})
    assert response["Location"] == cluster.get_absolute_url()
    assert Event.objects.filter(cluster=cluster).count() == 3
    assert EventCluster.objects.get(pk=other.pk).merged_into_id == cluster.pk
    assert client_owner.get(other.get_absolute_url())["Location"] == cluster.get_absolute_url()


@pytest.mark.parametrize("other", ["", "abc", "self", "99999"])
def test_merge_with_a_wrong_cluster_number_says_why(client_owner, pair, other):
    cluster = pair["cluster"]
    value = str(cluster.pk) if other == "self" else other
    response = client_owner.post(reverse("clusters:merge", args=[cluster.pk]), {"other": value}, follow=True)
    assert response.status_code == 200
    assert 'class="msg msg-error"' in response.content.decode()
    assert Event.objects.filter(cluster=cluster).count() == 2


def test_attach_puts_a_report_into_the_cluster(client_owner, pair):
    cluster = pair["cluster"]
    moved = Event.objects.get(cluster=pair["other"])
    response = client_owner.post(reverse("clusters:attach", args=[cluster.pk]), {"event": moved.pk}, follow=True)
    assert "est rattaché à ce groupe" in response.content.decode()
    assert Event.objects.get(pk=moved.pk).cluster_id == cluster.pk


# ---------------------------------------------------------------------------
# Escaping


def test_it_escapes_what_articles_and_entities_say(client_owner, owner):
    first, second = report(owner, 0), report(owner, 1, entities=(HASSAD, RABAT))
    evil = "<script>alert(1)</script>"
    article = first.article
    text = article.text.replace("a reçu", f"a reçu {evil}", 1)
    Article.objects.filter(pk=article.pk).update(text=text)
    Event.objects.filter(pk=first.pk).update(sentence_end=first.sentence_end + len(evil) + 1)
    Entity.objects.filter(name="Mohamed Hassad").update(name=f"Hassad {evil}")
    EventArgument.objects.filter(event=second, role="actor").delete()  # Hassad is then named by report 1 only
    cluster = cluster_of(first, second)
    html = page(client_owner, cluster).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    related_html = client_owner.get(second.article.get_absolute_url()).content.decode()
    assert "<script>alert" not in related_html


def test_the_page_query_count_does_not_grow_with_candidates(client_owner, owner, django_assert_num_queries):
    here = cluster_of(report(owner, 0))
    cluster_of(report(owner, 1, date_value="2024-03-06"))
    with CaptureQueriesContext(connection) as one:
        assert len(page(client_owner, here).context["candidates"]) == 1
    for n, day in ((2, "2024-03-04"), (3, "2024-03-07"), (4, "2024-03-08")):
        cluster_of(report(owner, n, date_value=day))
    with django_assert_num_queries(len(one)):
        assert len(page(client_owner, here).context["candidates"]) == 4


def test_it_shows_the_cluster_the_extraction_made(client_owner, owner, settings):
    settings.VIGIE_EVENT_CLUSTERING = True
    first, second = report(owner, 0), report(owner, 1, source="El País")
    assert first.cluster_id and first.cluster_id == second.cluster_id
    response = client_owner.get(reverse("clusters:detail", args=[first.cluster_id]))
    assert [r.event.pk for r in response.context["reports"]] == [first.pk, second.pk]
    assert response.context["conflicts"] == []
    assert [c.pk for c in client_owner.get(reverse("clusters:list")).context["rows"]] == [first.cluster_id]
    found = cluster_selectors.related_articles(first.article)
    assert [r.article.pk for r in found] == [second.article_id] and found[0].clusters

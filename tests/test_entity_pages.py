"""Entity pages, their graph, the entity list and the merge queue over HTTP.

Permissions (reading needs a login, writing needs ``entities.merge_entity``), CSRF, escaping and
query counts that do not grow with the number of mentions.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from entities import merging
from entities.entity_selectors import marked_sentence, sentence_bounds
from entities.models import Entity, EntityCandidate, EntityMerge, Judgement, Label, Mention, Role
from tests.factories import TEXT, extracted

pytestmark = pytest.mark.django_db

SECOND = "Mohamed Hassad a reçu mardi à Rabat le secrétaire exécutif de la CEDEAO. La réunion a duré deux heures."


def entity(name: str) -> Entity:
    return Entity.objects.get(name=name, merged_into__isnull=True)


def page_url(e: Entity | int) -> str:
    return reverse("entities:entity", args=[e if isinstance(e, int) else e.pk])


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def role(article: Article, holder_text: str, title: str, *, of_name: str = "", nth: int = 0) -> Role:
    """A role held by the nth mention of ``holder_text`` in the article (as extraction would store it)."""
    holder = Mention.objects.filter(article=article, text=holder_text).order_by("start")[nth]
    return Role.objects.create(
        article=article,
        start=holder.start,
        end=holder.end,
        text=holder.text,
        role=title,
        holder=holder,
        of_name=of_name,
    )


def candidate(a: Entity, b: Entity, score: float, reason: str = "noms proches") -> EntityCandidate:
    left, right = sorted((a.pk, b.pk))
    row, _ = EntityCandidate.objects.update_or_create(
        left_id=left, right_id=right, defaults={"score": score, "reason": reason}
    )
    return row


@pytest.fixture
def hassad_articles(owner):
    """Hassad in 2022 (with Rabat, Marlaska) and in 2024 (with Rabat and the CEDEAO), a meeting in each."""
    first = extracted(owner, published_at="2022-03-01")
    second = extracted(
        owner,
        text=SECOND,
        title="Hassad reçoit la CEDEAO",
        published_at="2024-01-10",
        entities=[("Mohamed Hassad", "PER", 0), ("Rabat", "GPE", 0), ("CEDEAO", "ORG", 0)],
    )
    return first, second


@pytest.fixture
def client_reviewer(client, reviewer):
    client.force_login(reviewer)
    return client


# ---------------------------------------------------------------------------
# The entity page


def test_it_shows_the_entity_its_type_aliases_and_reference(client_owner, hassad_articles):
    hassad = entity("Mohamed Hassad")
    Entity.objects.filter(pk=hassad.pk).update(aliases=["M. Hassad", "Hassad"], external_ref="Q3318537")
    html = html_of(client_owner, page_url(hassad))
    assert "<h1>" in html and "Mohamed Hassad</h1>" in html
    assert "personne" in html
    assert "<li>M. Hassad</li>" in html and "<li>Hassad</li>" in html
    assert 'href="https://www.wikidata.org/wiki/Q3318537"' in html
    assert "3 dans 2 articles" in html


def test_it_needs_a_login_to_read(client, hassad_articles):
    hassad = entity("Mohamed Hassad")
    for url in (
        page_url(hassad),
        reverse("entities:graph", args=[hassad.pk]),
        reverse("entities:list"),
        reverse("entities:merge_queue"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_it_answers_404_for_an_unknown_entity(client_owner):
    assert client_owner.get(page_url(987654)).status_code == 404


def test_it_lists_the_roles_held_over_time_with_their_first_and_last_articles(client_owner, owner, hassad_articles):
    first, second = hassad_articles
    third = extracted(
        owner,
        text="Mohamed Hassad, ministre de l'Intérieur, a présidé la séance.",
        title="Séance",
        published_at="2023-06-15",
        entities=[("Mohamed Hassad", "PER", 0)],
        with_event=False,
    )
    for article in (first, second, third):
        role(article, "Mohamed Hassad", "ministre de l'Intérieur", of_name="Maroc")
    role(first, "Mohamed Hassad", "président du conseil", nth=1)
    html = html_of(client_owner, page_url(entity("Mohamed Hassad")))
    rows = re.findall(r"<tr>\s*<td>« (.*?) »</td>(.*?)</tr>", html, re.S)
    assert [r[0] for r in rows] == ["ministre de l&#x27;Intérieur", "président du conseil"]
    interior = rows[0][1]
    assert "Maroc" in interior
    assert ">2022-03<" in interior and ">2024-01<" in interior
    assert interior.count("<li>") == 3  # its three articles, each once
    assert ">2022-03<" in rows[1][1] and interior.index("Hassad reçoit Marlaska") < interior.index("Séance")


def test_it_groups_every_mention_by_article_with_its_sentence_marked(client_owner, hassad_articles):
    html = html_of(client_owner, page_url(entity("Mohamed Hassad")))
    groups = re.findall(r'<div class="mention-group">(.*?)</div>', html, re.S)
    assert len(groups) == 2
    # Latest publication first; the 2022 article's two mentions are two sentences, each marked.
    assert "Hassad reçoit la CEDEAO" in groups[0] and "1 mention<" in groups[0]
    assert "Hassad reçoit Marlaska" in groups[1] and "2 mentions<" in groups[1]
    sentences = re.findall(r'<p class="sentence">(.*?)</p>', groups[1])
    assert sentences == [
        "Le ministre <mark>Mohamed Hassad</mark> a reçu mardi à Rabat son homologue Fernando Grande-Marlaska.",
        "<mark>Mohamed Hassad</mark> a salué la coopération avec l&#x27;Espagne.",
    ]


def test_it_leaves_rejected_mentions_out(client_owner, hassad_articles):
    first, _ = hassad_articles
    Mention.objects.filter(article=first, text="Mohamed Hassad").update(status="rejected")
    html = html_of(client_owner, page_url(entity("Mohamed Hassad")))
    assert html.count('<div class="mention-group">') == 1 and "1 dans 1 article<" in html


def test_it_cuts_a_long_sentence_around_the_mention_and_escapes_the_text():
    text = "Préambule. " + "mot " * 200 + "<b>Ali</b> & co " + "suite " * 200 + "fin."
    start = text.index("Ali")
    bounds = sentence_bounds(text, start, start + 3)
    html = str(marked_sentence(text, bounds, [(start, start + 3)]))
    assert html.startswith("…") and html.endswith("…")
    assert "&lt;b&gt;<mark>Ali</mark>&lt;/b&gt; &amp; co" in html
    assert "Préambule" not in html and "<b>" not in html


def test_it_does_not_end_a_sentence_at_an_honorific():
    text = "Hier, M. Hassad a reçu le général. Puis il est parti."
    start = text.index("Hassad")
    assert str(marked_sentence(text, sentence_bounds(text, start, start + 6), [(start, start + 6)])) == (
        "Hier, M. <mark>Hassad</mark> a reçu le général."
    )


def test_it_shows_the_events_it_takes_part_in_on_a_timeline(client_owner, hassad_articles):
    first, second = hassad_articles
    second.events.update(date_value="2024-01-09", date_precision="day")
    first.events.update(date_value="2022-02-28", date_precision="day")
    html = html_of(client_owner, page_url(entity("Mohamed Hassad")))
    timeline = re.search(r'<ol class="timeline">(.*?)</ol>', html, re.S).group(1)
    items = re.findall(r'<li class="timeline-item">(.*?)</li>', timeline, re.S)
    assert len(items) == 2
    assert ">2022-02-28<" in items[0] and "Fernando Grande-Marlaska" in items[0] and "(acteur)" in items[0]
    assert ">2024-01-09<" in items[1] and "CEDEAO" in items[1] and "réunion" in items[1]
    assert "(interlocuteur)" in items[1]  # the CEDEAO's role in that meeting
    for article, item in zip((first, second), items, strict=True):
        cluster = article.events.get().cluster_id
        assert cluster and f'href="{reverse("clusters:detail", args=[cluster])}"' in item


def test_it_lists_the_entities_it_appears_with_most(client_owner, hassad_articles):
    html = html_of(client_owner, page_url(entity("Mohamed Hassad")))
    table = re.search(r'<table class="neighbours">(.*?)</table>', html, re.S).group(1)
    names = re.findall(
        r'<a href="/entities/\d+/">(.*?)</a></td><td><span class="label label-\w+">\w+</span></td><td>(\d+)', table
    )
    assert names[0] == ("Rabat", "2")
    assert set(names[1:]) == {("CEDEAO", "1"), ("Fernando Grande-Marlaska", "1")}


def test_it_redirects_a_merged_entity_to_the_survivor_with_a_message(client_owner, reviewer, hassad_articles):
    hassad, marlaska = entity("Mohamed Hassad"), entity("Fernando Grande-Marlaska")
    merging.entity_merge(actor=reviewer, source_id=marlaska.pk, target_id=hassad.pk)
    response = client_owner.get(page_url(marlaska), follow=True)
    assert response.redirect_chain == [(page_url(hassad), 302)]
    html = response.content.decode()
    assert "« Fernando Grande-Marlaska » a été fusionnée dans « Mohamed Hassad »" in html


def test_it_escapes_an_entity_name_everywhere_it_is_shown(client, reviewer, hassad_articles):
    evil = Entity.objects.create(
        name='<script>alert("x")</script>', label="PER", key="script alert x script", aliases=["<img src=x>"]
    )
    Mention.objects.filter(text="Fernando Grande-Marlaska").update(entity=evil)
    candidate(entity("Mohamed Hassad"), evil, 0.9)
    client.force_login(reviewer)
    hassad = entity("Mohamed Hassad")
    for url in (page_url(evil), page_url(hassad), reverse("entities:list"), reverse("entities:merge_queue")):
        html = html_of(client, url)
        assert "<script>alert" not in html and "<img src=x>" not in html, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html, url
    graph = client.get(reverse("entities:graph", args=[hassad.pk])).json()
    assert '<script>alert("x")</script>' in [n["data"]["name"] for n in graph["nodes"]]  # data, drawn as text


def test_it_runs_the_same_queries_for_one_mention_or_many(client_owner, owner, django_assert_num_queries):
    small = extracted(
        owner,
        text="Le ministre Ahmed Diallo a reçu mardi à Dakar son homologue Jean Martin.",
        title="Diallo",
        published_at="2021-05-04",
        entities=[("Ahmed Diallo", "PER", 0), ("Dakar", "GPE", 0), ("Jean Martin", "PER", 0)],
    )
    role(small, "Ahmed Diallo", "ministre")
    diallo = entity("Ahmed Diallo")
    assert diallo.mentions.count() == 1
    few = queries(client_owner, page_url(diallo))
    for n in range(25):
        article = extracted(
            owner, text=f"{TEXT} Dépêche {n}.", title=f"Dépêche {n}", published_at=f"2023-01-{n + 1:02d}"
        )
        role(article, "Mohamed Hassad", "ministre de l'Intérieur")
    hassad = entity("Mohamed Hassad")
    assert hassad.mentions.count() == 50
    with django_assert_num_queries(few):
        client_owner.get(page_url(hassad))
    with django_assert_num_queries(few):
        client_owner.get(page_url(hassad) + "?page=2")


# ---------------------------------------------------------------------------
# The graph


def graph(client, e: Entity, query: str = "") -> dict:
    response = client.get(reverse("entities:graph", args=[e.pk]) + query)
    assert response.status_code == 200, response.content
    return response.json()


def names_and_edges(data: dict) -> tuple[set[str], dict[tuple[str, str, str], int]]:
    names = {n["data"]["id"]: n["data"]["name"] for n in data["nodes"]}
    edges = {
        (e["data"]["kind"], *sorted((names[e["data"]["source"]], names[e["data"]["target"]]))): e["data"]["weight"]
        for e in data["edges"]
    }
    return set(names.values()), edges


def test_it_draws_co_occurrence_and_event_participation_edges(client_owner, hassad_articles):
    hassad = entity("Mohamed Hassad")
    data = graph(client_owner, hassad)
    nodes, edges = names_and_edges(data)
    assert nodes == {"Mohamed Hassad", "Rabat", "Fernando Grande-Marlaska", "CEDEAO"}
    center = next(n["data"] for n in data["nodes"] if n["data"]["center"])
    assert center["name"] == "Mohamed Hassad" and center["url"] == page_url(hassad)
    assert edges[("cooccurrence", "Mohamed Hassad", "Rabat")] == 2
    assert edges[("cooccurrence", "Fernando Grande-Marlaska", "Mohamed Hassad")] == 1
    assert edges[("cooccurrence", "Fernando Grande-Marlaska", "Rabat")] == 1
    assert ("cooccurrence", "CEDEAO", "Fernando Grande-Marlaska") not in edges
    assert edges[("event", "Mohamed Hassad", "Rabat")] == 2
    assert edges[("event", "CEDEAO", "Mohamed Hassad")] == 1


def test_it_filters_the_graph_by_publication_date_and_type(client_owner, hassad_articles):
    hassad = entity("Mohamed Hassad")
    nodes, edges = names_and_edges(graph(client_owner, hassad, "?from=2023-01-01"))
    assert nodes == {"Mohamed Hassad", "Rabat", "CEDEAO"}
    assert edges[("cooccurrence", "Mohamed Hassad", "Rabat")] == 1
    nodes, _ = names_and_edges(graph(client_owner, hassad, "?to=2022-03-01"))
    assert nodes == {"Mohamed Hassad", "Rabat", "Fernando Grande-Marlaska"}
    nodes, edges = names_and_edges(graph(client_owner, hassad, "?label=GPE&label=ORG"))
    assert nodes == {"Mohamed Hassad", "Rabat", "CEDEAO"}
    assert edges[("event", "Mohamed Hassad", "Rabat")] == 2
    data = graph(client_owner, hassad, "?from=2023-01-01&label=PER")
    assert [n["data"]["name"] for n in data["nodes"]] == ["Mohamed Hassad"] and data["edges"] == []
    assert data["filters"] == {"from": "2023-01-01", "to": None, "label": ["PER"]}


def test_it_refuses_bad_graph_filters(client_owner, hassad_articles):
    url = reverse("entities:graph", args=[entity("Mohamed Hassad").pk])
    for query in ("?from=demain", "?label=XXX", "?from=2024-01-01&to=2023-01-01"):
        response = client_owner.get(url + query)
        assert response.status_code == 400 and response.json()["errors"], query


def test_it_caps_the_graph_and_keeps_its_query_count(client_owner, owner, django_assert_num_queries):
    extracted(owner)
    hassad = entity("Mohamed Hassad")
    few = queries(client_owner, reverse("entities:graph", args=[hassad.pk]))
    names = [f"Personne{chr(65 + n // 26)}{chr(65 + n % 26)} Témoin" for n in range(45)]
    text = "Mohamed Hassad a vu " + ", ".join(names) + "."
    extracted(owner, text=text, title="Foule", entities=[("Mohamed Hassad", "PER", 0)] + [(n, "PER", 0) for n in names])
    with django_assert_num_queries(few):
        data = client_owner.get(reverse("entities:graph", args=[hassad.pk])).json()
    assert len(data["nodes"]) == 41
    assert client_owner.get(reverse("entities:graph", args=[hassad.pk])).status_code == 200


def test_the_entity_page_carries_the_graph_url_and_its_filters(client_owner, hassad_articles):
    hassad = entity("Mohamed Hassad")
    html = html_of(client_owner, page_url(hassad) + "?from=2023-01-01&label=GPE&label=ORG")
    url = reverse("entities:graph", args=[hassad.pk])
    assert f'data-graph-url="{url}?from=2023-01-01&amp;label=GPE&amp;label=ORG"' in html
    assert 'name="from" value="2023-01-01"' in html and 'value="GPE" checked' in html
    assert 'src="/static/js/vendor/cytoscape.min.js"' in html and 'src="/static/js/entity_graph.js"' in html
    assert "<script>" not in html and " style=" not in html and "onclick" not in html


# ---------------------------------------------------------------------------
# Merging and splitting from the entity page


def test_it_merges_from_the_entity_page_and_splits_back(client_reviewer, reviewer, hassad_articles):
    hassad, marlaska = entity("Mohamed Hassad"), entity("Fernando Grande-Marlaska")
    html = html_of(client_reviewer, page_url(hassad))
    assert f'action="{reverse("entities:merge", args=[hassad.pk])}"' in html
    assert 'data-search-url="/entities/search/"' in html and 'class="entity-id num"' in html
    response = client_reviewer.post(reverse("entities:merge", args=[hassad.pk]), {"other": marlaska.pk, "keep": "this"})
    assert response.status_code == 302 and response["Location"] == page_url(hassad)
    assert Entity.objects.get(pk=marlaska.pk).merged_into_id == hassad.pk
    merge = EntityMerge.objects.get()
    html = html_of(client_reviewer, page_url(hassad))
    assert "« Fernando Grande-Marlaska » est fusionnée dans « Mohamed Hassad »" in html
    split = reverse("entities:split", args=[merge.pk])
    assert f'action="{split}"' in html and "Séparer" in html
    assert "Fernando Grande-Marlaska</a> » fusionnée ici" in html
    response = client_reviewer.post(split)
    assert response.status_code == 302 and response["Location"] == page_url(hassad)
    assert Entity.objects.get(pk=marlaska.pk).merged_into_id is None
    assert Mention.objects.filter(entity=marlaska).count() == 1
    assert Judgement.objects.get().verdict == Judgement.Verdict.NOT_SAME
    html = html_of(client_reviewer, page_url(hassad))
    assert "séparée de « Mohamed Hassad »" in html
    assert f'action="{split}"' not in html and "séparée le" in html  # undone: no second split
    assert client_reviewer.post(split).status_code == 302
    assert "déjà été séparée" in html_of(client_reviewer, page_url(hassad))


def test_it_merges_into_the_other_entity_when_asked(client_reviewer, hassad_articles):
    hassad, marlaska = entity("Mohamed Hassad"), entity("Fernando Grande-Marlaska")
    response = client_reviewer.post(
        reverse("entities:merge", args=[hassad.pk]), {"other": marlaska.pk, "keep": "other"}
    )
    assert response["Location"] == page_url(marlaska)
    assert Entity.objects.get(pk=hassad.pk).merged_into_id == marlaska.pk


def test_it_reports_a_merge_the_service_refuses(client_reviewer, hassad_articles):
    hassad, rabat = entity("Mohamed Hassad"), entity("Rabat")
    client_reviewer.post(reverse("entities:merge", args=[hassad.pk]), {"other": rabat.pk, "keep": "this"})
    client_reviewer.post(reverse("entities:merge", args=[hassad.pk]), {"keep": "this"})
    html = html_of(client_reviewer, page_url(hassad))
    assert "Types différents" in html and "Choisissez une entité." in html
    assert not EntityMerge.objects.exists()


def test_an_analyst_sees_no_merge_or_split_and_may_not_post_them(client_owner, reviewer, hassad_articles):
    hassad, marlaska = entity("Mohamed Hassad"), entity("Fernando Grande-Marlaska")
    merge = merging.entity_merge(actor=reviewer, source_id=marlaska.pk, target_id=hassad.pk)
    html = html_of(client_owner, page_url(hassad))
    assert "Fusionner avec" not in html and "Séparer" not in html
    assert "fusionnée ici" in html  # the history is shown to everyone
    assert client_owner.post(reverse("entities:split", args=[merge.pk])).status_code == 403
    assert client_owner.post(reverse("entities:merge", args=[hassad.pk]), {"other": 1}).status_code == 403
    assert EntityMerge.objects.get().undone_at is None


# ---------------------------------------------------------------------------
# The entity list


def test_it_lists_unmerged_entities_with_their_mention_counts(client_owner, reviewer, hassad_articles):
    merging.entity_merge(
        actor=reviewer, source_id=entity("Fernando Grande-Marlaska").pk, target_id=entity("Mohamed Hassad").pk
    )
    html = html_of(client_owner, reverse("entities:list"))
    rows = re.findall(r'<a href="/entities/\d+/">(.*?)</a></td>.*?<td>(\d+)</td>\s*</tr>', html, re.S)
    assert rows[0] == ("Mohamed Hassad", "4")  # most mentioned first; Marlaska's mention moved to it
    assert ("Rabat", "2") in rows and ("CEDEAO", "1") in rows
    assert "Fernando Grande-Marlaska</a>" not in html


def test_it_searches_the_entity_list_by_name_and_type(client_owner, hassad_articles):
    def names(query: str) -> list[str]:
        html = html_of(client_owner, reverse("entities:list") + query)
        return re.findall(r'<td><a href="/entities/\d+/">(.*?)</a></td>', html)

    assert names("?q=hassad") == ["Mohamed Hassad"]
    assert names("?q=MOHAMED") == ["Mohamed Hassad"]
    assert names("?label=GPE") == ["Rabat"]
    assert sorted(names("?label=PER")) == ["Fernando Grande-Marlaska", "Mohamed Hassad"]
    assert names("?q=rabat&label=PER") == []
    assert names("?label=nope") == []  # an invalid filter shows nothing rather than everything


def test_the_entity_list_keeps_its_query_count(client_owner, owner, django_assert_num_queries):
    extracted(owner)
    few = queries(client_owner, reverse("entities:list"))
    for n in range(8):
        extracted(
            owner,
            text=f"Le préfet Karim Nom{chr(65 + n)} a visité Oujda.",
            title=f"Visite {n}",
            with_event=False,
            entities=[(f"Karim Nom{chr(65 + n)}", "PER", 0), ("Oujda", "GPE", 0)],
        )
    with django_assert_num_queries(few):
        client_owner.get(reverse("entities:list"))


# ---------------------------------------------------------------------------
# The merge queue


def queue_html(client, query: str = "") -> str:
    return html_of(client, reverse("entities:merge_queue") + query)


def shown_candidate(html: str) -> int | None:
    found = re.search(r'data-candidate="(\d+)"', html)
    return int(found.group(1)) if found else None


def people(*names: str) -> list[Entity]:
    return [Entity.objects.create(name=n, label=Label.PER, key=n.lower()) for n in names]


def test_it_shows_the_best_open_pair_side_by_side(client_reviewer, owner, hassad_articles):
    hassad, marlaska = entity("Mohamed Hassad"), entity("Fernando Grande-Marlaska")
    role(hassad_articles[0], "Mohamed Hassad", "ministre de l'Intérieur", of_name="Maroc")
    best = candidate(hassad, marlaska, 0.91, "même nom de famille")
    a, b = people("Ali Ben Salah", "Ali Ben Saleh")
    candidate(a, b, 0.55)
    html = queue_html(client_reviewer)
    assert shown_candidate(html) == best.pk
    assert "même nom de famille" in html and "score 0,91" in html
    left, right = re.findall(r'<section class="merge-side"(.*?)</section>', html, re.S)
    assert "Mohamed Hassad</a>" in left and "3 dans 2 articles" in left
    assert "« ministre de l&#x27;Intérieur » (Maroc)" in left
    assert "<mark>Mohamed Hassad</mark> a reçu mardi" in left and "Hassad reçoit la CEDEAO" in left
    assert "Fernando Grande-Marlaska</a>" in right and "1 dans 1 article<" in right
    assert "<mark>Fernando Grande-Marlaska</mark>" in right
    assert "2 paires à juger" in html
    for verdict in ("same", "not_same", "unsure"):
        assert f'data-verdict="{verdict}"' in html
    assert f'href="?skip={best.pk}"' in html
    assert 'src="/static/js/merge_queue.js"' in html and "<script>" not in html and " style=" not in html


def test_it_skips_pairs_and_leaves_out_judged_and_merged_ones(client_reviewer, reviewer):
    a, b, c, d, e, f = people("A Un", "A Deux", "B Un", "B Deux", "C Un", "C Deux")
    first = candidate(a, b, 0.9)
    second = candidate(c, d, 0.8)
    third = candidate(e, f, 0.7)
    assert shown_candidate(queue_html(client_reviewer)) == first.pk
    assert shown_candidate(queue_html(client_reviewer, f"?skip={first.pk}")) == second.pk
    assert shown_candidate(queue_html(client_reviewer, f"?skip={first.pk},{second.pk}")) == third.pk
    html = queue_html(client_reviewer, f"?skip={first.pk},{second.pk},{third.pk}")
    assert shown_candidate(html) is None and "Aucune paire à juger" in html
    assert shown_candidate(queue_html(client_reviewer, "?skip=x,,%3Cb%3E")) == first.pk  # junk ignored
    merging.entity_judge(actor=reviewer, left_id=a.pk, right_id=b.pk, verdict="unsure")
    assert shown_candidate(queue_html(client_reviewer)) == second.pk
    merging.entity_merge(actor=reviewer, source_id=c.pk, target_id=d.pk)
    html = queue_html(client_reviewer)
    assert shown_candidate(html) == third.pk and "1 paire à juger" in html


def judge(client, cand: EntityCandidate, verdict: str, skip: str = ""):
    return client.post(reverse("entities:judge", args=[cand.pk]), {"verdict": verdict, "skip": skip})


def test_it_merges_a_pair_judged_the_same_into_the_one_named_more(client_reviewer, hassad_articles):
    hassad, marlaska = entity("Mohamed Hassad"), entity("Fernando Grande-Marlaska")
    cand = candidate(hassad, marlaska, 0.9)
    response = judge(client_reviewer, cand, "same")
    assert response.status_code == 302 and response["Location"] == reverse("entities:merge_queue")
    assert Entity.objects.get(pk=marlaska.pk).merged_into_id == hassad.pk
    assert Judgement.objects.get().verdict == "same"
    html = queue_html(client_reviewer)
    assert "« Fernando Grande-Marlaska » est fusionnée dans « Mohamed Hassad »" in html
    assert shown_candidate(html) is None


@pytest.mark.parametrize("verdict", ["not_same", "unsure"])
def test_it_records_a_verdict_and_goes_on_keeping_the_skipped_pairs(client_reviewer, verdict):
    a, b, c, d, e, f = people("A Un", "A Deux", "B Un", "B Deux", "C Un", "C Deux")
    skipped = candidate(a, b, 0.9)
    judged = candidate(c, d, 0.8)
    following = candidate(e, f, 0.7)
    response = judge(client_reviewer, judged, verdict, skip=str(skipped.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("entities:merge_queue") + f"?skip={skipped.pk}"
    judgement = Judgement.objects.get()
    assert (judgement.left_entity_id, judgement.right_entity_id, judgement.verdict) == (c.pk, d.pk, verdict)
    assert not Entity.objects.filter(merged_into__isnull=False).exists()
    html = html_of(client_reviewer, response["Location"])
    assert shown_candidate(html) == following.pk
    assert f"« {c.name} » / « {d.name} » : {Judgement.Verdict(verdict).label}." in html


def test_it_refuses_an_unknown_verdict(client_reviewer):
    a, b = people("A Un", "A Deux")
    cand = candidate(a, b, 0.9)
    assert judge(client_reviewer, cand, "maybe").status_code == 302
    assert not Judgement.objects.exists()
    assert "Verdict inconnu" in queue_html(client_reviewer)
    assert client_reviewer.post(reverse("entities:judge", args=[987654]), {"verdict": "same"}).status_code == 404


def test_judging_needs_the_merge_permission_a_login_a_post_and_a_csrf_token(client, owner, reviewer):
    a, b = people("A Un", "A Deux")
    cand = candidate(a, b, 0.9)
    url = reverse("entities:judge", args=[cand.pk])
    response = client.post(url, {"verdict": "not_same"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(owner)
    assert client.post(url, {"verdict": "not_same"}).status_code == 403
    html = queue_html(client)
    assert "data-verdict" not in html and "Seuls les relecteurs" in html  # an analyst may look
    client.force_login(reviewer)
    assert client.get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reviewer)
    assert strict.post(url, {"verdict": "not_same"}).status_code == 403
    assert not Judgement.objects.exists()
    html = strict.get(reverse("entities:merge_queue")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert strict.post(url, {"verdict": "not_same", "csrfmiddlewaretoken": token}).status_code == 302
    assert Judgement.objects.get().verdict == "not_same"


def test_merging_and_splitting_refuse_get_and_need_a_csrf_token(reviewer, hassad_articles):
    hassad, marlaska = entity("Mohamed Hassad"), entity("Fernando Grande-Marlaska")
    merge = merging.entity_merge(actor=reviewer, source_id=marlaska.pk, target_id=hassad.pk)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reviewer)
    assert strict.get(reverse("entities:split", args=[merge.pk])).status_code == 405
    assert strict.post(reverse("entities:split", args=[merge.pk])).status_code == 403
    assert strict.post(reverse("entities:merge", args=[hassad.pk]), {"other": 3}).status_code == 403
    assert EntityMerge.objects.get().undone_at is None


def test_the_merge_queue_runs_the_same_queries_for_one_mention_or_many(
    client_reviewer, owner, django_assert_num_queries
):
    extracted(owner)
    hassad, marlaska = entity("Mohamed Hassad"), entity("Fernando Grande-Marlaska")
    role(Article.objects.get(), "Mohamed Hassad", "ministre")
    role(Article.objects.get(), "Fernando Grande-Marlaska", "ministre")
    cand = candidate(hassad, marlaska, 0.9)
    few = queries(client_reviewer, reverse("entities:merge_queue"))
    for n in range(10):
        article = extracted(owner, text=f"{TEXT} Dépêche {n}.", title=f"Dépêche {n}")
        role(article, "Mohamed Hassad", "ministre de l'Intérieur")
        role(article, "Fernando Grande-Marlaska", "ministre espagnol")
    assert Mention.objects.filter(entity=hassad).count() == 22
    with django_assert_num_queries(few):
        html = client_reviewer.get(reverse("entities:merge_queue")).content.decode()
    assert shown_candidate(html) == cand.pk

"""In a real browser, from the keyboard: the merge queue (d, p, s), then the merged entity's page and graph."""

from __future__ import annotations

import re

import pytest

from entities.models import Entity, EntityCandidate, EntityMerge, Judgement, Label
from tests.e2e.conftest import login, screenshot
from tests.factories import extracted

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def candidate(a: Entity, b: Entity, score: float, reason: str) -> EntityCandidate:
    left, right = sorted((a.pk, b.pk))
    row, _ = EntityCandidate.objects.update_or_create(
        left_id=left, right_id=right, defaults={"score": score, "reason": reason}
    )
    return row


def test_a_reviewer_judges_pairs_from_the_keyboard_and_splits_a_merge_back(page, owner, reviewer):
    extracted(owner, published_at="2022-03-01")
    hassad = Entity.objects.get(name="Mohamed Hassad")
    marlaska = Entity.objects.get(name="Fernando Grande-Marlaska")
    ali, alia = (Entity.objects.create(name=n, label=Label.PER, key=n.lower()) for n in ("Ali Salah", "Alia Salah"))
    omar, omer = (Entity.objects.create(name=n, label=Label.PER, key=n.lower()) for n in ("Omar Diop", "Omer Diop"))
    different = candidate(ali, alia, 0.95, "prénoms proches")
    skipped = candidate(omar, omer, 0.9, "prénoms proches")
    same = candidate(hassad, marlaska, 0.5, "même article")

    login(page, "rita", "rita-password-1")
    page.click("nav >> text=Fusions")
    page.wait_for_selector(f'#merge-pair[data-candidate="{different.pk}"][data-keys=ready]')
    assert "Ali Salah" in page.inner_text(".merge-sides") and "Alia Salah" in page.inner_text(".merge-sides")

    # d: not the same; the next best pair comes.
    page.keyboard.press("d")
    page.wait_for_selector(f'#merge-pair[data-candidate="{skipped.pk}"][data-keys=ready]')
    judgement = Judgement.objects.get()
    assert (judgement.left_entity_id, judgement.verdict) == (min(ali.pk, alia.pk), "not_same")
    assert "différents" in page.inner_text(".messages")

    # p: skip, kept in the URL.
    page.keyboard.press("p")
    page.wait_for_selector(f'#merge-pair[data-candidate="{same.pk}"][data-keys=ready]')
    assert f"skip={skipped.pk}" in page.url
    assert "<mark>" in page.inner_html(".merge-sides") and "Hassad reçoit Marlaska" in page.inner_text(".merge-sides")
    screenshot(page, "merge-queue")

    # s: the same; Marlaska (one mention) goes into Hassad (two), the skipped pair stays skipped.
    page.keyboard.press("s")
    page.wait_for_url(re.compile(rf"/entities/merge/\?skip={skipped.pk}$"))
    page.wait_for_selector("text=Aucune paire à juger")
    assert Entity.objects.get(pk=marlaska.pk).merged_into_id == hassad.pk

    # The survivor's page: the merge in its history, the graph drawn by Cytoscape.
    page.goto(f"/entities/{marlaska.pk}/")
    page.wait_for_url(re.compile(rf"/entities/{hassad.pk}/$"))
    assert "a été fusionnée dans « Mohamed Hassad »" in page.inner_text(".messages")
    page.wait_for_selector("#entity-graph canvas")
    assert page.evaluate("document.getElementById('graph-status').hidden")
    screenshot(page, "entity-page")

    # Split it back.
    page.click("text=Séparer")
    page.wait_for_selector("text=séparée de « Mohamed Hassad »")
    assert Entity.objects.get(pk=marlaska.pk).merged_into_id is None
    assert EntityMerge.objects.get().undone_at is not None


def test_the_entity_graph_draws_under_a_strict_csp_and_filters_in_place(page, owner):
    names = [f"Personne{chr(65 + n // 26)}{chr(65 + n % 26)} Témoin" for n in range(12)]
    text = "Mohamed Hassad a vu " + ", ".join(names) + " à Rabat."
    extracted(owner, published_at="2022-03-01")
    extracted(
        owner,
        text=text,
        title="Foule",
        published_at="2024-05-02",
        entities=[("Mohamed Hassad", "PER", 0), ("Rabat", "GPE", 0)] + [(n, "PER", 0) for n in names],
    )
    hassad = Entity.objects.get(name="Mohamed Hassad")

    # Under the app's own policy (no inline script or style, so no <style> element Cytoscape would inject).
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));"
    )
    login(page, "alice", "alice-password-1")
    response = page.goto(f"/entities/{hassad.pk}/")
    assert "style-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("#entity-graph canvas")
    page.wait_for_function("document.getElementById('graph-status').hidden")
    screenshot(page, "entity-graph")

    # The filter form reloads the graph in place and keeps the filters in the URL.
    with page.expect_response(re.compile(r"/graph\.json\?from=2024-01-01&label=GPE$")) as answer:
        page.fill("#graph-filters input[name=from]", "2024-01-01")
        page.check("#graph-filters input[value=GPE]")
        page.click("#graph-filters button[type=submit]")
    assert [n["data"]["name"] for n in answer.value.json()["nodes"]] == ["Mohamed Hassad", "Rabat"]
    page.wait_for_url(re.compile(r"\?from=2024-01-01&label=GPE#graph-title$"))
    assert page.evaluate("window.__violations") == []

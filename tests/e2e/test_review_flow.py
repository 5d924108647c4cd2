"""In a real browser, mostly from the keyboard: the whole review of an article, from the queue to its history."""

from __future__ import annotations

import re

import pytest

from articles.models import Article, AuditEntry
from entities.models import Entity, Event, Mention, Status
from tests.e2e.conftest import login, screenshot
from tests.factories import TEXT, extracted

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def select_text(page, surface: str) -> None:
    """Select ``surface`` in the article text as a user dragging the mouse would, then release."""
    page.evaluate(
        """(surface) => {
            const box = document.getElementById("review-text");
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.data.indexOf(surface);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(walker.currentNode, at);
                    range.setEnd(walker.currentNode, at + surface.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    box.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                    return;
                }
            }
            throw new Error("not in the text: " + surface);
        }""",
        surface,
    )


def item(page, mention: Mention):
    return page.locator(f"#s-mention-{mention.pk}")


def test_an_analyst_reviews_an_article_from_the_queue_to_its_history(page, owner):
    article = extracted(owner, title="Hassad reçoit Marlaska à Rabat")
    extracted(owner, text="La CEDEAO a tenu une session.", title="Session", entities=[("CEDEAO", "ORG", 0)])
    known = Entity.objects.create(
        name="Fernando Grande-Marlaska Gómez", label="PER", key="fernando grande marlaska gomez"
    )
    mentions = {m.start: m for m in Mention.objects.filter(article=article)}
    first, rabat, marlaska, second = (mentions[k] for k in sorted(mentions))

    login(page, "alice", "alice-password-1")
    # The queue, filtered: the filters live in the URL.
    page.select_option("#queue-filters select[name=label]", "PER")
    page.click("#queue-filters button[type=submit]")
    page.wait_for_url(re.compile(r"label=PER"))
    assert page.locator("#article-rows tr").count() == 1
    screenshot(page, "review-queue")

    # Review next: the oldest matching article, claimed for me.
    page.click("#review-next button")
    page.wait_for_selector("#review")
    assert "label=PER" in page.url
    assert Article.objects.get(pk=article.pk).assigned_to == owner

    # The first pending suggestion is selected; "a" accepts it and moves on to the next pending one.
    item(page, first).and_(page.locator(".current")).wait_for()
    page.keyboard.press("a")
    item(page, first).and_(page.locator(".st-accepted")).wait_for()
    item(page, rabat).and_(page.locator(".current")).wait_for()
    # "j" moves down, "r" rejects.
    page.keyboard.press("j")
    item(page, marlaska).and_(page.locator(".current")).wait_for()
    page.keyboard.press("k")
    page.keyboard.press("j")
    page.keyboard.press("j")
    item(page, second).and_(page.locator(".current")).wait_for()
    page.keyboard.press("r")
    item(page, second).and_(page.locator(".st-rejected")).wait_for()
    assert Mention.objects.get(pk=first.pk).status == Status.ACCEPTED
    assert Mention.objects.get(pk=second.pk).status == Status.REJECTED

    # Fix a span: its label becomes LOC; the boundary buttons move its start and preview the span.
    item(page, rabat).locator(".sugg-head").click()
    page.keyboard.press("e")
    form = item(page, rabat).locator("form.span-form")
    form.locator("select[name=label]").select_option("LOC")
    form.locator("button[data-nudge=start][data-by='-1']").click()
    form.locator("button[data-nudge=start][data-by='-1']").click()
    assert form.locator(".span-preview").inner_text() == "« à Rabat »"
    form.locator("button[data-nudge=start][data-by='1']").click()
    form.locator("button[data-nudge=start][data-by='1']").click()
    form.locator("button[type=submit]").click()
    item(page, rabat).and_(page.locator(".st-corrected")).wait_for()
    fixed = Mention.objects.get(pk=rabat.pk)
    assert (fixed.text, fixed.label) == ("Rabat", "LOC")

    # Add a missed mention: select « Espagne » in the text, press 3 (GPE).
    select_text(page, "Espagne")
    assert page.locator("#add-mention .selection-preview").inner_text() == "« Espagne »"
    page.keyboard.press("3")
    page.locator(".sugg .sugg-text", has_text="Espagne").wait_for()
    added = Mention.objects.get(article=article, text="Espagne")
    assert (added.label, added.origin, added.start) == ("GPE", "analyst", TEXT.index("Espagne"))

    # Link Marlaska to the existing entity, through the search box.
    item(page, marlaska).locator("summary").click()
    search = item(page, marlaska).locator("input.entity-search")
    search.fill("Fernando Grande")
    option = page.locator(f"#entities-{marlaska.pk} option[value*='Gómez']")
    option.wait_for(state="attached")
    search.fill(option.get_attribute("value"))
    item(page, marlaska).locator("form.link-form button[type=submit]").click()
    item(page, marlaska).and_(page.locator(".st-corrected")).wait_for()
    assert Mention.objects.get(pk=marlaska.pk).entity == known

    # Edit the event's date.
    event = Event.objects.get(article=article)
    row = page.locator(f"#s-event-{event.pk}")
    row.locator("summary").click()
    row.locator("input[name=date_value]").fill("2024-03-06")
    row.locator("form.event-form button[type=submit]").click()
    page.locator(f"#s-event-{event.pk} .event-date", has_text="2024-03-06").wait_for()
    assert Event.objects.get(pk=event.pk).date_value == "2024-03-06"

    # The help overlay lists the shortcuts.
    page.keyboard.press("?")
    assert page.locator("#help").is_visible() and "annuler ma dernière décision" in page.locator("#help").inner_text()
    page.keyboard.press("Escape")
    assert not page.locator("#help").is_visible()
    screenshot(page, "review-page")

    # Mark reviewed: on to the next article of the same filters (none left: back to the queue).
    page.keyboard.press("n")
    page.wait_for_url(re.compile(r"^http://[^/]+/\?label=PER$"))
    assert "Plus aucun article à relire" in page.content()
    reviewed = Article.objects.get(pk=article.pk)
    assert (reviewed.status, reviewed.reviewed_by) == (Article.Status.REVIEWED, owner)

    # The history shows every decision.
    page.goto(f"/articles/{article.pk}/history/")
    history = page.locator("table.history").inner_text()
    for expected in (
        "a accepté la mention « Mohamed Hassad »",
        "a rejeté la mention « Mohamed Hassad »",
        "a corrigé la mention « Rabat » (GPE) → « Rabat » (LOC)",
        "a ajouté la mention « Espagne » (GPE)",
        "a lié la mention « Fernando Grande-Marlaska »",
        "a modifié l'événement « a reçu » (date 2024-03-05 → 2024-03-06)",
        "a marqué l'article relu",
    ):
        assert expected in history, expected
    assert AuditEntry.objects.filter(article=article, actor=owner).count() >= 7
    screenshot(page, "review-history")


def test_undo_from_the_keyboard_and_a_stale_page_gets_the_conflict(page, owner, teammate):
    article = extracted(owner)
    rabat = Mention.objects.get(article=article, text="Rabat")
    login(page, "alice", "alice-password-1")
    page.goto(f"/articles/{article.pk}/review/")
    item(page, rabat).locator(".sugg-head").click()
    page.keyboard.press("r")
    item(page, rabat).and_(page.locator(".st-rejected")).wait_for()
    page.keyboard.press("u")
    item(page, rabat).and_(page.locator(".st-suggested")).wait_for()
    assert Mention.objects.get(pk=rabat.pk).status == Status.SUGGESTED

    # Someone else decides meanwhile: my next save is refused and I am shown what changed.
    from entities import review

    review.mention_decide(actor=teammate, article_id=article.pk, mention_id=rabat.pk, status="accepted", version=None)
    item(page, rabat).locator(".sugg-head").click()
    page.keyboard.press("r")
    page.locator(".msg-error", has_text="a changé depuis").wait_for()
    assert "bob a accepté la mention « Rabat »" in page.locator("#review .messages").inner_text()
    assert Mention.objects.get(pk=rabat.pk).status == Status.ACCEPTED
    item(page, rabat).and_(page.locator(".st-accepted")).wait_for()  # the page now shows the current state

"""Hostile text in every field that is shown, in a real browser, under the app's own CSP.

Articles come from the open web and imports from anyone's files: their titles, sources, links, text,
and what is extracted from the text (entity names and aliases, roles, dates, event triggers,
membership claims), analysts' own entries (a new entity's name, merges), merge suggestions and import
problems all carry payloads here. Every page that shows them is opened and used a little; the test
fails if a payload runs (a dialog, or ``window.__xss`` set: its value names the field), if the page
does not show the payload as text (so a page that drops it cannot pass), if a response lacks the
policy, or if the browser reports a policy violation on one of our pages (a template that needs an
inline style or script shows up here).
"""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from django.conf import settings

from articles import services as article_services
from articles.models import Article, ImportJob
from entities import merging, review
from entities.models import Entity, EntityCandidate, Event, Mention
from entities.nlp.types import ClaimSpan, DateSpan, EntitySpan, EventArgument, EventSpan, ExtractionResult, RoleSpan
from entities.services import extraction_store
from tests.e2e.conftest import login, screenshot
from tests.factories import claimed_for_extraction

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Each payload names the field it was put in ({f}), so a payload that runs says where it came from.
PAYLOADS = {
    "script": "<script>window.__xss='{f}'</script>",
    "img": "<img src=x onerror=\"window.__xss='{f}'\">",
    "svg": "\"><svg onload=window.__xss='{f}'>",
    "textarea": "</textarea><script>window.__xss='{f}'</script>",
    "quotes": "' autofocus onfocus='window.__xss=\"{f}\"' x=\"",
    "template": "{{{{7*7}}}} {{% now 'Y' %}} {f}",
    "json": '{{"url": "javascript:window.__xss=\'{f}\'", "id": "</script><script>window.__xss=\'{f}\'</script>"}}',
}
JS_URL = "javascript:window.__xss='{f}'"
KINDS = list(PAYLOADS)
PEOPLE = [
    ("Amadou", "Keita"),
    ("Bintou", "Traoré"),
    ("Cheikh", "Ndiaye"),
    ("Dieudonné", "Kaboré"),
    ("Fatou", "Sow"),
    ("Gaston", "Ouédraogo"),
    ("Hawa", "Coulibaly"),
]
COUNTERPARTS = [
    ("Ibrahim", "Maïga"),
    ("Jean", "Zongo"),
    ("Karim", "Sidibé"),
    ("Lamine", "Diallo"),
    ("Mariam", "Cissé"),
    ("Nouhoum", "Touré"),
    ("Oumar", "Sangaré"),
]
HUB, PLACE, BODY = "Mohamed Hassad", "Rabat", "Initiative d'Accra"


def p(kind: str, field: str) -> str:
    return PAYLOADS[kind].format(f=f"{field}-{kind}")


class World:
    """What one payload kind was stored as, field by field (the strings the pages must show)."""

    def __init__(self, kind: str, index: int) -> None:
        first, last = PEOPLE[index]
        first2, last2 = COUNTERPARTS[index]
        self.kind = kind
        self.title = f"Dépêche {index} {p(kind, 'title')}"
        self.source = f"Agence {index} {p(kind, 'source')}"
        self.url = f"https://example.org/{index}/?q={p(kind, 'url')}"
        self.person = f"{first} {p(kind, 'person')} {last}"
        self.alias = f"{last} {p(kind, 'alias')}"
        self.counterpart = f"{first2} {p(kind, 'counterpart')} {last2}"
        self.org = f"Ligue {last} {p(kind, 'org')}"
        self.trigger = f"a reçu {p(kind, 'trigger')}"
        self.date = f"mardi {p(kind, 'date')}"
        self.role_text = f"ministre {p(kind, 'roletext')}"
        self.role = f"ministre de {p(kind, 'role')}"
        self.role_of = f"Pays {p(kind, 'of')}"
        self.body_text = p(kind, "text")
        self.new_name = f"Nouvelle {last} {p(kind, 'newname')}"
        self.reason = f"raison {p(kind, 'reason')}"
        self.sentence = (
            f"Le ministre {HUB} {self.trigger} {self.date} à {PLACE} son homologue {self.person} et {self.counterpart}."
        )
        self.text = (
            f"{self.sentence}\n"
            f"{self.person}, {self.role_text}, a salué la coopération.\n"
            f"La {self.org} a rejoint l'{BODY} le 5 mars 2024.\n"
            f"Le communiqué cite {self.body_text} en toutes lettres."
        )


def _at(text: str, surface: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def store(owner, world: World) -> Article:
    """The article through ingest, and an extraction of it through the extraction store."""
    article = claimed_for_extraction(
        owner, world.text, title=world.title, source=world.source, url=world.url, published_at="2024-03-05"
    )
    text = article.text
    assert text == world.text  # cleaning kept every payload as it was
    surfaces = [
        (HUB, "PER", 0, 0, ()),
        (world.person, "PER", 0, 1, (world.alias,)),
        (PLACE, "GPE", 0, 2, ()),
        (world.counterpart, "PER", 0, 3, ()),
        (world.person, "PER", 1, 1, ()),
        (world.org, "ORG", 0, 5, ()),
        (BODY, "ORG", 0, 6, ()),
    ]
    entities = []
    for surface, label, nth, group, aliases in surfaces:
        start, end = _at(text, surface, nth)
        entities.append(EntitySpan(start, end, surface, label, 0.7, group, surface, aliases))
    day = _at(text, world.date)
    trigger = _at(text, world.trigger)
    role = _at(text, world.role_text)
    first_end = len(world.sentence)
    third = _at(text, f"La {world.org} a rejoint l'{BODY} le 5 mars 2024.")
    arguments = (EventArgument("actor", 0), EventArgument("counterpart", 1), EventArgument("participant", 3))
    result = ExtractionResult(
        pipeline_version="xss",
        entities=entities,
        dates=[DateSpan(*day, world.date, "2024-03-05", "day")],
        roles=[RoleSpan(*role, world.role_text, world.role, 4, None, world.role_of, 0.8)],
        events=[
            EventSpan(
                "MEETING",
                *trigger,
                world.trigger,
                0,
                first_end,
                (*arguments, EventArgument("location", 2)),
                0,
                "2024-03-05",
                "day",
                0.9,
            )
        ],  # fmt: skip
        claims=[ClaimSpan("membership", "joined", 5, 6, *third, "2024-03-05", "day", 0.8)],
    )
    extraction_store(article_id=article.pk, result=result)
    return Article.objects.get(pk=article.pk)


def analyst_decisions(owner, world: World, article: Article) -> None:
    """What analysts write themselves: an accepted suggestion, a mention linked to a new entity they
    name, a merge split back, a merge suggestion (the linker's, with its reason)."""
    person = Mention.objects.filter(article=article, text=world.person).order_by("start").first()
    review.mention_decide(actor=owner, article_id=article.pk, mention_id=person.pk, status="accepted", version=None)
    org = Mention.objects.get(article=article, text=world.org)
    review.mention_link(actor=owner, article_id=article.pk, mention_id=org.pk, version=None, new_name=world.new_name)
    event = Event.objects.get(article=article)
    review.event_decide(actor=owner, article_id=article.pk, event_id=event.pk, status="accepted", version=None)
    counterpart = Entity.objects.get(name=world.counterpart)
    merge = merging.entity_merge(actor=owner, source_id=counterpart.pk, target_id=person.entity_id)
    merging.entity_unmerge(actor=owner, merge_id=merge.pk)
    hub = Entity.objects.get(name=HUB)
    left, right = sorted((person.entity_id, hub.pk))
    EntityCandidate.objects.update_or_create(
        left_id=left, right_id=right, defaults={"score": 0.9 - 0.01 * KINDS.index(world.kind), "reason": world.reason}
    )


def hostile_import(tmp_path) -> tuple[ImportJob, ImportJob]:
    """A JSONL import whose values are payloads, and a ZIP whose entries are named with payloads."""
    jsonl = tmp_path / (p("svg", "importname").replace("/", "") + ".jsonl")
    rows = [
        {
            "text": "Rabat – Le ministre a reçu son homologue pour une réunion sur la sécurité des frontières.",
            "title": p("img", "importtitle"),
            "published_at": p("script", "published"),
            "url": JS_URL.format(f="importurl"),
            "source": p("json", "importsource"),
        },
        '{"text": "' + p("textarea", "brokenline"),
    ]
    jsonl.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    archive = tmp_path / "lot.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../" + p("quotes", "zipslip").replace("/", "") + ".txt", "Rabat – texte.")
        zf.writestr(p("img", "zipentry") + ".exe", b"MZ")
        zf.writestr(p("script", "zipnested") + ".txt", b"")
    jobs = []
    for path in (jsonl, archive):
        job = article_services.import_job_create(actor=None, path=str(path), format="", enqueue=False)
        article_services.import_job_run(job.pk)
        jobs.append(ImportJob.objects.get(pk=job.pk))
    return jobs[0], jobs[1]


class Watch:
    """Dialogs, policy violations and responses of one browser page."""

    def __init__(self, page, base_url: str) -> None:
        self.page, self.base = page, base_url
        self.dialogs: list[str] = []
        self.violations: list[str] = []
        self.missing_policy: list[str] = []
        self.checked = 0
        self.seen = 0  # payloads found shown as text (one field, one page)
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("response", self._response)
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.error("
            "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' at ' + location.pathname));"
        )

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message} at {self.page.url}")
        dialog.dismiss()

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text:
            self.violations.append(f"{text} ({self.page.url})")

    def _response(self, response) -> None:
        if not response.url.startswith(self.base) or "/static/" in response.url:
            return
        if response.request.resource_type not in ("document", "xhr", "fetch"):
            return
        self.checked += 1
        policy = response.headers.get("content-security-policy")
        if policy != settings.VIGIE_CSP:
            self.missing_policy.append(f"{response.status} {response.url}: {policy!r}")

    def open(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        assert response.headers.get("content-security-policy") == settings.VIGIE_CSP
        self.page.wait_for_load_state("load")
        self.settled()

    def settled(self) -> None:
        """Nothing ran: no dialog, no marker, no javascript: link (the CSP would block it, but it should not be
        there in the first place)."""
        page = self.page
        page.wait_for_timeout(50)  # let an onerror / onload of a broken image fire
        assert page.evaluate("typeof window.__xss") == "undefined", (page.url, page.evaluate("window.__xss"))
        assert self.dialogs == []
        scripted = page.evaluate(
            """() => Array.from(document.querySelectorAll('a[href], area[href], form[action], iframe[src]'))
                .map(e => new URL(e.href || e.action || e.src, location.href).protocol)
                .filter(p => p === 'javascript:').length"""
        )
        assert scripted == 0, page.url
        if "/admin/" not in page.url:
            # Our pages have no image, SVG or script in their content: any there came from a payload.
            assert page.locator("main svg, main img, main iframe, main script, [autofocus][onfocus]").count() == 0

    def shows(self, selector: str, *texts: str) -> None:
        content = " ".join(self.page.locator(selector).all_text_contents())
        for text in texts:
            assert text in content, (self.page.url, selector, text)
            self.seen += 1


def test_hostile_text_in_every_field_is_shown_as_text_and_never_runs(page, live_server, owner, admin_user, tmp_path):
    worlds = [World(kind, index) for index, kind in enumerate(KINDS)]
    articles = [store(owner, w) for w in worlds]
    for world, article in zip(worlds, articles, strict=True):
        analyst_decisions(owner, world, article)
    jsonl_job, zip_job = hostile_import(tmp_path)
    problems = list(jsonl_job.problems.all()) + list(zip_job.problems.all())
    assert {pr.kind for pr in problems} == {"rejected", "flagged"} and len(problems) >= 4
    assert any("<" in pr.location for pr in problems) and any("<script>" in pr.reason for pr in problems)
    hub = Entity.objects.get(name=HUB)
    body = Entity.objects.get(name=BODY)
    clusters = sorted({c for c in Event.objects.filter(article__in=articles).values_list("cluster_id", flat=True) if c})
    assert clusters

    watch = Watch(page, live_server.url)
    login(page, "root", "root-password-1")
    pages = 0

    # The review queue: titles, sources; a search for a hostile name through the entity filter.
    watch.open("/")
    watch.shows("#article-rows", *(w.title for w in worlds), *(w.source for w in worlds))
    page.fill("#queue-filters input.entity-search", PEOPLE[0][1])
    # Options are built from the JSON answer, as text. (Waits are functions: the CSP forbids eval, even Playwright's.)
    page.wait_for_function("() => document.querySelectorAll('#queue-entities option').length > 0")
    options = page.eval_on_selector_all("#queue-entities option", "os => os.map(o => o.value)")
    assert any(worlds[0].person in o for o in options), options
    watch.settled()
    pages += 1

    for world, article in zip(worlds, articles, strict=True):
        # The article page: every field, the link, the facts, the text and the original text.
        watch.open(f"/articles/{article.pk}/")
        watch.shows("h1", world.title)
        assert page.locator("h1").first.is_visible()
        watch.shows(".meta", world.source)
        link = page.locator(".meta a[rel~=nofollow]")
        assert link.get_attribute("href") == world.url
        watch.shows(".text", world.body_text, world.person, world.trigger, world.date)
        watch.shows(".facts", world.person, world.org, world.new_name, world.date, world.trigger)
        watch.shows(".facts", world.role, world.role_of)
        watch.shows("details.removed pre", world.body_text)
        pages += 1

        # The review page, used from the keyboard: move, open an edit form, hover the text.
        watch.open(f"/articles/{article.pk}/review/")
        watch.shows("#review h1", world.title)
        watch.shows("#review-text", world.body_text, world.person, world.trigger, world.date)
        watch.shows(".sugg-list", world.person, world.org, world.new_name, world.trigger)
        watch.shows(".sugg-list .sentence", world.trigger, world.date)
        watch.shows(".fact-list", world.role, world.role_of, world.date)
        page.keyboard.press("j")
        page.keyboard.press("k")
        page.keyboard.press("j")
        page.keyboard.press("e")
        page.locator("#review details.edit[open]").first.wait_for()
        page.locator("#review-text mark").first.hover()
        page.locator("#review-text").click(position={"x": 5, "y": 5})
        watch.settled()
        # A decision through htmx: the swapped workspace is as inert as the page.
        page.keyboard.press("Escape")
        page.keyboard.press("k")  # back to the first suggestion, still pending
        with page.expect_response(re.compile(r"/review/mentions/\d+/decide/")):
            page.keyboard.press("a")
        page.wait_for_timeout(200)
        watch.settled()
        watch.shows("#review-text", world.body_text)
        pages += 1

        # The history: the analysts' decisions, with the names they gave, before and after.
        watch.open(f"/articles/{article.pk}/history/")
        watch.shows("h1", world.title)
        watch.shows("table.history", world.person, world.new_name)
        page.locator("table.history details summary").first.click()
        watch.settled()
        pages += 1

        # The person's page: name, aliases, roles, events, sentences, merge history, graph.
        person = Entity.objects.get(name=world.person)
        with page.expect_response(re.compile(rf"/entities/{person.pk}/graph\.json")) as graph:
            watch.open(f"/entities/{person.pk}/")
        watch.shows("h1", world.person)
        watch.shows(".aliases", world.alias)
        watch.shows(".roles-table", world.role)
        watch.shows(".timeline", world.trigger, world.title)
        watch.shows(".mention-sentences", world.person, world.role_text)
        watch.shows("table.merges", world.counterpart)
        names = [n["data"]["name"] for n in graph.value.json()["nodes"]]
        assert {world.person, world.counterpart, world.new_name} <= set(names)  # the graph's labels
        page.wait_for_selector("#entity-graph canvas")
        page.locator("#entity-graph").hover()
        watch.settled()
        pages += 1

        # The entity the analyst created and named.
        created = Entity.objects.get(name=world.new_name)
        watch.open(f"/entities/{created.pk}/")
        watch.shows("h1", world.new_name)
        pages += 1

    # The hub: every article's people in its graph (Cytoscape labels) and neighbours, every event.
    with page.expect_response(re.compile(rf"/entities/{hub.pk}/graph\.json")) as graph:
        watch.open(f"/entities/{hub.pk}/")
    names = [n["data"]["name"] for n in graph.value.json()["nodes"]]
    for world in worlds:
        assert world.person in names
    page.wait_for_selector("#entity-graph canvas")
    page.wait_for_function("() => document.getElementById('graph-status').hidden")
    watch.shows(".neighbours", *(w.person for w in worlds))
    watch.shows(".timeline", *(w.trigger for w in worlds), *(w.title for w in worlds))
    screenshot(page, "xss-hub")
    # Filtering reloads the graph in place, with the same labels.
    page.fill("#graph-filters input[name=from]", "2024-01-01")
    with page.expect_response(re.compile(r"/graph\.json\?from=2024-01-01")) as graph:
        page.click("#graph-filters button[type=submit]")
    assert {w.person for w in worlds} <= {n["data"]["name"] for n in graph.value.json()["nodes"]}
    page.wait_for_selector("#entity-graph canvas")
    watch.settled()
    pages += 1

    # Membership claims of the body: the members' names, the articles saying so.
    watch.open(f"/entities/{body.pk}/members/")
    watch.shows("table.claims", *(w.org for w in worlds))
    pages += 1

    # The entity list, searched.
    watch.open("/entities/?q=Ligue")
    watch.shows("main", *(w.org for w in worlds))
    pages += 1

    # The event clusters: titles, sources, triggers, sentences, participants.
    watch.open("/events/clusters/")
    pages += 1
    shown = ""
    for cluster in clusters:
        watch.open(f"/events/clusters/{cluster}/")
        shown += " ".join(page.locator("main").all_text_contents())
        pages += 1
    for world in worlds:
        for text in (world.title, world.source, world.trigger, world.person, world.counterpart):
            assert text in shown, text

    # The merge queue, pair by pair from the keyboard: names, aliases, roles, sentences, reasons.
    watch.open("/entities/merge/")
    for world in worlds:
        page.wait_for_selector("#merge-pair[data-keys=ready]")
        watch.shows(".merge-reason", world.reason)
        watch.shows(".merge-sides", world.person, world.alias, world.role, world.title, world.role_text)
        watch.settled()
        pages += 1
        page.keyboard.press("p")
        page.wait_for_load_state("load")
    page.wait_for_selector("text=Aucune paire à juger")

    # Import problems: on our page and in the admin's list of imports.
    for job in (jsonl_job, zip_job):
        watch.open(f"/imports/{job.pk}/")
        watch.shows("h1", job.display_name)
        for problem in job.problems.all():
            watch.shows("table.problems", problem.location, problem.reason)
        pages += 1
    watch.open("/admin/articles/importjob/")
    watch.shows("#result_list", jsonl_job.display_name)
    pages += 1
    for job in (jsonl_job, zip_job):
        watch.open(f"/admin/articles/importjob/{job.pk}/change/")
        for problem in job.problems.all():
            watch.shows("#content", problem.location, problem.reason)
        pages += 1
    imported = Article.objects.get(import_job=jsonl_job)
    watch.open(f"/articles/{imported.pk}/")
    watch.shows("h1", imported.title)
    assert imported.url == "" and page.locator(".meta a[rel~=nofollow]").count() == 0  # the javascript: URL went
    pages += 1

    # An .html file uploaded with a hostile name and hostile text (extracted by the real pipeline).
    name = p("svg", "uploadname").replace("/", "") + ".html"
    html = (
        "<html><head><title>Visite</title><script>window.__xss='uploadscript'</script></head><body><article>"
        "<h1>Visite à Dakar</h1><p>Dakar – Le ministre Mamadou Diallo a reçu son homologue malien pour une "
        "réunion sur la sécurité au Sahel et la coopération aux frontières.</p><p>Le texte cite "
        + p("img", "uploadtext").replace("<", "&lt;").replace(">", "&gt;")
        + " en toutes lettres.</p><img src=x onerror=\"window.__xss='uploadimg'\"></article></body></html>"
    )
    watch.open("/articles/new/")
    page.set_input_files("#id_files", files=[{"name": name, "mimeType": "text/html", "buffer": html.encode()}])
    page.click("form[action='/articles/upload/'] button[type=submit]")
    page.wait_for_selector("h1:has-text('Fichiers téléversés')")
    watch.settled()
    uploaded = Article.objects.get(origin=Article.Origin.UPLOAD)
    assert "<svg onload=window.__xss='uploadname-svg'>" in uploaded.original_filename  # the browser sends " as %22
    watch.shows("main table", "file " + uploaded.original_filename)
    pages += 2
    page.locator("main table a").first.click()
    page.wait_for_load_state("load")
    watch.settled()
    watch.shows(".meta", uploaded.original_filename)
    watch.shows(".text", p("img", "uploadtext"))
    pages += 1

    # A paste refused for its link comes back in its form: the text inside the <textarea>, as text.
    pasted = p("textarea", "pastetext") + " " + p("quotes", "pastetext")
    watch.open("/articles/new/")
    page.fill("#id_text", pasted)
    page.fill("#id_title", p("svg", "pastetitle"))
    page.fill("#id_url", JS_URL.format(f="pasteurl"))
    page.click("form[action='/articles/new/'] button[type=submit]")
    page.wait_for_selector("#id_text")
    watch.settled()
    assert page.input_value("#id_text") == pasted and page.input_value("#id_title") == p("svg", "pastetitle")
    assert page.locator("textarea").count() == 1
    pages += 1

    assert watch.dialogs == []
    assert watch.violations == []
    assert watch.missing_policy == []
    assert watch.checked >= pages
    print(f"\n{watch.seen} payloads seen as text, on {pages} pages; {watch.checked} responses with the policy")

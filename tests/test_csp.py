"""The Content-Security-Policy: sent on every page, strict (no inline script or style, no eval),
and our templates and scripts need nothing it forbids."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from articles import services
from entities.models import Entity, Event
from tests.factories import extracted

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


def directives(policy: str) -> dict[str, list[str]]:
    parts = (p.split() for p in policy.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


def assert_strict(response) -> None:
    policy = response.headers.get("Content-Security-Policy")
    assert policy == settings.VIGIE_CSP, (response.request["PATH_INFO"], policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    rules = directives(policy)
    for name in ("script-src", "style-src"):
        assert rules[name] == ["'self'"], (name, rules)
    assert rules["default-src"] == ["'self'"]
    assert rules["object-src"] == ["'none'"] and rules["frame-ancestors"] == ["'none'"]


def test_it_sends_the_policy_on_the_login_page_and_its_failures(client):
    assert_strict(client.get(reverse("login")))
    assert_strict(client.post(reverse("login"), {"username": "x", "password": "y"}))
    assert_strict(client.get("/no-such-page/"))  # a redirect to the login page


def test_it_sends_the_policy_on_every_page_of_the_app(client, owner, tmp_path):
    article = extracted(owner)
    entity = Entity.objects.get(name="Mohamed Hassad")
    cluster = Event.objects.get(article=article).cluster
    client.force_login(owner)
    pages = [
        reverse("articles:list"),
        reverse("articles:list") + "?partial=rows",
        reverse("articles:new"),
        article.get_absolute_url(),
        reverse("review:page", args=[article.pk]),
        reverse("review:history", args=[article.pk]),
        reverse("entities:list"),
        reverse("entities:entity", args=[entity.pk]),
        reverse("entities:graph", args=[entity.pk]),
        reverse("entities:members", args=[entity.pk]),
        reverse("entities:merge_queue"),
        reverse("clusters:list"),
        reverse("clusters:detail", args=[cluster.pk]),
        "/articles/999999/",  # a 404
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        assert_strict(response)
    # A write answered to htmx, and one redirected.
    response = client.post(
        reverse("review:claim", args=[article.pk]), {"version": article.version}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert_strict(response)


def test_it_sends_the_policy_on_the_admin_and_its_import_pages(client, admin_user, tmp_path):
    path = tmp_path / "lot.jsonl"
    path.write_text('{"text": "Rabat – Le ministre a reçu son homologue pour une réunion de travail."}\n{broken\n')
    job = services.import_job_create(actor=None, path=str(path), format="jsonl", enqueue=False)
    services.import_job_run(job.pk)
    client.force_login(admin_user)
    for url in (
        reverse("admin:index"),
        reverse("admin:articles_importjob_changelist"),
        reverse("admin:articles_importjob_add"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:entities_entity_changelist"),
        reverse("admin:jsi18n"),
        job.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)
    assert "invalid JSON" in client.get(job.get_absolute_url()).content.decode()


def test_it_sends_the_policy_on_the_admin_page_of_one_import(client, admin_user, tmp_path):
    path = tmp_path / "lot.jsonl"
    path.write_text("{broken\n")
    job = services.import_job_create(actor=None, path=str(path), format="jsonl", enqueue=False)
    services.import_job_run(job.pk)
    client.force_login(admin_user)
    response = client.get(reverse("admin:articles_importjob_change", args=[job.pk]))
    assert response.status_code == 200
    assert_strict(response)
    assert "invalid JSON" in response.content.decode()


def test_it_lets_a_view_keep_a_stricter_policy_of_its_own(rf, settings):
    from django.http import HttpResponse

    from config.middleware import ContentSecurityPolicyMiddleware

    own = "default-src 'none'; sandbox"

    def view(request):
        response = HttpResponse("x")
        response.headers["Content-Security-Policy"] = own
        return response

    assert ContentSecurityPolicyMiddleware(view)(rf.get("/"))["Content-Security-Policy"] == own
    plain = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("x"))(rf.get("/"))
    assert plain["Content-Security-Policy"] == settings.VIGIE_CSP


# ---------------------------------------------------------------------------
# What the policy forbids, looked for in our own templates and scripts.

TEMPLATE_TAG = re.compile(r"{%.*?%}|{#.*?#}", re.S)
VARIABLE = re.compile(r"{{.*?}}", re.S)


class _Inline(HTMLParser):
    """Collects every inline script, <style> element, style attribute and on* handler of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name.lower() for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        if "style" in names:
            self.found.append(f"style= on <{tag}>")
        self.found += [f"{name}= on <{tag}>" for name in sorted(names) if re.fullmatch(r"on[a-z]+", name)]
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"javascript: URL in <{tag} {name}>")

    handle_startendtag = handle_starttag


def inline_code(template_source: str) -> list[str]:
    # Template tags become spaces (an attribute inside {% if %} is still an attribute), variables a word.
    source = VARIABLE.sub("x", TEMPLATE_TAG.sub(" ", template_source))
    parser = _Inline()
    parser.feed(source)
    parser.close()
    return parser.found


@pytest.mark.parametrize(
    "source, found",
    [
        ("<script>alert(1)</script>", ["inline <script>"]),
        ("<script src=\"{% static 'js/a.js' %}\" defer></script>", []),
        ("<style>p{}</style>", ["<style> element"]),
        ('<p{% if x %} style="color: red"{% endif %}>', ["style= on <p>"]),
        ('<button type="button" onclick="go()">', ["onclick= on <button>"]),
        ('<img src="x.png" onerror="{{ js }}"/>', ["onerror= on <img>"]),
        ('<a href="javascript:go()">', ["javascript: URL in <a href>"]),
        ('<p data-one="1" class="on">{{ onclick }} one=2</p>', []),
    ],
)
def test_the_scan_finds_what_the_policy_forbids(source, found):
    assert inline_code(source) == found


def test_no_template_has_inline_script_style_or_handler():
    templates = sorted((ROOT / "templates").rglob("*.html"))
    assert len(templates) > 20
    offences = {str(t.relative_to(ROOT)): inline_code(t.read_text(encoding="utf-8")) for t in templates}
    assert {name: found for name, found in offences.items() if found} == {}


# Script patterns that the policy blocks (eval) or that write markup or inline style (innerHTML with a
# style= attribute, setAttribute("style")); setting element.style.x through the CSSOM is allowed.
FORBIDDEN_JS = re.compile(
    r"\beval\s*\(|\bnew\s+Function\s*\(|setAttribute\(\s*[\"']style[\"']|\.innerHTML\s*=|insertAdjacentHTML|"
    r"document\.write|setTimeout\(\s*[\"']|setInterval\(\s*[\"']"
)


def test_our_scripts_neither_eval_nor_write_markup():
    scripts = [p for p in sorted((ROOT / "static" / "js").glob("*.js")) if not p.name.endswith(".min.js")]
    assert len(scripts) >= 4
    found = {p.name: FORBIDDEN_JS.findall(p.read_text(encoding="utf-8")) for p in scripts}
    assert {name: hits for name, hits in found.items() if hits} == {}
    assert FORBIDDEN_JS.search('el.setAttribute("style", "x")') and FORBIDDEN_JS.search("box.innerHTML = html")


def test_htmx_is_told_not_to_inject_style_nor_evaluate():
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", base)
    assert config is not None
    wanted = {"includeIndicatorStyles": False, "allowEval": False, "allowScriptTags": False}
    assert json.loads(config.group(1)).items() >= wanted.items()

"""The review page and its actions.

Thin views: get the article the user may see (404 otherwise), validate a form,
call one service of ``entities.review``, then either re-render the review
workspace (htmx) or redirect back to the page (plain POST, no JavaScript).
Every action is a POST with a CSRF token and needs ``articles.review_article``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from articles import selectors as article_selectors
from articles import services as article_services
from articles.filters import QueueFilter
from articles.models import Article
from entities import forms, review
from entities.models import Entity, Event, Label
from entities.nlp.normalize import name_key
from entities.selectors import article_history, describe, review_context

REVIEW_PERMISSION = "articles.review_article"


def review_write(view: Callable) -> Callable:
    """A view that changes a review: POST (CSRF-checked) by a user allowed to review."""
    return require_POST(permission_required(REVIEW_PERMISSION, raise_exception=True)(view))


def _article(request: HttpRequest, pk: int) -> Article:
    try:
        return article_selectors.article_detail(request.user, pk)
    except Article.DoesNotExist:
        raise Http404("No such article") from None


def _queue_query(request: HttpRequest) -> str:
    """The queue filters the analyst came with (kept across actions and "next article")."""
    raw = request.POST.get("queue", "") if request.method == "POST" else request.GET.urlencode()
    # Re-encoded: whatever was posted, it comes back as a plain query string of our own URLs.
    return QueryDict(raw).urlencode()


def _page_context(request: HttpRequest, article: Article) -> dict:
    undoable = review.last_undoable(request.user, article.pk)
    reviewed = article.status == Article.Status.REVIEWED
    queue_query = _queue_query(request)
    return {
        "article": article,
        "reviewed": reviewed,
        # The hidden fields of every form on the page, built once (a page has hundreds of forms).
        "form_head": format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="version" value="{}"><input type="hidden" name="queue" value="{}">',
            get_token(request),
            article.version,
            queue_query,
        ),
        "can_act": request.user.has_perm(REVIEW_PERMISSION) and not reviewed,
        "queue_query": queue_query,
        "labels": Label.choices,
        "event_types": Event.Type.choices,
        "argument_roles": review.ARGUMENT_ROLES,
        "undoable": describe(undoable) if undoable else "",
        "can_claim": not article.claim_is_live and article.status in article_services.REVIEWABLE,
        **review_context(article),
    }


@require_GET
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The review page. A GET writes nothing: "review next", "take it" or a first decision claims the article."""
    article = _article(request, pk)
    return render(request, "entities/review.html", _page_context(request, article))


@review_write
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk)
    if article_services.article_claim(actor=request.user, article=article):
        messages.success(request, "Article pris en relecture.")
    else:
        messages.error(request, "Un autre analyste relit déjà cet article (ou il n'est pas à relire).")
    return _respond(request, pk)


def _respond(request: HttpRequest, pk: int) -> HttpResponse:
    if request.htmx:
        article = _article(request, pk)
        return render(request, "entities/_review.html", _page_context(request, article))
    url = reverse("review:page", args=[pk])
    query = _queue_query(request)
    return redirect(f"{url}?{query}" if query else url)


def _act(request: HttpRequest, pk: int, form_class: type[forms.VersionForm], call: Callable[[Article, dict], str]):
    article = _article(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _respond(request, pk)
    try:
        done = call(article, form.cleaned_data)
    except review.ReviewError as exc:
        _report_refusal(request, exc)
    else:
        if done:
            messages.success(request, done)
    return _respond(request, pk)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@review_write
def mention_decide(request: HttpRequest, pk: int, mention_id: int) -> HttpResponse:
    def call(article: Article, data: dict) -> str:
        n = review.mention_decide(
            actor=request.user,
            article_id=article.pk,
            mention_id=mention_id,
            status=data["status"],
            version=data["version"],
            same_text=data["same_text"],
        )
        return "" if n == 1 else f"{n} mentions identiques traitées."

    return _act(request, pk, forms.MentionDecideForm, call)


@review_write
def mention_correct(request: HttpRequest, pk: int, mention_id: int) -> HttpResponse:
    def call(article: Article, data: dict) -> str:
        review.mention_correct(
            actor=request.user,
            article_id=article.pk,
            mention_id=mention_id,
            start=data["start"],
            end=data["end"],
            label=data["label"],
            version=data["version"],
        )
        return "Mention corrigée."

    return _act(request, pk, forms.SpanForm, call)


@review_write
def mention_link(request: HttpRequest, pk: int, mention_id: int) -> HttpResponse:
    def call(article: Article, data: dict) -> str:
        mention = review.mention_link(
            actor=request.user,
            article_id=article.pk,
            mention_id=mention_id,
            version=data["version"],
            entity_id=data.get("entity"),
            new_name=data.get("new_name") or "",
        )
        return f"« {mention.text} » est liée à « {mention.entity.name} »."

    return _act(request, pk, forms.MentionLinkForm, call)


@review_write
def mention_add(request: HttpRequest, pk: int) -> HttpResponse:
    def call(article: Article, data: dict) -> str:
        mention = review.mention_add(
            actor=request.user,
            article_id=article.pk,
            start=data["start"],
            end=data["end"],
            label=data["label"],
            version=data["version"],
        )
        return f"Mention « {mention.text} » ajoutée."

    return _act(request, pk, forms.SpanForm, call)


@review_write
def event_decide(request: HttpRequest, pk: int, event_id: int) -> HttpResponse:
    def call(article: Article, data: dict) -> str:
        review.event_decide(
            actor=request.user, article_id=article.pk, event_id=event_id, status=data["status"], version=data["version"]
        )
        return ""

    return _act(request, pk, forms.DecideForm, call)


@review_write
def event_update(request: HttpRequest, pk: int, event_id: int) -> HttpResponse:
    def call(article: Article, data: dict) -> str:
        review.event_update(
            actor=request.user,
            article_id=article.pk,
            event_id=event_id,
            version=data["version"],
            type=data["type"],
            date_value=data["date_value"],
            date_precision=data["date_precision"],
            location_id=data["location"],
        )
        return "Événement modifié."

    return _act(request, pk, forms.EventUpdateForm, call)


@review_write
def event_argument_add(request: HttpRequest, pk: int, event_id: int) -> HttpResponse:
    def call(article: Article, data: dict) -> str:
        review.event_argument_add(
            actor=request.user,
            article_id=article.pk,
            event_id=event_id,
            version=data["version"],
            role=data["role"],
            mention_id=data["mention"],
        )
        return "Argument ajouté."

    return _act(request, pk, forms.ArgumentAddForm, call)


@review_write
def event_argument_remove(request: HttpRequest, pk: int, event_id: int, argument_id: int) -> HttpResponse:
    def call(article: Article, data: dict) -> str:
        review.event_argument_remove(
            actor=request.user,
            article_id=article.pk,
            event_id=event_id,
            argument_id=argument_id,
            version=data["version"],
        )
        return "Argument retiré."

    return _act(request, pk, forms.VersionForm, call)


@review_write
def accept_remaining(request: HttpRequest, pk: int) -> HttpResponse:
    def call(article: Article, data: dict) -> str:
        n = review.review_accept_remaining(actor=request.user, article_id=article.pk, version=data["version"])
        return _count(n, "suggestion acceptée.", "suggestions acceptées.")

    return _act(request, pk, forms.VersionForm, call)


@review_write
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    def call(article: Article, data: dict) -> str:
        n = review.review_undo(actor=request.user, article_id=article.pk, version=data["version"])
        return "Décision annulée." if n == 1 else f"Décision annulée ({n} changements)."

    return _act(request, pk, forms.VersionForm, call)


@review_write
def mark_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the article reviewed, then go on with the next article of the same queue."""
    article = _article(request, pk)
    form = forms.VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Version manquante : rechargez la page.")
        return _respond(request, pk)
    try:
        review.review_mark_done(actor=request.user, article_id=article.pk, version=form.cleaned_data["version"])
    except review.ReviewError as exc:
        _report_refusal(request, exc)
        return _respond(request, pk)
    messages.success(request, f"« {article.title} » est relu.")
    return _next_article(request, _queue_query(request))


def _report_refusal(request: HttpRequest, exc: review.ReviewError) -> None:
    """The refusal, and for a stale page the decisions made since it was shown."""
    messages.error(request, str(exc))
    for change in getattr(exc, "changes", [])[:12]:
        messages.warning(request, f"{change.actor or '?'} {describe(change)}")


def _next_article(request: HttpRequest, query: str) -> HttpResponse:
    params = QueryDict(query)
    scoped = article_selectors.queue(request.user)
    queue = QueueFilter(params, queryset=scoped, request=request)
    article = article_services.article_claim_next(actor=request.user, queryset=queue.qs) if queue.is_valid() else None
    if article is None:
        messages.info(request, "Plus aucun article à relire avec ces filtres.")
        target = reverse("articles:list") + (f"?{query}" if query else "")
    else:
        target = reverse("review:page", args=[article.pk]) + (f"?{query}" if query else "")
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


@review_write
def queue_next(request: HttpRequest) -> HttpResponse:
    """ "Review next": the oldest unclaimed article matching the queue's current filters, claimed for me."""
    return _next_article(request, _queue_query(request))


@review_write
def release(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk)
    if article_services.article_release(actor=request.user, article=article):
        messages.info(request, "Article rendu : un autre analyste peut le prendre.")
    query = _queue_query(request)
    return redirect(reverse("articles:list") + (f"?{query}" if query else ""))


@require_POST
@permission_required("articles.reopen_article", raise_exception=True)
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    def call(article: Article, data: dict) -> str:
        review.review_reopen(actor=request.user, article_id=article.pk, version=data["version"])
        return "Article rouvert : il peut de nouveau être modifié."

    return _act(request, pk, forms.VersionForm, call)


@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk)
    return render(request, "entities/history.html", {"article": article, "entries": article_history(article)})


@require_GET
def entity_search(request: HttpRequest) -> JsonResponse:
    """Autocomplete: entities whose name or normalised key starts with (or contains) the query."""
    query = request.GET.get("q", "").strip()
    label = request.GET.get("label", "")
    if len(query) < 2:
        return JsonResponse({"results": []})
    key = name_key(query) or query.casefold()
    entities = Entity.objects.filter(merged_into__isnull=True, key__startswith=key)
    if label in Label.values:
        entities = entities.filter(label=label)
    rows = list(entities.order_by("key", "pk").values("pk", "name", "label")[:15])
    if len(rows) < 15:
        more = Entity.objects.filter(merged_into__isnull=True, key__contains=key).exclude(
            pk__in=[r["pk"] for r in rows]
        )
        if label in Label.values:
            more = more.filter(label=label)
        rows += list(more.order_by("key", "pk").values("pk", "name", "label")[: 15 - len(rows)])
    return JsonResponse({"results": [{"id": r["pk"], "name": r["name"], "label": r["label"]} for r in rows]})

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles import selectors, services
from articles.filters import QueueFilter
from articles.forms import PasteForm, UploadForm
from articles.models import Article
from entities.cluster_selectors import related_articles, republication_siblings
from entities.models import Entity
from entities.selectors import article_suggestions

PAGE_SIZE = 50


SORTABLE = [
    ("pk", "#", "created_at"),
    ("title", "Titre", "title"),
    ("source", "Source", "source"),
    ("published", "Publication", "published_at"),
    ("status", "Statut", "status"),
    ("created", "Ajouté", "created_at"),
]


def _sort_links(request, current: list[str]) -> list[dict]:
    """Column headers that sort by their column, toggling the direction; the other filters stay."""
    links = []
    for key, title, field in SORTABLE:
        params = request.GET.copy()
        params.pop("page", None)
        direction = "asc" if field in current else "desc" if f"-{field}" in current else ""
        params["o"] = f"-{field}" if direction == "asc" else field
        links.append({"key": key, "title": title, "url": f"?{params.urlencode()}", "direction": direction})
    return links


def _current_order(queue: QueueFilter) -> list[str]:
    data = queue.form.cleaned_data if queue.is_valid() else {}
    if data.get("o"):
        return list(data["o"])
    published = data.get("published")
    return ["-published_at"] if published and (published.start or published.stop) else ["-created_at"]


def _entity_name(queue: QueueFilter) -> str:
    entity_id = queue.form.cleaned_data.get("entity") if queue.is_valid() else None
    if not entity_id:
        return ""
    entity = Entity.objects.filter(pk=entity_id).only("name", "label").first()
    return f"{entity.name} ({entity.label})" if entity else ""


@require_GET
def article_list(request):
    """The review queue: every article the user may see, filtered, sorted and paginated."""
    scoped = selectors.queue(request.user)
    queue = QueueFilter(request.GET, queryset=scoped, request=request)
    paginator = selectors.CappedPaginator(queue.qs, PAGE_SIZE, cap=settings.VIGIE_QUEUE_COUNT_CAP)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("partial", None)
    context = {
        "filter": queue,
        "page": page,
        "status_counts": selectors.article_status_counts(scoped),
        "polling": any(a.is_processing for a in page),
        "query": params.urlencode(),
        "reviewable": services.REVIEWABLE,
        "entity_name": _entity_name(queue),
        "sort_links": _sort_links(request, _current_order(queue)),
    }
    if request.htmx and request.GET.get("partial") == "rows":
        return render(request, "articles/_article_rows.html", context)
    return render(request, "articles/article_list.html", context)


@require_GET
def article_detail(request, pk: int):
    try:
        article = selectors.article_detail(request.user, pk)
    except Article.DoesNotExist:
        raise Http404("No such article") from None
    republications = article.republications.only("id", "title", "near_duplicate_score", "created_at")
    context = {
        "article": article,
        "republications": republications,
        "facts": article_suggestions(article),
        "related": related_articles(article, limit=8),
        "republication_siblings": republication_siblings(article),
    }
    return render(request, "articles/article_detail.html", context)


@require_GET
def article_status(request, pk: int):
    article = get_object_or_404(selectors.article_list(request.user), pk=pk)
    return render(request, "articles/_status.html", {"article": article, "poll": True})


@require_http_methods(["GET", "POST"])
@permission_required("articles.add_article", raise_exception=True)
def article_new(request):
    form = PasteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.article_create_from_paste(actor=request.user, **form.cleaned_data)
        except services.IngestError as exc:
            form.add_error("text", f"Article refusé : {exc}.")
        else:
            if outcome.kind == "duplicate":
                messages.warning(request, f"Ce texte est déjà enregistré ({outcome.reason}) : rien n'a été ajouté.")
            else:
                messages.success(request, "Article enregistré ; l'extraction est en file.")
                for flag in outcome.flags:
                    messages.warning(request, flag)
            return redirect(outcome.article.get_absolute_url())
    return render(request, "articles/article_new.html", {"form": form, "upload_form": UploadForm()})


@require_POST
@permission_required("articles.add_article", raise_exception=True)
def article_upload(request):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "articles/article_new.html", {"form": PasteForm(), "upload_form": form}, status=400)
    outcomes = services.articles_create_from_uploads(
        actor=request.user, files=form.cleaned_data["files"], source=form.cleaned_data["source"]
    )
    return render(request, "articles/upload_result.html", {"outcomes": outcomes})


@require_POST
@permission_required("articles.review_article", raise_exception=True)
def article_retry(request, pk: int):
    article = get_object_or_404(selectors.articles_visible_to(request.user), pk=pk)
    if services.article_requeue(actor=request.user, article=article):
        messages.success(request, "Article remis en file d'extraction.")
    else:
        messages.info(request, "Cet article n'est pas en échec : rien à relancer.")
    return redirect(article.get_absolute_url())


@require_GET
@permission_required("articles.view_importjob", raise_exception=True)
def import_detail(request, pk: int):
    job = get_object_or_404(selectors.import_jobs_visible_to(request.user), pk=pk)
    problems = Paginator(job.problems.select_related("article").all(), 100).get_page(request.GET.get("page"))
    template = "articles/_import_progress.html" if request.htmx else "articles/import_detail.html"
    return render(request, template, {"job": job, "problems": problems})

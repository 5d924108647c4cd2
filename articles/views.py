from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from articles import selectors, services
from articles.filters import ArticleListFilter
from articles.forms import PasteForm, UploadForm
from articles.models import Article
from entities.selectors import article_suggestions

PAGE_SIZE = 50


def article_list(request):
    scoped = selectors.article_list(request.user)
    article_filter = ArticleListFilter(request.GET, queryset=scoped)
    page = Paginator(article_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": article_filter,
        "page": page,
        "status_counts": selectors.article_status_counts(scoped),
        "polling": any(a.is_processing for a in page),
    }
    if request.htmx and request.GET.get("partial") == "rows":
        return render(request, "articles/_article_rows.html", context)
    return render(request, "articles/article_list.html", context)


def article_detail(request, pk: int):
    try:
        article = selectors.article_detail(request.user, pk)
    except Article.DoesNotExist:
        raise Http404("No such article") from None
    republications = article.republications.only("id", "title", "near_duplicate_score", "created_at")
    context = {"article": article, "republications": republications, "facts": article_suggestions(article)}
    return render(request, "articles/article_detail.html", context)


def article_status(request, pk: int):
    article = get_object_or_404(selectors.article_list(request.user), pk=pk)
    return render(request, "articles/_status.html", {"article": article, "poll": True})


@require_http_methods(["GET", "POST"])
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
def article_upload(request):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "articles/article_new.html", {"form": PasteForm(), "upload_form": form}, status=400)
    outcomes = services.articles_create_from_uploads(
        actor=request.user, files=form.cleaned_data["files"], source=form.cleaned_data["source"]
    )
    return render(request, "articles/upload_result.html", {"outcomes": outcomes})


@require_POST
def article_retry(request, pk: int):
    article = get_object_or_404(selectors.articles_visible_to(request.user), pk=pk)
    if services.article_requeue(actor=request.user, article=article):
        messages.success(request, "Article remis en file d'extraction.")
    else:
        messages.info(request, "Cet article n'est pas en échec : rien à relancer.")
    return redirect(article.get_absolute_url())


@permission_required("articles.view_importjob", raise_exception=True)
def import_detail(request, pk: int):
    job = get_object_or_404(selectors.import_jobs_visible_to(request.user), pk=pk)
    problems = Paginator(job.problems.select_related("article").all(), 100).get_page(request.GET.get("page"))
    template = "articles/_import_progress.html" if request.htmx else "articles/import_detail.html"
    return render(request, template, {"job": job, "problems": problems})

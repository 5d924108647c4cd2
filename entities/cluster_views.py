"""Event clusters: the list, the event page and the analyst's actions on a cluster.

Thin views: get the cluster the user may see (404 otherwise; a merged cluster redirects to the one
it was merged into), validate a form, call one service of ``entities.clustering``, then redirect
back to the event page with a message. Every action is a plain form POST with a CSRF token and
needs ``articles.review_article``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from entities import cluster_selectors as selectors
from entities import clustering
from entities.cluster_filters import ClusterFilter
from entities.cluster_forms import ClusterAttachForm, ClusterMergeForm
from entities.models import EventCluster

REVIEW_PERMISSION = "articles.review_article"
PAGE_SIZE = 50


def cluster_write(view: Callable) -> Callable:
    """A view that changes a cluster: POST (CSRF-checked) by a user allowed to review."""
    return require_POST(permission_required(REVIEW_PERMISSION, raise_exception=True)(view))


def _cluster(request: HttpRequest, pk: int) -> EventCluster:
    try:
        return selectors.cluster_survivor(request.user, pk)
    except EventCluster.DoesNotExist:
        raise Http404("No such cluster") from None


def _back(pk: int) -> HttpResponse:
    return redirect("clusters:detail", pk=pk)


@require_GET
def cluster_list(request: HttpRequest) -> HttpResponse:
    clusters = ClusterFilter(request.GET, queryset=selectors.cluster_list(request.user), request=request)
    page = Paginator(clusters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"filter": clusters, "page": page, "rows": selectors.with_labels(page), "query": params.urlencode()}
    return render(request, "entities/cluster_list.html", context)


@require_GET
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _cluster(request, pk)
    if cluster.pk != pk:
        return redirect(cluster.get_absolute_url())
    context = {
        **selectors.cluster_page(cluster),
        "can_act": request.user.has_perm(REVIEW_PERMISSION),
        "merge_form": ClusterMergeForm(),
        "attach_form": ClusterAttachForm(),
    }
    return render(request, "entities/cluster_detail.html", context)


def _refused(request: HttpRequest, exc: clustering.ClusterError, pk: int) -> HttpResponse:
    messages.error(request, str(exc))
    return _back(pk)


def _form_errors(request: HttpRequest, form, pk: int) -> HttpResponse:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return _back(pk)


@cluster_write
def cluster_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _cluster(request, pk)
    try:
        cluster = clustering.cluster_confirm(actor=request.user, cluster_id=cluster.pk)
    except clustering.ClusterError as exc:
        return _refused(request, exc, cluster.pk)
    messages.success(request, "Groupe confirmé : chacun de ses rapports y est désormais sûr.")
    return _back(cluster.pk)


@cluster_write
def cluster_detach(request: HttpRequest, pk: int, event_id: int) -> HttpResponse:
    cluster = _cluster(request, pk)
    if not selectors.cluster_has_report(cluster, event_id):
        messages.error(request, "Ce rapport n'est plus dans ce groupe : la page a été rechargée.")
        return _back(cluster.pk)
    try:
        new = clustering.cluster_detach(actor=request.user, event_id=event_id)
    except clustering.ClusterError as exc:
        return _refused(request, exc, cluster.pk)
    messages.success(request, f"Rapport détaché : il forme maintenant le groupe n° {new.pk}.")
    return _back(cluster.pk)


@cluster_write
def cluster_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """The other cluster's reports join this one."""
    cluster = _cluster(request, pk)
    form = ClusterMergeForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form, cluster.pk)
    other = form.cleaned_data["other"]
    if other == cluster.pk:
        messages.error(request, "Un groupe ne peut pas être fusionné avec lui-même.")
        return _back(cluster.pk)
    try:
        target = clustering.cluster_merge(actor=request.user, source_id=other, target_id=cluster.pk)
    except clustering.ClusterError as exc:
        return _refused(request, exc, cluster.pk)
    messages.success(request, f"Le groupe n° {other} est fusionné dans celui-ci.")
    return _back(target.pk)


@cluster_write
def cluster_attach(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _cluster(request, pk)
    form = ClusterAttachForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form, cluster.pk)
    try:
        target = clustering.cluster_attach(
            actor=request.user, event_id=form.cleaned_data["event"], cluster_id=cluster.pk
        )
    except clustering.ClusterError as exc:
        return _refused(request, exc, cluster.pk)
    messages.success(request, f"L'événement n° {form.cleaned_data['event']} est rattaché à ce groupe.")
    return _back(target.pk)

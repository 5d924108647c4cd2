"""Entity pages, their graph, the entity list and the merge queue.

Thin views: read through ``entities.entity_selectors``, write through one service of
``entities.merging``. Every write is a plain form POST (CSRF-checked) that needs
``entities.merge_entity`` and redirects; reading needs a login only (the middleware asks for it).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from entities import entity_selectors as selectors
from entities import merging
from entities.entity_forms import EntityFilter, GraphForm, JudgeForm, MergeForm, parse_skip, skip_param
from entities.models import Entity, EntityCandidate, EntityMerge, Judgement, Label

MERGE_PERMISSION = "entities.merge_entity"
ARTICLES_PER_PAGE = 20
ENTITIES_PER_PAGE = 50
NEIGHBOURS = 15
WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")


def merge_write(view: Callable) -> Callable:
    """A view that merges, splits or judges entities: POST (CSRF-checked) by a user allowed to merge."""
    return require_POST(permission_required(MERGE_PERMISSION, raise_exception=True)(view))


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def entity_list(request: HttpRequest) -> HttpResponse:
    """Unmerged entities, searched by name and filtered by type, most mentioned first."""
    entities = EntityFilter(request.GET, queryset=selectors.entity_list(), request=request)
    # An invalid filter shows its error and no rows, never every entity as if it were not there.
    rows = entities.qs if entities.is_valid() else Entity.objects.none()
    page = Paginator(rows, ENTITIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "entities/entity_list.html",
        {"filter": entities, "page": page, "query": _query_without_page(request)},
    )


@require_GET
def entity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entity = get_object_or_404(Entity, pk=pk)
    if entity.merged_into_id:
        survivor = selectors.entity_survivor(entity)
        if survivor.merged_into_id is None:
            messages.info(request, f"« {entity.name} » a été fusionnée dans « {survivor.name} ».")
            return redirect(survivor)
    page = Paginator(selectors.entity_articles(entity.pk), ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.entity_mention_count(entity.pk)
    graph_form = GraphForm.from_query(request.GET)
    graph_form.is_valid()
    context = {
        "entity": entity,
        "counts": counts,
        "page": page,
        "groups": selectors.mention_groups(entity.pk, list(page)),
        "roles": selectors.entity_roles(entity.pk),
        "events": selectors.entity_events(entity.pk),
        "max_events": selectors.MAX_EVENTS,
        "neighbours": selectors.entity_neighbours(entity.pk, limit=NEIGHBOURS),
        "merges": selectors.entity_merges(entity.pk),
        "can_merge": request.user.has_perm(MERGE_PERMISSION),
        "graph_form": graph_form,
        "graph_query": _graph_query(graph_form),
        "wikidata": entity.external_ref if WIKIDATA_ID.fullmatch(entity.external_ref or "") else "",
        "labels": Label.choices,
        "query": _query_without_page(request),
    }
    return render(request, "entities/entity_detail.html", context)


def _graph_query(form: GraphForm) -> str:
    """The graph's filters as the JSON endpoint reads them (only valid ones)."""
    if not form.is_valid():
        return ""
    params = QueryDict(mutable=True)
    if form.cleaned_data["date_from"]:
        params["from"] = form.cleaned_data["date_from"].isoformat()
    if form.cleaned_data["date_to"]:
        params["to"] = form.cleaned_data["date_to"].isoformat()
    params.setlist("label", form.cleaned_data["label"])
    return params.urlencode()


@require_GET
def entity_graph(request: HttpRequest, pk: int) -> JsonResponse:
    """The co-occurrence and event-participation graph around an entity, as Cytoscape elements."""
    entity = get_object_or_404(Entity.objects.only("pk", "name", "label", "merged_into_id"), pk=pk)
    if entity.merged_into_id:
        entity = selectors.entity_survivor(entity)
    form = GraphForm.from_query(request.GET)
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return JsonResponse({"errors": errors}, status=400)
    data = form.cleaned_data
    graph = selectors.entity_graph(entity, date_from=data["date_from"], date_to=data["date_to"], labels=data["label"])
    return JsonResponse(
        {
            "entity": entity.pk,
            "filters": {
                "from": data["date_from"].isoformat() if data["date_from"] else None,
                "to": data["date_to"].isoformat() if data["date_to"] else None,
                "label": data["label"],
            },
            **graph,
        }
    )


@merge_write
def entity_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """« Fusionner avec… » from an entity page."""
    entity = get_object_or_404(Entity, pk=pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(entity)
    other = form.cleaned_data["other"]
    keep_this = form.cleaned_data["keep"] == MergeForm.KEEP_THIS
    source_id, target_id = (other, entity.pk) if keep_this else (entity.pk, other)
    try:
        merge = merging.entity_merge(actor=request.user, source_id=source_id, target_id=target_id)
    except merging.MergeError as exc:
        messages.error(request, str(exc))
        return redirect(entity)
    messages.success(request, f"« {merge.source.name} » est fusionnée dans « {merge.target.name} ».")
    return redirect(merge.target)


@merge_write
def merge_split(request: HttpRequest, merge_id: int) -> HttpResponse:
    """Split a merge back (from the survivor's page)."""
    merge = get_object_or_404(EntityMerge.objects.select_related("source", "target"), pk=merge_id)
    try:
        merging.entity_unmerge(actor=request.user, merge_id=merge.pk)
    except merging.MergeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"« {merge.source.name} » est séparée de « {merge.target.name} ».")
    return redirect(merge.target)


@require_GET
def merge_queue(request: HttpRequest) -> HttpResponse:
    """The next pair to judge, side by side; « Passer » adds it to ``?skip=`` (a plain link)."""
    skip = parse_skip(request.GET.get("skip", ""))
    candidate = selectors.next_candidate(skip)
    context = {
        "candidate": candidate,
        "skip": skip_param(skip),
        "skipped": len(skip),
        "remaining": selectors.open_candidates(skip).count(),
        "can_judge": request.user.has_perm(MERGE_PERMISSION),
        "verdicts": [
            ("same", "Identiques", "s"),
            ("not_same", "Différents", "d"),
            ("unsure", "Incertain", "u"),
        ],
    }
    if candidate is not None:
        context["pair"] = [selectors.entity_summary(candidate.left), selectors.entity_summary(candidate.right)]
        context["skip_next"] = skip_param([*skip, candidate.pk])
    return render(request, "entities/merge_queue.html", context)


def _queue_url(skip: list[int]) -> str:
    url = reverse("entities:merge_queue")
    return f"{url}?skip={skip_param(skip)}" if skip else url


@merge_write
def merge_judge(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = get_object_or_404(EntityCandidate.objects.select_related("left", "right"), pk=candidate_id)
    form = JudgeForm(request.POST)
    skip = parse_skip(request.POST.get("skip", ""))
    if not form.is_valid():
        messages.error(request, "Verdict inconnu.")
        return redirect(_queue_url(skip))
    verdict = form.cleaned_data["verdict"]
    left, right = candidate.left, candidate.right
    try:
        merging.entity_judge(actor=request.user, left_id=left.pk, right_id=right.pk, verdict=verdict)
    except merging.MergeError as exc:
        messages.error(request, str(exc))
        return redirect(_queue_url(skip))
    if verdict == Judgement.Verdict.SAME:
        left.refresh_from_db(fields=["merged_into"])
        source, target = (left, right) if left.merged_into_id else (right, left)
        messages.success(request, f"« {source.name} » est fusionnée dans « {target.name} ».")
    else:
        label = Judgement.Verdict(verdict).label
        messages.success(request, f"« {left.name} » / « {right.name} » : {label}.")
    return redirect(_queue_url(skip))

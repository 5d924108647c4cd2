"""Membership of a body at a date, from the claims articles make (read only)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from entities.claim_selectors import membership_at
from entities.models import Entity

_ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@login_required
@require_GET
def entity_members(request: HttpRequest, pk: int) -> HttpResponse:
    """« Who was a member of this body in March 2022, and which article says so? » (``?at=2022-03``)."""
    entity = get_object_or_404(Entity, pk=pk)
    if entity.merged_into_id is not None:
        return redirect("entities:members", pk=entity.merged_into_id)
    at = request.GET.get("at", "").strip()
    if at and not _ISO.match(at):
        messages.error(request, "Date invalide : écrivez AAAA, AAAA-MM ou AAAA-MM-JJ.")
        at = ""
    return render(
        request,
        "entities/claim_members.html",
        {"entity": entity, "at": at, "states": membership_at(entity, at or None)},
    )

"""Forms of the event page's actions."""

from __future__ import annotations

from django import forms


class ClusterMergeForm(forms.Form):
    other = forms.IntegerField(
        min_value=1,
        label="Groupe n°",
        error_messages={
            "required": "Indiquez le numéro du groupe à fusionner.",
            "invalid": "Numéro de groupe invalide.",
        },
    )


class ClusterAttachForm(forms.Form):
    event = forms.IntegerField(
        min_value=1,
        label="Événement n°",
        error_messages={"required": "Indiquez le numéro de l'événement.", "invalid": "Numéro d'événement invalide."},
    )

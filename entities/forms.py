"""Forms of the review page. Each carries the article version the page showed."""

from __future__ import annotations

from django import forms

from entities.models import Event, Label, Status
from entities.review import ARGUMENT_ROLES

_DECISIONS = [(Status.ACCEPTED, "accepter"), (Status.REJECTED, "rejeter")]


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class DecideForm(VersionForm):
    status = forms.ChoiceField(choices=_DECISIONS)


class MentionDecideForm(DecideForm):
    same_text = forms.BooleanField(required=False)


class SpanForm(VersionForm):
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)
    label = forms.ChoiceField(choices=Label.choices, label="Type")

    def clean(self):
        data = super().clean()
        if data.get("start") is not None and data.get("end") is not None and data["end"] <= data["start"]:
            raise forms.ValidationError("La fin du passage doit suivre son début.")
        return data


class MentionLinkForm(VersionForm):
    entity = forms.IntegerField(min_value=1, required=False)
    new_name = forms.CharField(max_length=300, required=False, strip=True)

    def clean(self):
        data = super().clean()
        if not data.get("entity") and not data.get("new_name"):
            raise forms.ValidationError("Choisissez une entité existante ou nommez-en une nouvelle.")
        return data


class EventUpdateForm(VersionForm):
    type = forms.ChoiceField(choices=Event.Type.choices, label="Type")
    date_value = forms.CharField(max_length=10, required=False, label="Date (AAAA-MM-JJ, AAAA-MM ou AAAA)")
    date_precision = forms.ChoiceField(
        choices=[("", "déduite"), ("day", "jour"), ("month", "mois"), ("year", "année")],
        required=False,
        label="Précision",
    )
    location = forms.IntegerField(min_value=1, required=False, label="Lieu")


class ArgumentAddForm(VersionForm):
    role = forms.ChoiceField(choices=[(r, r) for r in ARGUMENT_ROLES])
    mention = forms.IntegerField(min_value=1)

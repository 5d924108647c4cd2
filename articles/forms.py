from django import forms
from django.conf import settings

from articles.importers import ImportRejected, detect_format
from articles.models import ImportJob


class PasteForm(forms.Form):
    text = forms.CharField(
        label="Texte de l'article",
        widget=forms.Textarea(attrs={"rows": 16, "placeholder": "Collez ici l'article tel quel…"}),
        strip=False,
    )
    title = forms.CharField(label="Titre", required=False, max_length=500, help_text="Déduit du texte s'il manque.")
    source = forms.CharField(label="Source", required=False, max_length=200)
    url = forms.URLField(label="URL", required=False, max_length=2000, assume_scheme="https")
    published_at = forms.DateField(
        label="Date de publication",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Déduite de la ligne de date du texte si elle manque.",
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.md,.html,.htm,.docx,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Fichiers",
        help_text="Formats acceptés : .txt, .md, .html, .docx, .pdf (avec couche texte).",
    )
    source = forms.CharField(label="Source", required=False, max_length=200)


class ImportJobForm(forms.ModelForm):
    """Admin form: upload a CSV, JSONL or ZIP to import."""

    class Meta:
        model = ImportJob
        fields = ["file", "format"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" not in self.fields:
            return  # a job's own admin page: every field is read only (ImportJobAdmin.get_readonly_fields)
        self.fields["file"].required = True
        self.fields["format"].choices = [c for c in ImportJob.Format.choices if c[0] != ImportJob.Format.DIR]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        limit = settings.VIGIE_MAX_IMPORT_BYTES
        if upload.size > limit:
            self.add_error(
                "file", f"Fichier trop gros ({upload.size / 1_048_576:.1f} Mo ; limite {limit / 1_048_576:.0f} Mo)."
            )
        if not cleaned.get("format"):
            try:
                cleaned["format"] = detect_format(upload.name)
            except ImportRejected as exc:
                self.add_error("format", f"Format non reconnu : {exc}. Choisissez CSV, JSONL ou ZIP.")
        return cleaned

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from articles import services
from articles.forms import ImportJobForm
from articles.models import Article, AuditEntry, ImportJob, ImportProblem, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "domain"]
    search_fields = ["name", "domain"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "source", "status", "language", "published_at", "created_at"]
    list_filter = ["status", "language", "origin", "source"]
    search_fields = ["title", "external_id", "url"]
    list_select_related = ["source"]
    # The text is what every offset refers to: never edited here.
    readonly_fields = [f.name for f in Article._meta.fields if f.name not in {"assigned_to"}]
    exclude = ["minhash"]

    actions = ["reextract"]

    def has_add_permission(self, request):
        return False  # articles come in through the paste/upload pages and imports

    # Without ``permissions`` an action is open to whoever may view the list.
    @admin.action(
        description="Relancer l'extraction (les décisions des analystes sont conservées)", permissions=["change"]
    )
    def reextract(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        queued = services.articles_reextract(actor=request.user, article_ids=ids)
        self.message_user(request, f"{queued} article(s) remis en file d'extraction.", messages.SUCCESS)


class ImportProblemInline(admin.TabularInline):
    model = ImportProblem
    fields = ["location", "kind", "reason", "article"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    form = ImportJobForm
    list_display = [
        "id",
        "display_name",
        "status",
        "progress",
        "created_count",
        "duplicate_count",
        "rejected_count",
        "created_by",
        "created_at",
    ]
    list_filter = ["status"]
    inlines = [ImportProblemInline]

    @admin.display(description="progression")
    def progress(self, job):
        return f"{job.processed} / {job.total}" if job.total is not None else str(job.processed)

    @admin.display(description="page de suivi")
    def progress_link(self, job):
        return format_html('<a href="{}">suivre l\'import</a>', job.get_absolute_url())

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "progress_link",
            "original_filename",
            "path",
            "format",
            "status",
            "error",
            "total",
            "processed",
            "created_count",
            "duplicate_count",
            "rejected_count",
            "flagged_count",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_fields(self, request, obj=None):
        return ["file", "format"] if obj is None else self.get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # Writes go through the service (audit row, queued on commit); the
        # admin only gets the resulting row back for its redirect and log.
        job = services.import_job_create(
            actor=request.user, file=form.cleaned_data["file"], format=form.cleaned_data.get("format") or ""
        )
        obj.pk = job.pk
        obj.file = job.file
        obj.original_filename = job.original_filename
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass

    def response_add(self, request, obj, post_url_continue=None):
        messages.success(request, f"Import #{obj.pk} lancé.")
        return redirect(reverse("articles:import_detail", args=[obj.pk]))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "article", "object_type", "object_id"]
    list_filter = ["action"]
    readonly_fields = ["created_at", "actor", "action", "article", "object_type", "object_id", "before", "after"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # append-only

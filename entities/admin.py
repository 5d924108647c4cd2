"""Read-only admin views of the cross-linking tables.

Merges, judgements and cluster decisions are made on the app's pages, through services that
audit them and can undo them; the admin only lets an administrator look (and search).
"""

from django.contrib import admin

from entities.models import Claim, Entity, EntityCandidate, EntityMerge, EventCluster, Judgement


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Entity)
class EntityAdmin(ReadOnlyAdmin):
    list_display = ["id", "name", "label", "merged_into", "created_at"]
    list_filter = ["label"]
    search_fields = ["name", "key"]
    raw_id_fields = ["merged_into"]


@admin.register(EntityCandidate)
class EntityCandidateAdmin(ReadOnlyAdmin):
    list_display = ["id", "left", "right", "score", "reason", "created_at"]
    list_select_related = ["left", "right"]


@admin.register(Judgement)
class JudgementAdmin(ReadOnlyAdmin):
    list_display = ["id", "left_entity", "right_entity", "left_cluster", "right_cluster", "verdict", "actor"]
    list_filter = ["verdict"]
    list_select_related = ["left_entity", "right_entity", "actor"]


@admin.register(EntityMerge)
class EntityMergeAdmin(ReadOnlyAdmin):
    list_display = ["id", "source", "target", "actor", "created_at", "undone_at"]
    list_select_related = ["source", "target", "actor"]


@admin.register(EventCluster)
class EventClusterAdmin(ReadOnlyAdmin):
    list_display = ["id", "type", "date_value", "location", "status", "merged_into", "created_at"]
    list_filter = ["type", "status"]


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["id", "subject", "predicate", "object", "date_value", "article", "status"]
    list_filter = ["predicate", "status"]
    list_select_related = ["subject", "object", "article"]
    raw_id_fields = ["subject", "object", "article", "event", "run"]

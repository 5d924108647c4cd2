from django.urls import path

from entities import claim_views
from entities import entity_views as views

app_name = "entities"

urlpatterns = [
    path("entities/", views.entity_list, name="list"),
    path("entities/<int:pk>/", views.entity_detail, name="entity"),
    path("entities/<int:pk>/graph.json", views.entity_graph, name="graph"),
    path("entities/<int:pk>/members/", claim_views.entity_members, name="members"),
    path("entities/<int:pk>/merge/", views.entity_merge, name="merge"),
    path("entities/merges/<int:merge_id>/split/", views.merge_split, name="split"),
    path("entities/merge/", views.merge_queue, name="merge_queue"),
    path("entities/merge/<int:candidate_id>/judge/", views.merge_judge, name="judge"),
]

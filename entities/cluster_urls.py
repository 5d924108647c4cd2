from django.urls import path

from entities import cluster_views as views

app_name = "clusters"

urlpatterns = [
    path("events/clusters/", views.cluster_list, name="list"),
    path("events/clusters/<int:pk>/", views.cluster_detail, name="detail"),
    path("events/clusters/<int:pk>/confirm/", views.cluster_confirm, name="confirm"),
    path("events/clusters/<int:pk>/merge/", views.cluster_merge, name="merge"),
    path("events/clusters/<int:pk>/attach/", views.cluster_attach, name="attach"),
    path("events/clusters/<int:pk>/reports/<int:event_id>/detach/", views.cluster_detach, name="detach"),
]

from django.urls import path

from entities import views

app_name = "review"

urlpatterns = [
    path("queue/next/", views.queue_next, name="next"),
    path("articles/<int:pk>/review/", views.review_page, name="page"),
    path("articles/<int:pk>/history/", views.history, name="history"),
    path("articles/<int:pk>/review/mentions/add/", views.mention_add, name="mention_add"),
    path("articles/<int:pk>/review/mentions/<int:mention_id>/decide/", views.mention_decide, name="mention_decide"),
    path("articles/<int:pk>/review/mentions/<int:mention_id>/correct/", views.mention_correct, name="mention_correct"),
    path("articles/<int:pk>/review/mentions/<int:mention_id>/link/", views.mention_link, name="mention_link"),
    path("articles/<int:pk>/review/events/<int:event_id>/decide/", views.event_decide, name="event_decide"),
    path("articles/<int:pk>/review/events/<int:event_id>/update/", views.event_update, name="event_update"),
    path(
        "articles/<int:pk>/review/events/<int:event_id>/arguments/add/",
        views.event_argument_add,
        name="argument_add",
    ),
    path(
        "articles/<int:pk>/review/events/<int:event_id>/arguments/<int:argument_id>/remove/",
        views.event_argument_remove,
        name="argument_remove",
    ),
    path("articles/<int:pk>/review/accept-remaining/", views.accept_remaining, name="accept_remaining"),
    path("articles/<int:pk>/review/undo/", views.undo, name="undo"),
    path("articles/<int:pk>/review/done/", views.mark_reviewed, name="done"),
    path("articles/<int:pk>/review/claim/", views.claim, name="claim"),
    path("articles/<int:pk>/review/release/", views.release, name="release"),
    path("articles/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("entities/search/", views.entity_search, name="entity_search"),
]

from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("articles/new/", views.article_new, name="new"),
    path("articles/upload/", views.article_upload, name="upload"),
    path("articles/<int:pk>/", views.article_detail, name="detail"),
    path("articles/<int:pk>/status/", views.article_status, name="status"),
    path("articles/<int:pk>/retry/", views.article_retry, name="retry"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
]

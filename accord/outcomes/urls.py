"""Routes of the outcomes app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver, path

from accord.outcomes import views

app_name = "outcomes"
urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:case_pk>/outcomes/new/", views.outcome_create, name="create"),
    path("cases/<int:case_pk>/outcomes/<int:pk>/", views.outcome_detail, name="detail"),
    path("cases/<int:case_pk>/outcomes/<int:pk>/edit/", views.outcome_edit, name="edit"),
    path("cases/<int:case_pk>/outcomes/<int:pk>/share/", views.outcome_share, name="share"),
    path("cases/<int:case_pk>/outcomes/<int:pk>/issue/", views.outcome_issue, name="issue"),
    path("cases/<int:case_pk>/outcomes/<int:pk>/correct/", views.outcome_correct, name="correct"),
    path("cases/<int:case_pk>/outcomes/<int:pk>/<slug:step>/", views.outcome_step, name="step"),
]

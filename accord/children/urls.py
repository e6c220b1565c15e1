"""Routes of the children app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver, path

from accord.children import schedule_views as sv
from accord.children import views

app_name = "children"
_C = "cases/<int:case_pk>/children/"
_O = _C + "offers/<int:offer_pk>/"
urlpatterns: list[URLPattern | URLResolver] = [
    path(_C, views.children_page, name="case"),
    path(_C + "add/", views.child_add, name="add"),
    path(_C + "import/", views.children_import, name="import"),
    path(_C + "<int:child_pk>/offer/", views.offer_make, name="offer"),
    path(_O + "consultant/", views.consultant_assign, name="consultant"),
    path(_O + "book/", views.meeting_book, name="book"),
    path(_O + "record/", views.meeting_record, name="record"),
    path(_O + "share/", views.feedback_share, name="share"),
    path(_O + "concern/", views.concern_raise, name="concern"),
    path("cases/<int:case_pk>/schedules/", sv.schedules_page, name="schedules"),
    path("cases/<int:case_pk>/schedules/new/", sv.schedule_new, name="schedule_new"),
    path("cases/<int:case_pk>/schedules/compare/", sv.schedules_compare, name="compare"),
    path("cases/<int:case_pk>/schedules/<int:schedule_pk>/", sv.schedule_page, name="schedule"),
    path(
        "cases/<int:case_pk>/schedules/<int:schedule_pk>/chart.svg",
        sv.schedule_chart,
        name="schedule_chart",
    ),
    path(
        "cases/<int:case_pk>/schedules/<int:schedule_pk>/schedule.ics",
        sv.schedule_ics,
        name="schedule_ics",
    ),
    path(
        "cases/<int:case_pk>/schedules/<int:schedule_pk>/agree/",
        sv.schedule_agree,
        name="schedule_agree",
    ),
    path("cases/<int:case_pk>/maintenance/new/", sv.estimate_new, name="estimate_new"),
    path("cases/<int:case_pk>/maintenance/<int:estimate_pk>/", sv.estimate_page, name="estimate"),
    path(
        "cases/<int:case_pk>/maintenance/<int:estimate_pk>/agree/",
        sv.estimate_agree,
        name="estimate_agree",
    ),
    path("service/child-consultants/", views.consultants_page, name="consultants"),
    path("service/school-terms/", views.terms_page, name="terms"),
    path("service/school-terms/<int:term_pk>/remove/", views.term_remove, name="term_remove"),
    path(
        "service/child-consultants/<int:profile_pk>/",
        views.consultant_edit,
        name="consultant_edit",
    ),
    path("portal/cases/<int:case_pk>/children/", views.portal_page, name="portal"),
    path(
        "portal/cases/<int:case_pk>/children/<int:offer_pk>/answer/",
        views.portal_answer,
        name="answer",
    ),
]

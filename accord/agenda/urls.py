"""Routes of the agenda app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver, path

from accord.agenda import views

app_name = "agenda"
urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:case_pk>/agenda/", views.agenda_page, name="case"),
    path("cases/<int:case_pk>/agenda/new/", views.item_new, name="item_new"),
    path("cases/<int:case_pk>/agenda/<int:item_pk>/status/", views.item_status, name="status"),
    path(
        "cases/<int:case_pk>/agenda/<int:item_pk>/options/new/", views.option_new, name="option_new"
    ),
    path("cases/<int:case_pk>/agenda/<int:item_pk>/move/", views.item_reorder, name="reorder"),
    path(
        "cases/<int:case_pk>/agenda/<int:item_pk>/children/",
        views.item_mark_children,
        name="children",
    ),
    path(
        "cases/<int:case_pk>/agenda/<int:item_pk>/proposals/new/",
        views.proposal_new,
        name="proposal_new",
    ),
    path(
        "cases/<int:case_pk>/agenda/proposals/<int:proposal_pk>/relay/",
        views.proposal_relay,
        name="proposal_relay",
    ),
    path(
        "cases/<int:case_pk>/agenda/proposals/<int:proposal_pk>/answers/<int:answer_pk>/relay/",
        views.proposal_answer_relay,
        name="proposal_answer_relay",
    ),
    path(
        "portal/cases/<int:case_pk>/agenda/<int:item_pk>/proposals/new/",
        views.portal_proposal_new,
        name="portal_proposal_new",
    ),
    path(
        "portal/cases/<int:case_pk>/agenda/proposals/<int:proposal_pk>/answer/",
        views.portal_proposal_answer,
        name="portal_proposal_answer",
    ),
    path(
        "cases/<int:case_pk>/sessions/<int:session_pk>/plan/",
        views.session_plan,
        name="session_plan",
    ),
    path("portal/cases/<int:case_pk>/agenda/", views.portal_agenda, name="portal"),
    path("portal/cases/<int:case_pk>/agenda/new/", views.portal_item_new, name="portal_item_new"),
    path(
        "portal/cases/<int:case_pk>/agenda/<int:item_pk>/options/new/",
        views.portal_option_new,
        name="portal_option_new",
    ),
    path(
        "portal/cases/<int:case_pk>/agenda/<int:item_pk>/priority/",
        views.portal_priority,
        name="portal_priority",
    ),
]

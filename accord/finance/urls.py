"""Routes of financial disclosure (mounted at the site root: paths here are complete).

The case team's pages live under /cases/<id>/finance/, each party's under
/portal/cases/<id>/finance/; the same views serve both (`portal=True`).
"""

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, URLResolver, path

from accord.finance import views, views_scenarios

app_name = "finance"

_SHARED: list[tuple[str, Callable[..., Any], str]] = [
    ("items/<int:item_pk>/edit/", views.item_edit, "item_edit"),
    ("items/<int:item_pk>/remove/", views.item_remove, "item_remove"),
    ("items/<int:item_pk>/evidence/", views.evidence_upload, "evidence_upload"),
    ("evidence/<int:evidence_pk>/", views.evidence_download, "evidence"),
    ("parts/", views.part_complete, "part_complete"),
    ("share/", views.share, "share"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:case_pk>/finance/", views.disclosure_page, name="case"),
    path(
        "cases/<int:case_pk>/finance/party/<int:participant_pk>/add/",
        views.item_add,
        name="item_add",
    ),
    path(
        "cases/<int:case_pk>/finance/evidence/<int:evidence_pk>/seen/",
        views.evidence_seen,
        name="evidence_seen",
    ),
    path("cases/<int:case_pk>/finance/deadline/", views.deadline_set, name="deadline_set"),
    path("cases/<int:case_pk>/finance/statement/", views.statement_issue, name="statement_issue"),
    path("cases/<int:case_pk>/finance/schedule.xlsx", views.schedule_xlsx, name="schedule_xlsx"),
    path(
        "cases/<int:case_pk>/finance/scenarios/",
        views_scenarios.scenarios_page,
        name="scenarios",
    ),
    path(
        "cases/<int:case_pk>/finance/scenarios/chart.svg",
        views_scenarios.scenario_chart,
        name="scenario_chart",
    ),
    path(
        "cases/<int:case_pk>/finance/scenarios/add/",
        views_scenarios.scenario_add,
        name="scenario_add",
    ),
    path(
        "cases/<int:case_pk>/finance/scenarios/<int:scenario_pk>/share/",
        views_scenarios.scenario_share,
        name="scenario_share",
    ),
    path(
        "cases/<int:case_pk>/finance/scenarios/<int:scenario_pk>/mou/",
        views_scenarios.scenario_to_mou,
        name="scenario_to_mou",
    ),
    path(
        "cases/<int:case_pk>/finance/suggestions/",
        views_scenarios.suggestions_page,
        name="suggestions",
    ),
    path(
        "cases/<int:case_pk>/finance/suggestions/scenario/",
        views_scenarios.suggestion_to_scenario,
        name="suggestion_to_scenario",
    ),
    path(
        "cases/<int:case_pk>/finance/consent-pack/",
        views_scenarios.consent_pack_prepare,
        name="consent_pack",
    ),
    path(
        "cases/<int:case_pk>/finance/consent-pack/sent/",
        views_scenarios.consent_pack_sent,
        name="consent_pack_sent",
    ),
    path("portal/cases/<int:case_pk>/finance/rate/", views_scenarios.rate_items, name="rate"),
    path(
        "portal/cases/<int:case_pk>/finance/scenarios/",
        views_scenarios.scenarios_page,
        {"portal": True},
        name="portal_scenarios",
    ),
    path(
        "portal/cases/<int:case_pk>/finance/scenarios/chart.svg",
        views_scenarios.scenario_chart,
        {"portal": True},
        name="portal_scenario_chart",
    ),
    path(
        "portal/cases/<int:case_pk>/finance/",
        views.disclosure_page,
        {"portal": True},
        name="portal",
    ),
    path(
        "portal/cases/<int:case_pk>/finance/add/",
        views.item_add,
        {"portal": True},
        name="portal_item_add",
    ),
]
for _suffix, _view, _name in _SHARED:
    urlpatterns.append(path(f"cases/<int:case_pk>/finance/{_suffix}", _view, name=_name))
    urlpatterns.append(
        path(
            f"portal/cases/<int:case_pk>/finance/{_suffix}",
            _view,
            {"portal": True},
            name=f"portal_{_name}",
        )
    )

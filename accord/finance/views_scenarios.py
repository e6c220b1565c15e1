"""Scenario pages: side by side with a server-drawn SVG chart (and the figures as a table) for
the case team; the scenarios shared with a party on their portal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.core.errors import DomainError, NotFoundOrHidden
from accord.core.web import form_page, posted, staff_required, submit
from accord.finance import scenarios as sc
from accord.finance.forms import ScenarioForm
from accord.finance.models import CAPITAL_PARTS, Scenario
from accord.finance.views import _act, _case


def _home(case_pk: int, portal: bool) -> str:
    name = "finance:portal_scenarios" if portal else "finance:scenarios"
    return reverse(name, kwargs={"case_pk": case_pk})


@never_cache
@login_required
@require_GET
def scenarios_page(request: HttpRequest, case_pk: int, portal: bool = False) -> HttpResponse:
    """Every scenario side by side (the team), or those shared with the party (the portal)."""
    case, _ = _case(request, case_pk, portal=portal)
    shown = sc.scenarios_for(user=request.user, case=case)
    try:
        table = sc.side_by_side(case, shown)
        problem = ""
    except DomainError as exc:
        table, problem = [], exc.message
    from accord.finance.services import is_case_mediator

    return render(
        request,
        "finance/scenarios.html",
        {
            "nav": "portal" if portal else "cases",
            "case": case,
            "portal": portal,
            "table": table,
            "problem": problem,
            "parties": sc.parties_of(case),
            "is_mediator": not portal and is_case_mediator(request.user, case),
            "chart_url": reverse(
                "finance:portal_scenario_chart" if portal else "finance:scenario_chart",
                kwargs={"case_pk": case.pk},
            ),
        },
    )


@never_cache
@login_required
@require_GET
def scenario_chart(request: HttpRequest, case_pk: int, portal: bool = False) -> HttpResponse:
    """The chart of the scenarios the reader may see, as an SVG image."""
    from accord.core.charts import svg_response

    case, _ = _case(request, case_pk, portal=portal)
    shown = sc.scenarios_for(user=request.user, case=case)
    try:
        svg = sc.chart_svg(case, shown)
    except DomainError:
        raise Http404("No scenarios yet.") from None
    return svg_response(svg)


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def scenario_add(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Build a scenario on the shared disclosures."""
    case, _ = _case(request, case_pk, portal=False)
    try:
        rows = sc._item_ids(case)
        sc.statement_sections(case)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_home(case.pk, False))
    items = [
        (
            key,
            row["description"],
            sc.percent_text(sc._a_share(row)),
        )
        for key, row in sorted(rows.items(), key=lambda kv: int(kv[0]))
        if row["part"] in CAPITAL_PARTS or row["part"] == "liabilities"
    ]
    form = ScenarioForm(posted(request), items=items)
    made: list[Scenario] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: made.append(
                sc.scenario_create(actor=request.user, case=case, **form.service_kwargs())
            ),
        )
    ):
        messages.success(request, "The scenario has been saved.")
        return redirect(_home(case.pk, False))
    return form_page(
        request, "finance/scenario_form.html", form, case=case, home=_home(case.pk, False)
    )


def _scenario(request: HttpRequest, case_pk: int, scenario_pk: int) -> Scenario:
    case, _ = _case(request, case_pk, portal=False)
    found = Scenario.objects.filter(case=case, pk=scenario_pk).first()
    if found is None:
        raise Http404("No such scenario.")
    return found


@staff_required(cache=False)
@require_POST
def scenario_share(request: HttpRequest, case_pk: int, scenario_pk: int) -> HttpResponse:
    """Share with both parties, or one party privately."""
    scenario = _scenario(request, case_pk, scenario_pk)
    raw = request.POST.get("audience", "")
    participant = None
    if raw.startswith("party-"):
        participant = next(
            (p for p in sc.parties_of(scenario.case) if f"party-{p.pk}" == raw), None
        )
        audience = "private"
    else:
        audience = raw
    _act(
        request,
        lambda: sc.scenario_share(
            actor=request.user, scenario=scenario, audience=audience, participant=participant
        ),
        "The scenario has been shared.",
    )
    return redirect(_home(case_pk, False))


@staff_required(cache=False)
@require_POST
def scenario_to_mou(request: HttpRequest, case_pk: int, scenario_pk: int) -> HttpResponse:
    """Carry the scenario into the MoU draft's financial section."""
    scenario = _scenario(request, case_pk, scenario_pk)
    _act(
        request,
        lambda: sc.scenario_to_mou(actor=request.user, scenario=scenario),
        "The scenario is in the MoU draft, with its figures.",
    )
    return redirect(_home(case_pk, False))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def rate_items(request: HttpRequest, case_pk: int) -> HttpResponse:
    """A party spreads their points over the shared assets, privately and once."""
    from django import forms as dj_forms

    from accord.core.forms import AccordForm
    from accord.finance import ratings

    case, me = _case(request, case_pk, portal=True)
    assert me is not None
    try:
        items = ratings.rateable_items(case)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("finance:portal", case.pk)
    total = ratings.rating_points(case.organisation_id)
    mine = ratings.ratings_for(user=request.user, case=case).get(me.pk)

    class RatingForm(AccordForm):
        pass

    form = RatingForm(posted(request))
    for row in items:
        form.fields[f"item_{row['id']}"] = dj_forms.IntegerField(
            label=f"{row['description']}: points",
            min_value=0,
            max_value=total,
            error_messages={
                "required": "Give every item a number of points (0 is allowed).",
                "invalid": "Enter a whole number of points, 0 or more.",
                "min_value": "Enter a whole number of points, 0 or more.",
                "max_value": f"No item can have more than {total:,} points.",
            },
        )
    if (
        request.method == "POST"
        and mine is None
        and form.is_valid()
        and submit(
            form,
            lambda: ratings.ratings_submit(
                actor=request.user,
                case=case,
                participant=me,
                points={
                    name.removeprefix("item_"): value
                    for name, value in form.cleaned_data.items()
                    if name.startswith("item_")
                },
            ),
        )
    ):
        messages.success(request, "Your ratings are saved. Only the mediators see them.")
        return redirect("finance:portal", case.pk)
    return form_page(
        request,
        "finance/rate.html",
        form,
        nav="portal",
        case=case,
        total=total,
        mine=mine,
        items=items,
    )


@staff_required(cache=False)
@require_GET
def suggestions_page(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The mediators: both parties' ratings and the AW and MNW suggestions, explained."""
    from accord.finance import ratings

    case, _ = _case(request, case_pk, portal=False)
    try:
        rated = ratings.ratings_for(user=request.user, case=case)
        found = ratings.suggestions(user=request.user, case=case)
        items = ratings.rateable_items(case)
        problem = ""
    except NotFoundOrHidden:
        raise Http404("No such page.") from None
    except DomainError as exc:
        rated, found, items, problem = {}, {}, [], exc.message
    parties = sc.parties_of(case)
    rows = [
        {
            "item": row,
            "points": [rated.get(p.pk, {}).get(str(row["id"])) for p in parties],
            "aw": ratings.percent(found["aw"]["shares"][str(row["id"])])
            if found.get("aw")
            else None,
            "mnw": ratings.percent(found["mnw"]["shares"][str(row["id"])])
            if found.get("mnw")
            else None,
        }
        for row in items
    ]
    return render(
        request,
        "finance/suggestions.html",
        {
            "nav": "cases",
            "case": case,
            "parties": parties,
            "rows": rows,
            "found": found,
            "problem": problem,
            "total": ratings.rating_points(case.organisation_id),
        },
    )


@staff_required(cache=False)
@require_POST
def suggestion_to_scenario(request: HttpRequest, case_pk: int) -> HttpResponse:
    from accord.finance import ratings

    case, _ = _case(request, case_pk, portal=False)
    _act(
        request,
        lambda: ratings.suggestion_to_scenario(
            actor=request.user, case=case, method=request.POST.get("method", "")
        ),
        "The suggestion is now a scenario.",
    )
    return redirect(_home(case.pk, False))


@staff_required(cache=False)
@require_POST
def consent_pack_prepare(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Produce the consent-order pack and the Word outline of the order."""
    from accord.finance import consent

    case, _ = _case(request, case_pk, portal=False)
    _act(
        request,
        lambda: consent.consent_pack_prepare(actor=request.user, case=case),
        "The consent-order pack is ready under Documents.",
    )
    return redirect("finance:case", case.pk)


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def consent_pack_sent(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record when the pack went to a party's solicitor."""
    from accord.finance import consent
    from accord.finance.forms import PackSentForm

    case, _ = _case(request, case_pk, portal=False)
    parties = sc.parties_of(case)
    form = PackSentForm(posted(request), parties=[(str(p.pk), p.full_name) for p in parties])
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: consent.consent_pack_record_sent(
                actor=request.user,
                case=case,
                party=next((p for p in parties if str(p.pk) == form.cleaned_data["party"]), None),
                solicitor=form.cleaned_data["solicitor"],
                sent_on=form.cleaned_data["sent_on"],
            ),
        )
    ):
        messages.success(request, "Recorded.")
        return redirect("finance:case", case.pk)
    return form_page(
        request,
        "finance/pack_sent.html",
        form,
        case=case,
        home=reverse("finance:case", kwargs={"case_pk": case.pk}),
    )

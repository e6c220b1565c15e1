"""Seed the national rule table from the figures in DOMAIN.md (each with its public source).

The rows are frozen here rather than imported from application code, so the migration keeps
meaning the same thing when the code changes. A later change in the law is a NEW row with a later
effective_from, added by a later migration, never an edit of these rows.
"""

import datetime as dt

from django.db import migrations

SEND_FROM = dt.date(2014, 9, 1)  # Children and Families Act 2014 Part 3 and SEND Regulations 2014
MIAM_FROM = dt.date(2024, 4, 29)  # SI 2023/1324: MIAM changes in force from 29 April 2024
POLICY_FROM = dt.date(2000, 1, 1)  # service policy rather than law: applies to every case

# code, label, period, unit, at_time, effective_from, source, description
RULES = [
    (
        "miam.within_15_business_days",
        "MIAM within 15 business days of first contact",
        15, "working_days", None, MIAM_FROM,
        "Family Procedure Rules PD3A para 3",
        "The MIAM should take place within 15 business days of the service's first contact.",
    ),
    (
        "miam.certificate_validity",
        "Court application on the strength of the MIAM",
        4, "months", None, MIAM_FROM,
        "Family Procedure Rules 3.8(1)(d)",
        "A MIAM supports a court application made within 4 months of attending it.",
    ),
    (
        "send.mediation_advice_contact",
        "Contact a mediation adviser",
        2, "months", None, SEND_FROM,
        "SEND Regulations 2014 reg 33",
        "Before appealing, the parent or young person must contact a mediation adviser within "
        "2 months of the local authority's decision.",
    ),
    (
        "send.certificate_no_mediation",
        "Certificate: mediation not wanted",
        3, "working_days", None, SEND_FROM,
        "SEND Regulations 2014 reg 34",
        "If the parent or young person does not want mediation, the adviser issues a certificate "
        "within 3 working days.",
    ),
    (
        "send.arrange_mediation",
        "Arrange the SEND mediation",
        30, "calendar_days", None, SEND_FROM,
        "SEND Regulations 2014 (regs 32-44, arranging mediation)",
        "The local authority (or health commissioner) must arrange mediation within 30 days.",
    ),
    (
        "send.certificate_not_arranged",
        "Certificate: mediation could not be arranged",
        3, "working_days", None, SEND_FROM,
        "SEND Regulations 2014 (regs 32-44, arranging mediation)",
        "If mediation cannot be arranged in time, a certificate is issued within 3 working days "
        "of being told.",
    ),
    (
        "send.health_notify",
        "Tell the health commissioning body",
        3, "working_days", None, SEND_FROM,
        "SEND Regulations 2014 (regs 32-44, health provision in dispute)",
        "Health bodies are told within 3 working days when health provision is in dispute.",
    ),
    (
        "send.notice_of_meeting",
        "Notify the date and place of the mediation",
        -5, "working_days", None, SEND_FROM,
        "SEND Regulations 2014 (regs 32-44, notice of the mediation)",
        "Start from the meeting date: the date and place are notified at least 5 working days "
        "ahead unless the family agrees to less.",
    ),
    (
        "send.certificate_after_mediation",
        "Certificate after the mediation",
        3, "working_days", None, SEND_FROM,
        "SEND Regulations 2014 (regs 32-44, certificate after mediation)",
        "The mediation certificate is issued within 3 working days after the mediation ends.",
    ),
    (
        "send.la_action_not_tribunal",
        "LA action the Tribunal could not order",
        2, "weeks", None, SEND_FROM,
        "SEND Regulations 2014 reg 44",
        "Agreed actions the Tribunal could not have ordered: within 2 weeks of the agreement.",
    ),
    (
        "send.la_action_amend_plan",
        "LA amends the EHC plan",
        5, "weeks", None, SEND_FROM,
        "SEND Regulations 2014 reg 44",
        "Amend the EHC plan within 5 weeks of the agreement.",
    ),
    (
        "send.la_action_name_school",
        "LA names the school only",
        2, "weeks", None, SEND_FROM,
        "SEND Regulations 2014 reg 44",
        "Where only the school named is changed: within 2 weeks of the agreement.",
    ),
    (
        "send.la_action_new_plan_draft",
        "LA issues a draft EHC plan",
        5, "weeks", None, SEND_FROM,
        "SEND Regulations 2014 reg 44",
        "New plan: the draft within 5 weeks of the agreement.",
    ),
    (
        "send.la_action_new_plan_final",
        "LA issues the final EHC plan",
        11, "weeks", None, SEND_FROM,
        "SEND Regulations 2014 reg 44",
        "New plan: the final plan within 11 weeks of the agreement.",
    ),
    (
        "send.la_action_assessment_notify",
        "LA notifies that it will assess",
        2, "weeks", None, SEND_FROM,
        "SEND Regulations 2014 reg 44",
        "Assessment: notify the parent or young person within 2 weeks of the agreement.",
    ),
    (
        "send.la_action_assessment_decision",
        "LA decides whether to issue a plan",
        10, "weeks", None, SEND_FROM,
        "SEND Regulations 2014 reg 44",
        "Assessment: the decision within 10 weeks of the agreement.",
    ),
    (
        "send.la_action_assessment_final_plan",
        "LA issues the final plan after assessment",
        14, "weeks", None, SEND_FROM,
        "SEND Regulations 2014 reg 44",
        "Assessment: the final plan within 14 weeks of the agreement.",
    ),
    (
        "safeguarding.self_referral",
        "Self-referral to children's services confirmed",
        1, "next_working_day_at", dt.time(10, 0), POLICY_FROM,
        "Service policy (DOMAIN.md section 4); configurable per service",
        "A parent who raised a concern may refer themselves within that working day or by 10:00 "
        "the next working day; otherwise the mediator refers.",
    ),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for code, label, period, unit, at_time, effective_from, source, description in RULES:
        DeadlineRule.objects.update_or_create(
            organisation=None,
            code=code,
            effective_from=effective_from,
            defaults={
                "label": label,
                "period": period,
                "unit": unit,
                "at_time": at_time,
                "source": source,
                "description": description,
            },
        )


def unseed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for row in RULES:
        code, effective_from = row[0], row[5]
        DeadlineRule.objects.filter(
            organisation=None, code=code, effective_from=effective_from, deadlines__isnull=True
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

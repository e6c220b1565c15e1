"""Seed the national default for how long the other party has to answer: 14 calendar days.

Service policy, not law (DOMAIN.md 2.1 step 2): a service sets its own period by adding its own
row for `willingness.response` at /deadlines/settings/. Frozen here, like the deadlines app's own
seed; a later change is a new row from a later date, not an edit.
"""

import datetime as dt

from django.db import migrations

POLICY_FROM = dt.date(2000, 1, 1)  # service policy rather than law: applies to every case

RULES = [
    (
        "willingness.response",
        "Other party's answer to the invitation to mediate",
        14,
        "calendar_days",
        None,
        POLICY_FROM,
        "Service policy (default 14 days); configurable per service",
        "The other party is asked to answer the invitation within 14 days. With no answer by "
        "then the case shows that they are not engaging and the applicant's route continues.",
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
        DeadlineRule.objects.filter(
            organisation=None, code=row[0], effective_from=row[5], deadlines__isnull=True
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("willingness", "0001_initial"),
        ("deadlines", "0002_seed_national_rules"),
    ]

    operations = [migrations.RunPython(seed, unseed)]

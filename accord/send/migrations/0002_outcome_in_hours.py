"""The Mediation Outcome's service standard is 24 hours from the meeting's end.

0001 stored it as 1 calendar day because the rule table had no hours; deadlines 0005 adds the
unit, so the national row says what the standard is. The row is corrected in place rather than
superseded by a later one: the standard has always been 24 hours, and the SEND code already
counted the day from the moment itself. A service's own row is left as the service set it.
"""

import datetime as dt

from django.db import migrations

SEND_FROM = dt.date(2014, 9, 1)
CODE = "send.outcome_service_standard"


def to_hours(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(organisation=None, code=CODE, effective_from=SEND_FROM).update(
        period=24, unit="hours", at_time=None
    )


def to_days(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(organisation=None, code=CODE, effective_from=SEND_FROM).update(
        period=1, unit="calendar_days"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0005_rule_unit_hours"),
        ("send", "0001_initial"),
    ]

    operations = [migrations.RunPython(to_hours, to_days)]

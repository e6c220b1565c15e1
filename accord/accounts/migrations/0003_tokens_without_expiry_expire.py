"""Tokens made before tokens had a lifetime get one: 90 days from this upgrade.

From now on every token expires (ACCORD_API_TOKEN_DAYS by default); a token made earlier with no
expiry would otherwise work for ever. Its owner keeps 90 days to replace it.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def give_every_token_an_expiry(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True, revoked_at__isnull=True).update(
        expires_at=timezone.now() + dt.timedelta(days=90)
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [migrations.RunPython(give_every_token_an_expiry, migrations.RunPython.noop)]

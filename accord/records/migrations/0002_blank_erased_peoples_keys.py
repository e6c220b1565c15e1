"""Blank the search and conflict-check keys of people erased before erasure blanked them.

Erasure set a participant's name to "Erased person" and emptied their email and phone, but left
the normalised copies (`name_key`, `email_key`, `phone_key`) that the search index and the
conflict check read: an erased person was still found by their old name, email or phone, and
still matched new enquiries. `records/erasure.py` now blanks them too; this does the same for
the people erased before.
"""

from django.db import migrations

ERASED_NAME = "Erased person"  # accord.records.erasure.ERASED_NAME when this was written


def blank(apps, schema_editor):
    Participant = apps.get_model("cases", "Participant")
    Participant.objects.filter(full_name=ERASED_NAME, email="", phone="").exclude(
        name_key="", email_key="", phone_key=""
    ).update(name_key="", email_key="", phone_key="")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("cases", "0006_name_prefix_indexes"),
    ]

    operations = [migrations.RunPython(blank, migrations.RunPython.noop)]

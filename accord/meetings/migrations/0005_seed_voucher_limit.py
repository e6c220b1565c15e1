"""Seed the Family Mediation Voucher's limit: up to £500 per case (DOMAIN.md section 2.1)."""

from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    VoucherLimit = apps.get_model("meetings", "VoucherLimit")
    VoucherLimit.objects.get_or_create(
        effective_from="2021-03-26",
        defaults={
            "max_per_case": Decimal("500.00"),
            "source": "Family Mediation Voucher Scheme (Ministry of Justice); check yearly.",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("meetings", "VoucherLimit").objects.filter(effective_from="2021-03-26").delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_funding")]

    operations = [migrations.RunPython(seed, unseed)]

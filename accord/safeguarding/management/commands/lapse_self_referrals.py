"""Lapse self-referrals whose time has passed: the service's own referral becomes due at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accord.safeguarding.services import self_referrals_lapse_due


class Command(BaseCommand):
    """Periodic: run after the deadline engine's missed-deadline sweep; safe to run twice."""

    help = "Lapse unconfirmed self-referrals past their deadline and escalate them."

    def handle(self, *args: Any, **options: Any) -> None:
        count = self_referrals_lapse_due()
        self.stdout.write(f"Lapsed {count} self-referral{'' if count == 1 else 's'}.")

from typing import Any

from django.apps import AppConfig


def _refuse_session_stages_while_paused(case: Any, to_stage: str) -> None:
    from accord.safeguarding.services.common import ensure_stage_allowed_while_paused

    ensure_stage_allowed_while_paused(case, to_stage=to_stage)


class SafeguardingConfig(AppConfig):
    name = "accord.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self) -> None:
        from accord.cases.progress import register_stage_guard

        register_stage_guard(_refuse_session_stages_while_paused)

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "accord.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Apps built on cases describe their part of the case in these modules, which register
        # themselves (accord.cases.progress for next steps and party actions, and
        # accord.cases.timeline for how their audit events read).
        autodiscover_modules("next_steps")
        autodiscover_modules("timeline")

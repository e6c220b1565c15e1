from django.apps import AppConfig


class QueuesConfig(AppConfig):
    name = "accord.queues"
    label = "queues"
    verbose_name = "Work queues"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app describes the work waiting for staff in its own `queues` module, which
        # registers its queues here; this app knows none of them.
        autodiscover_modules("queues")

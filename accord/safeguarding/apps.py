from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "accord.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"

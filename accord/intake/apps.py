from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "accord.intake"
    label = "intake"
    verbose_name = "Enquiries"

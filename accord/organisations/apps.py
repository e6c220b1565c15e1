from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "accord.organisations"
    label = "organisations"
    verbose_name = "Mediation services"

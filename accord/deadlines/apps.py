from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "accord.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines and reminders"

from django.apps import AppConfig


class PokmaslipasConfig(AppConfig):
    name = "pokmaslipas"

from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Installed only by `bench.settings`."""

    name = "bench"
    verbose_name = "Benchmark"

    def ready(self):
        from .v2 import article_api_fields_set

        article_api_fields_set()

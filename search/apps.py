from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from home import retention as home_retention

        from . import retention, signals

        signals.connect()
        home_retention.register_purger("search_log", retention.purge_log)
        home_retention.register_purger("search_clicks", retention.purge_clicks)
        home_retention.register_eraser("search_log", retention.erase_mentions)

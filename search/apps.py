from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from django.db.models.signals import post_migrate

        from home import retention as home_retention

        from . import insights_move, query_vectors, querying, retention, signals

        post_migrate.connect(insights_move.after_migrate, sender=self)

        signals.connect()
        querying.connect()
        home_retention.register_purger("search_log", retention.purge_log)
        home_retention.register_purger("search_clicks", retention.purge_clicks)
        home_retention.register_purger("search_query_vectors", query_vectors.purge)
        home_retention.register_eraser("search_log", retention.erase_mentions)

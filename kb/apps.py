from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "Knowledge base"

    def ready(self):
        from home import retention as home_retention

        from . import retention

        home_retention.register_purger("feedback", retention.purge_feedback)
        home_retention.register_purger("contact_requests", retention.purge_contact_requests)
        home_retention.register_purger("rate_limits", retention.purge_rate_limits)
        home_retention.register_eraser("contact_requests", retention.erase_contact_requests)
        home_retention.register_eraser("contact_mentions", retention.erase_mentions)

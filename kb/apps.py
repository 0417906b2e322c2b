from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "Knowledge base"

    def ready(self):
        from django.db.models.signals import post_delete
        from wagtail.models import Page

        from home import retention as home_retention

        from . import feedback, retention

        post_delete.connect(
            feedback.forget_deleted_page, sender=Page, dispatch_uid="kb-feedback-page-deleted"
        )

        home_retention.register_purger("feedback", retention.purge_feedback)
        home_retention.register_purger("contact_requests", retention.purge_contact_requests)
        home_retention.register_purger("rate_limits", retention.purge_rate_limits)
        home_retention.register_eraser("contact_requests", retention.erase_contact_requests)
        home_retention.register_eraser("contact_mentions", retention.erase_mentions)

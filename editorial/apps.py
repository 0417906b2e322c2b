from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial tools"

    def ready(self):
        from wagtail.signals import copy_for_translation_done, page_published

        from .translation import point_reusable_answers_at_translations

        copy_for_translation_done.connect(
            point_reusable_answers_at_translations,
            dispatch_uid="editorial-translate-reusable-answers",
        )
        page_published.connect(forget_imported_dead_links, dispatch_uid="editorial-dead-links")


def forget_imported_dead_links(sender, instance, **kwargs):
    """The import's list of links that led nowhere has been seen by the time a page goes live."""
    from .models import ImportedDeadLink

    ImportedDeadLink.objects.filter(page_id=instance.pk).delete()

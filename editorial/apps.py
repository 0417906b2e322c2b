from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial tools"

    def ready(self):
        from wagtail.signals import copy_for_translation_done

        from .translation import point_reusable_answers_at_translations

        copy_for_translation_done.connect(
            point_reusable_answers_at_translations,
            dispatch_uid="editorial-translate-reusable-answers",
        )

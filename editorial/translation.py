"""Translations between the languages: what is missing, and keeping a copy consistent.

Wagtail's simple_translation makes the Hebrew counterpart of an English page (and back) as an
unpublished copy. The copy would still show the original language's reusable answers, so
each one is swapped for its translation where there is one.
"""

import copy

from django.db.models import Count, IntegerField, OuterRef, Subquery
from wagtail.blocks import ListBlock, StreamBlock, StructBlock
from wagtail.fields import StreamField
from wagtail.models import Locale, Page

from home.blocks import ReusableAnswerBlock
from home.models import HelpPage, ReusableAnswer


def _swap(block, raw, swap):
    """Rewrite the reusable-answer ids inside a stream's stored (JSON) form."""
    if raw is None:
        return raw
    if isinstance(block, ReusableAnswerBlock):
        return swap(raw)
    if isinstance(block, StreamBlock):
        for item in raw:
            child = block.child_blocks.get(item.get("type"))
            if child is not None:
                item["value"] = _swap(child, item.get("value"), swap)
    elif isinstance(block, ListBlock):
        for index, item in enumerate(raw):
            if isinstance(item, dict) and "value" in item and "id" in item:
                item["value"] = _swap(block.child_block, item["value"], swap)
            else:
                raw[index] = _swap(block.child_block, item, swap)
    elif isinstance(block, StructBlock) and isinstance(raw, dict):
        for name, child in block.child_blocks.items():
            if name in raw:
                raw[name] = _swap(child, raw[name], swap)
    return raw


def translate_reusable_answers(page):
    """Point ``page``'s reusable answers at their translation in the page's language.

    Returns the names of the stream fields that changed.
    """
    cache = {}

    def swap(pk):
        if pk not in cache:
            answer = ReusableAnswer.objects.filter(pk=pk).first()
            translated = answer.get_translation_or_none(page.locale) if answer else None
            cache[pk] = translated.pk if translated else pk
        return cache[pk]

    changed = []
    for field in page._meta.get_fields():
        if not isinstance(field, StreamField):
            continue
        stream = getattr(page, field.name)
        before = stream.stream_block.get_prep_value(stream)
        after = _swap(stream.stream_block, copy.deepcopy(before), swap)
        if after != before:
            setattr(page, field.name, after)
            changed.append(field.name)
    return changed


def point_reusable_answers_at_translations(sender, source_obj, target_obj, **kwargs):
    page = target_obj.specific if isinstance(target_obj, Page) else target_obj
    if not isinstance(page, HelpPage):
        return
    changed = translate_reusable_answers(page)
    if changed:
        page.save(update_fields=changed)
        page.save_revision(changed=True, log_action=False, clean=False)


def _lacking_counterparts(queryset):
    """The rows of ``queryset`` without a counterpart in at least one content language."""
    counterparts = (
        queryset.model.objects.filter(translation_key=OuterRef("translation_key"))
        .order_by()
        .values("translation_key")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        translations=Subquery(counterparts, output_field=IntegerField())
    ).filter(translations__lt=Locale.objects.count())


def pages_missing_translations(source_locale=None):
    """Live pages (below the tree root) that lack a counterpart in at least one content
    language."""
    # Only what customers can read now: a draft or an expired page needs no translation yet.
    pages = _lacking_counterparts(Page.objects.filter(depth__gt=1, live=True, expired=False))
    if source_locale is not None:
        pages = pages.filter(locale=source_locale)
    return pages.select_related("locale", "content_type").order_by("locale__language_code", "path")


def answers_missing_translations(source_locale=None):
    """Published reusable answers that lack a counterpart in at least one content language:
    a page translated into that language would still show the answer untranslated."""
    answers = _lacking_counterparts(ReusableAnswer.objects.filter(live=True))
    if source_locale is not None:
        answers = answers.filter(locale=source_locale)
    return answers.select_related("locale").order_by("locale__language_code", "title")


def missing_languages(items):
    """{id: [locales it has no counterpart in]} for a list of pages (or of reusable
    answers), in one query."""
    locales = list(Locale.objects.order_by("language_code"))
    present = {}
    keys = {item.translation_key for item in items}
    model = type(items[0]) if items and not isinstance(items[0], Page) else Page
    for key, locale_id in model.objects.filter(translation_key__in=keys).values_list(
        "translation_key", "locale_id"
    ):
        present.setdefault(key, set()).add(locale_id)
    return {
        item.pk: [loc for loc in locales if loc.pk not in present.get(item.translation_key, set())]
        for item in items
    }

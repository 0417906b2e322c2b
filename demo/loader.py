"""Loads the demo help center from fixtures/demo/*.yaml, idempotently.

Every item has a ``key``; its translation key is derived from it, so the English and Hebrew
items with the same key are translations of each other and a second load finds, rather
than duplicates, what the first created.
"""

import calendar
import uuid
from datetime import datetime, time, timedelta
from pathlib import Path

import yaml
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from guides.models import GuidePage
from home import help_types
from home.contact_details import ContactDetails
from home.models import HomePage, ServiceAnnouncement
from kb.models import ArticlePage, CategoryPage, FaqPage

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_DIR = FIXTURES / "demo"
MEDIA_DIR = FIXTURES / "media"
KEY_NAMESPACE = uuid.UUID("5b0e7f64-3c0c-4c52-9a53-6a8f1f0f2b11")
PAGE_TYPES = help_types.page_models()


def translation_key(key):
    return uuid.uuid5(KEY_NAMESPACE, key)


def block_id(*parts):
    return str(uuid.uuid5(KEY_NAMESPACE, "/".join(str(p) for p in parts)))


def review_by(key):
    """A review date spread over the coming months from each item's key: the same on every
    load and in both languages, with a few items already overdue or due soon."""
    offset = translation_key(f"review:{key}").int % 240 - 30
    return timezone.localdate() + timedelta(days=offset)


def next_window(now, start, end):
    """The next local time span "HH:MM"-"HH:MM" (ending after ``now``), as aware datetimes."""
    local = timezone.localtime(now)
    day = local.date()
    while True:
        starts = timezone.make_aware(datetime.combine(day, time.fromisoformat(start)))
        ends = timezone.make_aware(datetime.combine(day, time.fromisoformat(end)))
        if ends <= starts:
            ends += timedelta(days=1)
        if ends > now:
            return starts, ends
        day += timedelta(days=1)


class DemoLoader:
    def __init__(self, log=print, update=False, owner=None):
        self.log = log
        self.update = update
        self.owner = owner
        self.created = 0
        self.images = {}
        self.documents = {}

    # media -------------------------------------------------------------------------------
    def image(self, filename, alt=""):
        if filename not in self.images:
            Image = get_image_model()
            image = Image.objects.filter(title=filename).first()
            if image is None:
                with open(MEDIA_DIR / "images" / filename, "rb") as fh:
                    image = Image(title=filename)
                    image.file.save(filename, File(fh), save=False)
                    image.save()
            self.images[filename] = image
        image = self.images[filename]
        # The library's description is the image's own alt text (a video poster needs one).
        if alt and not image.description:
            image.description = alt[:255]
            image.save(update_fields=["description"])
        return image

    def document(self, filename):
        if filename not in self.documents:
            Document = get_document_model()
            doc = Document.objects.filter(title=filename).first()
            if doc is None:
                with open(MEDIA_DIR / "video" / filename, "rb") as fh:
                    doc = Document(title=filename)
                    doc.file.save(filename, File(fh), save=False)
                    doc.save()
            self.documents[filename] = doc
        return self.documents[filename]

    def image_value(self, spec):
        image = self.image(spec["file"], spec.get("alt", ""))
        return {"image": image.pk, "alt_text": spec.get("alt", ""), "decorative": False}

    def callout_value(self, spec):
        return {"kind": spec.get("kind", "tip"), "text": spec["text"]}

    # stream fields -----------------------------------------------------------------------
    def body_stream(self, key, blocks):
        stream = []
        for i, block in enumerate(blocks or []):
            ((kind, value),) = block.items()
            if kind == "figure":
                value = {"image": self.image_value(value), "caption": value.get("caption", "")}
            elif kind == "callout":
                value = self.callout_value(value)
            elif kind == "table":
                value = {
                    "data": [value["header"], *value["rows"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": value.get("caption", ""),
                }
            stream.append({"type": kind, "value": value, "id": block_id(key, "body", i)})
        return stream

    def step_stream(self, key, steps):
        stream = []
        for i, step in enumerate(steps):
            # Optional struct blocks are left out, not set to None, when a step has none.
            value = {"title": step["title"], "text": step["text"]}
            if step.get("image"):
                value["image"] = self.image_value(step["image"])
            if step.get("callout"):
                value["callout"] = self.callout_value(step["callout"])
            stream.append({"type": "step", "value": value, "id": block_id(key, "step", i)})
        return stream

    # pages -------------------------------------------------------------------------------
    def existing(self, model, key, locale):
        return model.objects.filter(translation_key=translation_key(key), locale=locale).first()

    def save_page(self, parent, page, key, locale):
        """Create ``page`` under ``parent`` unless it exists; publish it either way."""
        found = self.existing(type(page), key, locale)
        if found and not self.update:
            return found
        if found:
            for field in page._meta.fields:
                if field.name in {"id", "page_ptr", "path", "depth", "numchild", "url_path"}:
                    continue
                if field.model is not Page or field.name in {"title", "slug", "seo_title"}:
                    setattr(found, field.name, getattr(page, field.name))
            page = found
        else:
            page.locale = locale
            page.translation_key = translation_key(key)
            parent.add_child(instance=page)
            self.created += 1
        page.save_revision().publish(log_action=False)
        return page

    def help_item(self, category, item, locale):
        key = item["key"]
        model = PAGE_TYPES[item["type"]]
        fields = {
            "title": item["title"],
            "slug": item.get("slug", key),
            "summary": item["summary"],
            "keywords": item.get("keywords", ""),
            "review_by": review_by(key),
        }
        if self.owner is not None:
            fields["content_owner"] = self.owner
        if model is ArticlePage:
            fields["body"] = self.body_stream(key, item.get("body"))
        elif model is FaqPage:
            fields["faqs"] = [
                {
                    "type": "faq",
                    "value": {"question": f["q"], "answer": f["a"]},
                    "id": block_id(key, "faq", i),
                }
                for i, f in enumerate(item["faqs"])
            ]
        elif model is GuidePage:
            fields.update(
                prerequisites=item.get("prerequisites", ""),
                estimated_minutes=item.get("minutes", 5),
                steps=self.step_stream(key, item["steps"]),
            )
        else:
            fields.update(
                video=self.document(item["video"]),
                video_alternative=self.document(item["video_alternative"])
                if item.get("video_alternative")
                else None,
                captions=self.document(item["captions"]),
                poster=self.image(item["poster"], f"A frame from the video: {item['title']}")
                if item.get("poster")
                else None,
                duration_seconds=item.get("duration", 0),
                transcript=item["transcript"],
                chapters=[
                    {
                        "type": "chapter",
                        "value": {"start": c["start"], "title": c["title"]},
                        "id": block_id(key, "ch", i),
                    }
                    for i, c in enumerate(item.get("chapters", []))
                ],
            )
        return self.save_page(category, model(**fields), key, locale)

    def home(self, spec, locale):
        root = Page.get_first_root_node()
        page = HomePage(
            title=spec["title"],
            slug=spec.get("slug", f"home-{locale.language_code}"),
            intro=spec.get("intro", ""),
        )
        return self.save_page(root, page, "home", locale)

    def load_language(self, path):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        locale, _ = Locale.objects.get_or_create(language_code=data["language"])
        home = self.home(data["home"], locale)
        by_key = {}
        for cat in data["categories"]:
            category = self.save_page(
                home,
                CategoryPage(
                    title=cat["title"],
                    slug=cat.get("slug", cat["key"]),
                    intro=cat.get("intro", ""),
                    icon=cat.get("icon", ""),
                ),
                f"category:{cat['key']}",
                locale,
            )
            for item in cat["items"]:
                by_key[item["key"]] = self.help_item(category, item, locale)
        popular = [
            {
                "type": "page",
                "value": by_key[k].pk,
                "id": block_id("popular", locale.language_code, k),
            }
            for k in data["home"].get("popular", [])
            if k in by_key
        ]
        if popular and (not home.popular or self.update):
            home.popular = popular
            home.save_revision().publish(log_action=False)
        for ann in data.get("announcements", []):
            self.announcement(ann, locale, by_key)
        if "contact" in data:
            self.contact_details(data["contact"], locale)
        return home

    def announcement(self, spec, locale, by_key):
        key = translation_key(f"announcement:{spec['key']}")
        if ServiceAnnouncement.objects.filter(translation_key=key, locale=locale).exists():
            return
        now = timezone.now()
        starts_at, ends_at = now - timedelta(hours=1), now + timedelta(days=365)
        if "window" in spec:
            # Planned work at the next such time of night, announced from now.
            starts_at, ends_at = next_window(now, *spec["window"])
        ServiceAnnouncement.objects.create(
            translation_key=key,
            locale=locale,
            message=spec["message"],
            severity=spec.get("severity", "info"),
            link=by_key.get(spec.get("link")),
            starts_at=starts_at,
            ends_at=ends_at,
            shown_from=now - timedelta(hours=1),
        )

    def contact_details(self, spec, locale):
        key = translation_key("contact-details")
        if ContactDetails.objects.filter(translation_key=key, locale=locale).exists():
            return
        weekdays = {name: str(number) for number, name in enumerate(calendar.day_name)}
        hours = []
        for day, span in spec.get("hours", {}).items():
            opens, closes = span.split("-")
            value = {"weekday": weekdays[day], "opens": opens, "closes": closes}
            hours.append({"type": "hours", "value": value, "id": block_id("hours", day)})
        ContactDetails.objects.create(
            translation_key=key,
            locale=locale,
            phone=spec.get("phone", ""),
            opening_hours=hours,
            channels=[
                {"type": "channel", "value": channel, "id": block_id("channel", i)}
                for i, channel in enumerate(spec.get("channels", []))
            ],
        )

    def site(self, home):
        # Wagtail's own placeholder home page is replaced by ours.
        Page.objects.filter(
            depth=2, content_type__model="page", content_type__app_label="wagtailcore"
        ).delete()
        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
        site.hostname, site.port, site.root_page = "localhost", 80, home
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()

    @transaction.atomic
    def load(self):
        files = sorted(DEMO_DIR.glob("*.yaml"), key=lambda p: p.stem != settings.LANGUAGE_CODE)
        homes = [self.load_language(path) for path in files]
        if homes:
            self.site(homes[0])
        return self.created

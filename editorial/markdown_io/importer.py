"""Markdown files in, draft help pages out.

Each file is imported on its own: a broken file is reported (file name and problem) and the
others still import. Pages are created or updated as drafts, never published. A page whose
content would not change is left alone (no new revision), so importing the same files twice
changes nothing. A dry run does all the work, reports it, and rolls it back.
"""

import datetime
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.models import Locale, Page

from editorial.models import ImportedDeadLink, TranslationKeyName
from guides.blocks import timecode_seconds
from home import help_types
from home.models import HelpPage, HomePage
from kb.models import CategoryPage

from . import frontmatter
from .links import ImportedFiles
from .media import MediaLibrary, MediaProblem
from .reader import BodyReader, ImportProblem
from .writer import PageWriter

KNOWN_KEYS = {
    "title", "type", "category", "language", "summary", "tags", "translation_key", "slug",
    "owner", "review_by", "minutes", "video", "captions", "poster", "duration", "chapters",
}  # fmt: skip
STREAM_FIELDS = ("body", "faqs", "steps", "chapters")
MAX_FILE_BYTES = 1024 * 1024
MARKDOWN_SUFFIXES = {".md", ".markdown"}
INBOX_SLUG = "inbox"
KEY_NAMESPACE = uuid.UUID("0b5bd1f4-8f0a-4a43-9c0e-6a2f4e9c7d21")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class FileResult:
    path: str
    status: str  # created, updated, unchanged, error
    title: str = ""
    page_id: int | None = None
    messages: list[str] = field(default_factory=list)
    placing: list[str] = field(default_factory=list)  # notes about where the page was put

    @property
    def ok(self):
        return self.status != "error"


@dataclass
class ImportReport:
    dry_run: bool
    files: list[FileResult] = field(default_factory=list)

    def count(self, status):
        return sum(1 for f in self.files if f.status == status)

    @property
    def errors(self):
        return [f for f in self.files if f.status == "error"]

    def as_data(self):
        """The report as JSON-ready data, kept with a background import."""
        return {
            "dry_run": self.dry_run,
            "files": [
                {
                    "path": f.path,
                    "status": f.status,
                    "title": f.title,
                    "page_id": f.page_id,
                    "messages": [str(m) for m in f.messages],
                }
                for f in self.files
            ],
        }


class _DryRunRollback(Exception):
    pass


def page_for_path(path):
    """The page at a public, language-prefixed address such as /en/billing/invoices/."""
    parts = [p for p in path.split("/") if p]
    if not parts:
        return None
    home = HomePage.objects.filter(locale__language_code=parts[0]).first()
    if home is None:
        return None
    url_path = home.url_path + "".join(f"{p}/" for p in parts[1:])
    return Page.objects.filter(url_path=url_path, locale=home.locale).first()


def markdown_files(paths):
    """(root folder, [files]) for the given files and folders; hidden ones are skipped."""
    files = []
    roots = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            roots.append(path.resolve())
            for found in sorted(path.rglob("*")):
                relative = found.relative_to(path)
                if found.suffix.lower() in MARKDOWN_SUFFIXES and found.is_file():
                    if not any(part.startswith(".") for part in relative.parts):
                        files.append(found)
        elif path.is_file():
            roots.append(path.resolve().parent)
            files.append(path)
        else:
            raise FileNotFoundError(f"{given}: no such file or folder")
    return files, roots


class MarkdownImporter:
    """``strip_unknown`` removes other tools' template syntax; ``link_prefixes`` are the old
    site's folders whose addresses name imported files (``/help/`` for ``/help/refunds``);
    ``old_site`` is the old site's address, for its pages that were not imported;
    ``progress(done, total)`` is called as the files are read (a background import shows it)."""

    def __init__(
        self,
        user=None,
        dry_run=False,
        check_permissions=False,
        strip_unknown=False,
        link_prefixes=(),
        old_site="",
        progress=None,
    ):
        self.user = user
        self.progress = progress or (lambda done, total: None)
        self.dry_run = dry_run
        self.check_permissions = check_permissions
        self.strip_unknown = strip_unknown
        self.link_prefixes = link_prefixes
        self.old_site = old_site
        self.report = ImportReport(dry_run=dry_run)
        self.seen = {}

    def run(self, paths, display_root=None):
        files, roots = markdown_files(paths)
        root = (
            Path(display_root).resolve()
            if display_root
            else (roots[0] if len(roots) == 1 else Path("/"))
        )
        self.media = MediaLibrary(root)
        self.imported = ImportedFiles(files, self.link_prefixes, self.old_site)
        if not self.dry_run:
            # Each file commits on its own, so a long import never holds the site's writes.
            self.import_all(files, root)
            return self.report
        try:
            with transaction.atomic():
                self.import_all(files, root)
                raise _DryRunRollback
        except _DryRunRollback:
            pass
        finally:
            self.media.discard_created_files()
        return self.report

    def import_all(self, files, root):
        self.waiting = set()
        self.progress(0, len(files))
        results = []
        for path in files:
            results.append(self.import_file(path, root))
            self.progress(len(results), len(files))
        # Files linking to files imported after them are read again, now that every page
        # exists, so those links reach their pages.
        for index, path in enumerate(files):
            if path.resolve() in self.waiting and results[index].ok:
                self.seen = {k: v for k, v in self.seen.items() if v != results[index].path}
                first, again = results[index], self.import_file(path, root)
                if again.ok:
                    # The first reading's notes about placing the page still hold.
                    again.status = "created" if first.status == "created" else again.status
                    again.messages = list(
                        dict.fromkeys(
                            [
                                *(m for m in first.messages if m in first.placing),
                                *again.messages,
                            ]
                        )
                    )
                results[index] = again
        self.report.files.extend(results)

    # one file ------------------------------------------------------------------------------
    def import_file(self, path, root):
        resolved = path.resolve()
        shown = str(resolved.relative_to(root)) if resolved.is_relative_to(root) else str(path)
        created_before = len(self.media.created)
        try:
            with transaction.atomic():
                return self._import(resolved, shown)
        except (ImportProblem, MediaProblem, frontmatter.FrontMatterError) as err:
            problem = str(err)
        except ValidationError as err:
            problem = "; ".join(_validation_messages(err))
        except OSError as err:
            problem = _("it cannot be read (%(reason)s)") % {"reason": err.strerror or err}
        # The file's database work was rolled back; its stored files must go too.
        for obj in self.media.created[created_before:]:
            obj.file.storage.delete(obj.file.name)
        del self.media.created[created_before:]
        return FileResult(shown, "error", messages=[problem])

    def _import(self, path, shown):
        text = self.read_text(path)
        meta, body = frontmatter.split(text)
        first_line = text[: len(text) - len(body)].count("\n") + 1
        warnings = [
            _("the front matter key '%(key)s' is not used and was ignored") % {"key": k}
            for k in meta
            if k not in KNOWN_KEYS
        ]
        title = text_value(meta, "title", 255, required=True)
        language = text_value(meta, "language", 10, required=True)
        locale = Locale.objects.filter(language_code=language).first()
        if locale is None or language not in dict(settings.WAGTAIL_CONTENT_LANGUAGES):
            codes = ", ".join(code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES)
            raise ImportProblem(
                _("the language '%(language)s' is not one of this site's (%(codes)s)")
                % {"language": language, "codes": codes}
            )
        type_name = text_value(meta, "type", 20) or "article"
        page_models = help_types.page_models()
        model = page_models.get(type_name)
        if model is None:
            raise ImportProblem(
                _("the type '%(type)s' is not one of: %(types)s")
                % {"type": type_name, "types": ", ".join(page_models)}
            )
        key = translation_key(meta.get("translation_key"))
        if key is not None and str(meta["translation_key"]).strip() != str(key):
            TranslationKeyName.objects.update_or_create(
                translation_key=key, defaults={"name": str(meta["translation_key"]).strip()}
            )
        slug = text_value(meta, "slug", 255) or slugify(title, allow_unicode=True)[:255] or "page"
        if slugify(slug, allow_unicode=True) != slug:
            raise ImportProblem(
                _("the slug '%(slug)s' may only have letters, numbers, hyphens and underscores")
                % {"slug": slug}
            )

        existing = self.existing_page(key, slug, locale)
        identity = (existing.pk if existing else (key or slug), locale.pk)
        if identity in self.seen:
            raise ImportProblem(
                _("it describes the same page as %(file)s") % {"file": self.seen[identity]}
            )
        self.seen[identity] = shown
        if existing is not None and not isinstance(existing, model):
            raise ImportProblem(
                _(
                    "'%(title)s' is a %(kind)s on the site; "
                    "its type cannot be changed to '%(type)s' by importing"
                )
                % {"title": existing.title, "kind": existing._meta.verbose_name, "type": type_name}
            )

        links = self.imported.for_file(path, page_for_path)
        reader = BodyReader(
            path, self.media, locale, links, first_line=first_line, strip_unknown=self.strip_unknown
        )
        values = self.field_values(meta, model, title, reader, body)
        owner = self.owner(meta, warnings)
        if owner is not None:
            values["content_owner"] = owner
        if meta.get("review_by") is not None:
            values["review_by"] = date_value(meta, "review_by")

        if existing is None:
            page = self.create(model, values, title, slug, key, locale, meta, warnings)
            self.seen[(page.pk, locale.pk)] = shown
            status = "created"
        else:
            page, status = self.update(existing, values, meta, slug, warnings)
        self.imported.pages[path.resolve()] = page.pk
        # The page editor shows these to the editor (see editorial/link_checks.py).
        ImportedDeadLink.objects.filter(page_id=page.pk).delete()
        ImportedDeadLink.objects.bulk_create(
            ImportedDeadLink(page_id=page.pk, href=href[:2000]) for href in links.dead
        )
        if links.waiting:
            self.waiting.add(path.resolve())
        messages = warnings + reader.warnings
        messages += [
            _("the link '%(href)s' leads nowhere on this site: its text was kept without the link")
            % {"href": href}
            for href in links.dead
        ]
        latest = page.get_latest_revision_as_object() if status == "unchanged" else page
        messages += [
            _("it cannot be published yet: %(problem)s") % {"problem": problem.message}
            for problem in latest.publishing_problems()
        ]
        return FileResult(
            shown, status, title=page.title, page_id=page.pk, messages=messages, placing=warnings
        )

    def read_text(self, path):
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportProblem(_("it is larger than %(kb)d KB") % {"kb": MAX_FILE_BYTES // 1024})
        raw = path.read_bytes()
        if b"\x00" in raw:
            raise ImportProblem(_("it contains NUL bytes; it does not look like a text file"))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ImportProblem(
                _("it is not UTF-8 text (byte %(at)d)") % {"at": err.start}
            ) from err
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        bad = CONTROL.search(text)
        if bad:
            line = text.count("\n", 0, bad.start()) + 1
            raise ImportProblem(
                _("it contains a control character (%(char)s) on line %(line)d")
                % {"char": f"U+{ord(bad.group()):04X}", "line": line}
            )
        return text

    def existing_page(self, key, slug, locale):
        if key is not None:
            page = Page.objects.filter(translation_key=key, locale=locale).first()
        else:
            help_pages = Page.objects.filter(locale=locale, slug=slug).type(HelpPage)
            if help_pages.count() > 1:
                raise ImportProblem(
                    _(
                        "several pages in '%(language)s' have the slug '%(slug)s': "
                        "add the page's translation_key to the front matter"
                    )
                    % {"language": locale.language_code, "slug": slug}
                )
            page = help_pages.first()
        if page is None:
            return None
        page = page.specific
        if not isinstance(page, HelpPage):
            raise ImportProblem(
                _("its translation_key belongs to '%(title)s', which is not a help page")
                % {"title": page.title}
            )
        return page

    def owner(self, meta, warnings):
        username = text_value(meta, "owner", 150)
        if not username:
            return None
        owner = (
            get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()
        )
        if owner is None:
            warnings.append(
                _("there is no user '%(user)s'; the owner was left as it was") % {"user": username}
            )
        return owner

    # field values --------------------------------------------------------------------------
    def field_values(self, meta, model, title, reader, body):
        values = {
            "title": title,
            "summary": text_value(meta, "summary", 600),
            "keywords": tags_value(meta),
        }
        if model.help_type == "article":
            values["body"] = reader.article_body(body)
        elif model.help_type == "faq":
            values["intro"], values["faqs"] = reader.faq(body)
        elif model.help_type == "guide":
            values["prerequisites"], values["steps"] = reader.guide(body)
            values["estimated_minutes"] = int_value(meta, "minutes", 1, 32767, default=5)
        else:
            values.update(self.video_values(meta, reader, body))
        return values

    def video_values(self, meta, reader, body):
        docs = set(settings.WAGTAILDOCS_EXTENSIONS)
        values = {
            "transcript": reader.transcript(body),
            "duration_seconds": int_value(meta, "duration", 0, 24 * 3600, default=0),
            "chapters": chapters_value(meta),
        }
        video, captions, poster = (
            text_value(meta, k, 500) for k in ("video", "captions", "poster")
        )
        values["video"] = (
            self.media.document(reader.file, video, docs & {"webm", "mp4"}) if video else None
        )
        values["captions"] = (
            self.media.document(reader.file, captions, {"vtt"}) if captions else None
        )
        values["poster"] = self.media.image(reader.file, poster) if poster else None
        return values

    # saving --------------------------------------------------------------------------------
    def category(self, meta, locale, warnings):
        slug = text_value(meta, "category", 255)
        home = HomePage.objects.filter(locale=locale).first()
        if home is None:
            raise ImportProblem(
                _("there is no home page in '%(language)s' to import into")
                % {"language": locale.language_code}
            )
        if slug:
            found = CategoryPage.objects.descendant_of(home).filter(slug=slug).first()
            if found is not None:
                return found
            warnings.append(
                _("there is no category '%(slug)s' in '%(language)s'; it was put in the Inbox")
                % {"slug": slug, "language": locale.language_code}
            )
        else:
            warnings.append(_("it names no category; it was put in the Inbox"))
        return self.inbox(home, locale)

    def inbox(self, home, locale):
        """A draft category, never shown to customers, where unfiled items wait for an editor."""
        inbox = home.get_children().filter(slug=INBOX_SLUG).first()
        if inbox is not None:
            return inbox.specific
        self.require(
            home.permissions_for_user(self.user).can_add_subpage()
            if self.check_permissions
            else True
        )
        with override(locale.language_code):
            inbox = CategoryPage(
                title=_("Inbox"),
                slug=INBOX_SLUG,
                intro=_(
                    "Imported help items waiting for a category. Move each to where it belongs."
                ),
                locale=locale,
                translation_key=uuid.uuid5(KEY_NAMESPACE, "category:inbox"),
                live=False,
                has_unpublished_changes=True,
                owner=self.user,
            )
        home.add_child(instance=inbox)
        inbox.save_revision(user=self.user, log_action=False)
        return inbox

    def require(self, allowed):
        if not allowed:
            raise ImportProblem(_("you do not have permission to make this change"))

    def create(self, model, values, title, slug, key, locale, meta, warnings):
        parent = self.category(meta, locale, warnings)
        if self.check_permissions:
            self.require(parent.permissions_for_user(self.user).can_add_subpage())
        slug = free_slug(parent, slug)
        page = model(
            **with_block_ids(values, None),
            slug=slug,
            locale=locale,
            translation_key=key or uuid.uuid4(),
            live=False,
            has_unpublished_changes=True,
            owner=self.user,
        )
        if page.content_owner_id is None and self.user is not None:
            page.content_owner = self.user
        parent.add_child(instance=page)
        page.save_revision(user=self.user, log_action="wagtail.create")
        return page

    def update(self, existing, values, meta, slug, warnings):
        if self.check_permissions:
            self.require(existing.permissions_for_user(self.user).can_edit())
        if existing.locked:
            raise ImportProblem(
                _("'%(title)s' is locked on the site; unlock it first") % {"title": existing.title}
            )
        if existing.workflow_in_progress:
            raise ImportProblem(
                _("'%(title)s' is waiting for review; import it again after the review")
                % {"title": existing.title}
            )
        category = text_value(meta, "category", 255)
        parent = existing.get_parent()
        if category and parent is not None and parent.slug != category:
            warnings.append(
                _("it is in '%(here)s' on the site, not '%(there)s'; move it there in the admin")
                % {"here": parent.slug, "there": category}
            )
        latest = existing.get_latest_revision_as_object()
        writer = PageWriter(media_path=lambda obj: f"{obj._meta.label_lower}:{obj.pk}")
        before = writer.render(latest)
        for name, value in with_block_ids(values, latest).items():
            setattr(latest, name, value)
        if "slug" in meta:
            latest.slug = slug
        if writer.render(latest) == before:
            return existing, "unchanged"
        latest.save_revision(user=self.user, log_action=True)
        return latest, "updated"


def free_slug(parent, slug):
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug[:250]}-{n}"
        n += 1
    return candidate


def with_block_ids(values, previous):
    """``values`` with each stream's (type, value) pairs given block ids: an unchanged
    position (or, in an FAQ, the same question) keeps its old id, so links to an answer
    keep working after an import."""
    values = dict(values)
    for name in STREAM_FIELDS:
        if name not in values:
            continue
        old = [(b.block_type, b.id, b.value) for b in getattr(previous, name)] if previous else []
        by_question = {v["question"]: i for t, i, v in old if t == "faq"}
        items = []
        for index, (kind, value) in enumerate(values[name]):
            block_id = None
            if kind == "faq":
                block_id = by_question.pop(value["question"], None)
            elif index < len(old) and old[index][0] == kind:
                block_id = old[index][1]
            items.append({"type": kind, "value": value, "id": block_id or str(uuid.uuid4())})
        values[name] = items
    return values


# front matter values --------------------------------------------------------------------------
def text_value(meta, key, max_length, required=False):
    value = meta.get(key)
    if value is None:
        if required:
            raise ImportProblem(_("the front matter has no '%(key)s'") % {"key": key})
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ImportProblem(_("'%(key)s' in the front matter must be text") % {"key": key})
    value = str(value).strip()
    if required and not value:
        raise ImportProblem(_("'%(key)s' in the front matter is empty") % {"key": key})
    if len(value) > max_length:
        raise ImportProblem(
            _("'%(key)s' in the front matter is longer than %(count)d characters")
            % {"key": key, "count": max_length}
        )
    return value


def tags_value(meta):
    tags = meta.get("tags")
    if tags is None:
        return ""
    if isinstance(tags, str):
        tags = tags.split(",")
    if not isinstance(tags, list) or not all(isinstance(t, (str, int, float)) for t in tags):
        raise ImportProblem(_("'tags' must be a list of words, or words separated by commas"))
    keywords = ", ".join(str(t).strip() for t in tags if str(t).strip())
    if len(keywords) > 255:
        raise ImportProblem(_("'tags' add up to more than 255 characters"))
    return keywords


def translation_key(value):
    if value is None or value == "":
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise ImportProblem(_("'translation_key' must be text"))
    try:
        return uuid.UUID(str(value))
    except ValueError:
        # Any stable text will do: the same text always gives the same key.
        return uuid.uuid5(KEY_NAMESPACE, str(value).strip())


def date_value(meta, key):
    value = meta.get(key)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError as err:
        raise ImportProblem(_("'%(key)s' must be a date like 2026-01-31") % {"key": key}) from err


def int_value(meta, key, low, high, default):
    value = meta.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ImportProblem(
            _("'%(key)s' must be a whole number from %(low)d to %(high)d")
            % {"key": key, "low": low, "high": high}
        )
    return value


def chapters_value(meta):
    chapters = meta.get("chapters") or []
    if not isinstance(chapters, list):
        raise ImportProblem(_("'chapters' must be a list of 'start' and 'title' pairs"))
    stream = []
    for chapter in chapters:
        if not isinstance(chapter, dict) or not isinstance(chapter.get("title"), str):
            raise ImportProblem(_("each chapter needs a 'start' (like 1:05) and a 'title'"))
        start = chapter.get("start", "")
        if isinstance(start, int) and not isinstance(start, bool):
            # YAML reads an unquoted 1:05 as 65 (base-60 seconds).
            hours, rest = divmod(start, 3600)
            start = (
                f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
                if hours
                else f"{rest // 60}:{rest % 60:02d}"
            )
        start = str(start).strip()
        try:
            timecode_seconds(start)
        except ValueError as err:
            raise ImportProblem(
                _("the chapter start '%(start)s' is not minutes:seconds, like 1:05")
                % {"start": start}
            ) from err
        stream.append(("chapter", {"start": start, "title": chapter["title"].strip()[:120]}))
    return stream


def _validation_messages(err):
    if hasattr(err, "message_dict"):
        return [f"{name}: {' '.join(messages)}" for name, messages in err.message_dict.items()]
    return list(err.messages)

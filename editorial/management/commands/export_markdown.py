from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale, Page

from editorial.markdown_io.exporter import MarkdownExporter
from home.models import HelpPage


class Command(BaseCommand):
    help = (
        "Write help pages (their latest version, drafts included) as Markdown files that "
        "import_markdown reads back."
    )

    def add_arguments(self, parser):
        parser.add_argument("out_dir", metavar="OUT_DIR")
        parser.add_argument(
            "--language", action="append", help="Only this language (repeat for more)."
        )

    def handle(self, *args, out_dir, language=None, **options):
        pages = Page.objects.type(HelpPage).select_related("locale").order_by("path")
        if language:
            known = set(
                Locale.objects.filter(language_code__in=language).values_list(
                    "language_code", flat=True
                )
            )
            unknown = sorted(set(language) - known)
            if unknown:
                raise CommandError(f"Unknown language: {', '.join(unknown)}")
            pages = pages.filter(locale__language_code__in=language)
        written = MarkdownExporter(out_dir).export(pages.specific())
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} Markdown files to {out_dir}."))

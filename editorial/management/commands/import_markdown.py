from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from editorial.markdown_io.importer import MarkdownImporter

LABELS = {
    False: {"created": "created", "updated": "updated", "unchanged": "unchanged", "error": "ERROR"},
    True: {
        "created": "would create",
        "updated": "would update",
        "unchanged": "unchanged",
        "error": "ERROR",
    },
}


class Command(BaseCommand):
    help = (
        "Import Markdown files (with front matter) as draft help pages. Give files or folders; "
        "folders are searched for *.md. Nothing is published."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; change nothing."
        )
        parser.add_argument("--user", help="Username recorded as the author of the new drafts.")
        parser.add_argument(
            "--strip-unknown",
            action="store_true",
            help="Remove other tools' macros, includes and shortcodes ({!…!}, {% … %}, "
            "{{ … }}, {start_tabs}); without it they are kept as text and reported.",
        )
        parser.add_argument(
            "--link-prefix",
            action="append",
            default=[],
            metavar="PATH",
            help="The old site's folder whose addresses name the imported files, e.g. /help/ "
            "(so /help/refunds links to the page imported from refunds.md). Repeatable.",
        )
        parser.add_argument(
            "--old-site",
            default="",
            metavar="URL",
            help="The old site's address (https://…): its links to pages that were not "
            "imported become full addresses there instead of dead links.",
        )

    def handle(
        self,
        *args,
        paths,
        dry_run=False,
        user=None,
        strip_unknown=False,
        link_prefix=(),
        old_site="",
        **options,
    ):
        author = None
        if user:
            User = get_user_model()
            author = User.objects.filter(**{User.USERNAME_FIELD: user}).first()
            if author is None:
                raise CommandError(f"There is no user '{user}'.")
        try:
            report = MarkdownImporter(
                user=author,
                dry_run=dry_run,
                strip_unknown=strip_unknown,
                link_prefixes=link_prefix,
                old_site=old_site,
            ).run(paths)
        except FileNotFoundError as err:
            raise CommandError(str(err)) from err
        labels = LABELS[dry_run]
        for result in report.files:
            line = f"{labels[result.status]:>12}  {result.path}"
            if result.title and result.status != "error":
                line += f"  ({result.title})"
            self.stdout.write(self.style.ERROR(line) if result.status == "error" else line)
            for message in result.messages:
                self.stdout.write(
                    f"{'':>14}{'problem' if result.status == 'error' else 'note'}: {message}"
                )
        summary = ", ".join(
            f"{report.count(s)} {labels[s]}" for s in ("created", "updated", "unchanged", "error")
        )
        prefix = "Dry run, nothing saved: " if dry_run else ""
        self.stdout.write(
            (self.style.WARNING if report.errors else self.style.SUCCESS)(f"{prefix}{summary}.")
        )
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} file(s) could not be imported; see the problems above."
            )

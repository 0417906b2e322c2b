from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from demo.loader import DemoLoader
from demo.users import MissingRoleGroup, ensure_admin, ensure_role_users, role_password


class Command(BaseCommand):
    help = (
        "Set up the demo help center in one step, safe to run again: pending migrations, the "
        "demo logins, the English and Hebrew content and the search index."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update", action="store_true", help="Overwrite demo pages that already exist."
        )
        parser.add_argument(
            "--owner", default="editor", help="Username of the content owner of new demo pages."
        )
        parser.add_argument(
            "--no-index", action="store_true", help="Leave the search index as it is."
        )

    def handle(self, *args, update=False, owner="editor", no_index=False, **options):
        quiet = options["verbosity"] == 0
        self.migrate(quiet)
        self.ensure_logins(quiet)
        User = get_user_model()
        content_owner = User.objects.filter(**{User.USERNAME_FIELD: owner}).first()
        if content_owner is None:
            raise CommandError(f"There is no user '{owner}'.")
        log = (lambda *a, **k: None) if quiet else self.stdout.write
        created = DemoLoader(log=log, update=update, owner=content_owner).load()
        if not no_index:
            self.reindex(quiet)
        if not quiet:
            self.stdout.write(self.style.SUCCESS(f"Demo content ready ({created} new pages)."))
            self.print_logins()

    def migrate(self, quiet):
        """Apply pending migrations only, so that a loaded site is left untouched."""
        for alias in dict.fromkeys([DEFAULT_DB_ALIAS, settings.INSIGHTS_DATABASE]):
            executor = MigrationExecutor(connections[alias])
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                call_command(
                    "migrate", database=alias, interactive=False, verbosity=0 if quiet else 1
                )

    def ensure_logins(self, quiet):
        try:
            self.users = ensure_role_users()
        except MissingRoleGroup as err:
            raise CommandError(str(err)) from err
        self.admin = ensure_admin()

    def reindex(self, quiet):
        """The embedded index always; a remote engine when it answers (else later, by
        `search_reindex` or the worker: search works meanwhile from the embedded index)."""
        verbosity = 0 if quiet else 1
        call_command("search_reindex", engine="default", no_progress=True, verbosity=verbosity)
        if settings.SEARCH_ENGINE != "default":
            try:
                call_command("search_reindex", no_progress=True, verbosity=verbosity)
            except CommandError as err:
                self.stderr.write(f"{err}\nThe embedded index answers searches meanwhile.")

    def print_logins(self):
        username, password, _created = self.admin
        self.stdout.write(self.style.SUCCESS(f"Admin: /admin/  login: {username} / {password}"))
        for name, group, does, _created in self.users:
            self.stdout.write(f"{group} ({does}): /admin/  login: {name} / {role_password()}")

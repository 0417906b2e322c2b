from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from home.demo import DemoLoader


class Command(BaseCommand):
    help = "Load the English and Hebrew demo help center (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--update", action="store_true", help="Overwrite demo pages that already exist."
        )
        parser.add_argument("--owner", help="Username of the content owner of new demo pages.")

    def handle(self, *args, update=False, owner=None, **options):
        content_owner = None
        if owner:
            User = get_user_model()
            content_owner = User.objects.filter(**{User.USERNAME_FIELD: owner}).first()
            if content_owner is None:
                raise CommandError(f"There is no user '{owner}'.")
        created = DemoLoader(log=self.stdout.write, update=update, owner=content_owner).load()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({created} new pages)."))

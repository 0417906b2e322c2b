import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEFAULT_USERNAME = "admin"
DEFAULT_PASSWORD = "helpcenter-demo"  # noqa: S105 - the documented demo login, never production


class Command(BaseCommand):
    help = "Create the demo administrator if missing and print its login."

    def handle(self, *args, **options):
        username = os.environ.get("DEMO_ADMIN_USERNAME", DEFAULT_USERNAME)
        password = os.environ.get("DEMO_ADMIN_PASSWORD", DEFAULT_PASSWORD)
        User = get_user_model()
        if not User.objects.filter(username=username).exists():
            User.objects.create_superuser(username, f"{username}@example.com", password)
            self.stdout.write(f"Created the demo administrator '{username}'.")
        self.stdout.write(self.style.SUCCESS(f"Admin: /admin/  login: {username} / {password}"))

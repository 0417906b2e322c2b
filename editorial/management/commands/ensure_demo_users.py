import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from editorial.roles import EDITORS, REVIEWERS, SEARCH_MANAGERS

DEFAULT_PASSWORD = "helpcenter-demo"  # noqa: S105 - the documented demo login, never production
DEMO_USERS = [
    ("editor", "Erin", "Editor", EDITORS, "writes and submits for review"),
    ("reviewer", "Ravi", "Reviewer", REVIEWERS, "approves and publishes"),
    ("searchmanager", "Sam", "Searchmanager", SEARCH_MANAGERS, "search reports"),
]


class Command(BaseCommand):
    help = "Create one demo user per editorial role if missing and print their logins."

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_USERS_PASSWORD", DEFAULT_PASSWORD)
        User = get_user_model()
        for username, first, last, group_name, does in DEMO_USERS:
            group = Group.objects.filter(name=group_name).first()
            if group is None:
                raise CommandError(
                    f"The group '{group_name}' is missing: run 'manage.py migrate' first."
                )
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username, f"{username}@example.com", password, first_name=first, last_name=last
                )
                self.stdout.write(f"Created the demo user '{username}'.")
            user.groups.add(group)
            self.stdout.write(
                self.style.SUCCESS(
                    f"{group_name} ({does}): /admin/  login: {username} / {password}"
                )
            )

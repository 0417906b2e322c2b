"""The demo logins: an administrator and one user per editorial role."""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from editorial.roles import EDITORS, REVIEWERS, SEARCH_MANAGERS

DEFAULT_PASSWORD = "helpcenter-demo"  # noqa: S105 - the documented demo login, never production
ROLE_USERS = [
    ("editor", "Erin", "Editor", EDITORS, "writes and submits for review"),
    ("reviewer", "Ravi", "Reviewer", REVIEWERS, "approves and publishes"),
    ("searchmanager", "Sam", "Searchmanager", SEARCH_MANAGERS, "search reports"),
]


class MissingRoleGroup(Exception):
    pass


def ensure_admin():
    """The demo superuser, created if missing; returns (username, password, created)."""
    username = os.environ.get("DEMO_ADMIN_USERNAME", "admin")
    password = os.environ.get("DEMO_ADMIN_PASSWORD", DEFAULT_PASSWORD)
    User = get_user_model()
    created = not User.objects.filter(username=username).exists()
    if created:
        User.objects.create_superuser(username, f"{username}@example.com", password)
    return username, password, created


def ensure_role_users():
    """One user per editorial role, created if missing and put in its group.

    Returns a list of (username, group name, what the role does, created)."""
    password = os.environ.get("DEMO_USERS_PASSWORD", DEFAULT_PASSWORD)
    User = get_user_model()
    done = []
    for username, first, last, group_name, does in ROLE_USERS:
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            raise MissingRoleGroup(f"The group '{group_name}' is missing: migrations did not run.")
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User.objects.create_user(
                username, f"{username}@example.com", password, first_name=first, last_name=last
            )
        user.groups.add(group)
        done.append((username, group_name, does, created))
    return done


def role_password():
    return os.environ.get("DEMO_USERS_PASSWORD", DEFAULT_PASSWORD)

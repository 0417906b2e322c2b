from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from home import retention


class Command(BaseCommand):
    help = (
        "Erase everything held about one contact e-mail address (a person's request to delete "
        "their data) and keep a record that it was done, without the address itself."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        try:
            validate_email(email.strip())
        except ValidationError as err:
            raise CommandError("Give one e-mail address.") from err
        record = retention.erase_person(email, requested_by="manage.py erase_personal_data")
        for name, count in record.counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(f"Recorded as erasure {record.pk} ({record.email_digest[:12]}…).")

from django.core.management.base import BaseCommand

from home import retention


class Command(BaseCommand):
    help = (
        "Delete everything kept longer than its retention setting: logged searches and clicks, "
        "feedback, contact requests, rate-limit counters and expired sessions (README "
        '"Privacy"). The background worker runs it; run it daily from cron otherwise.'
    )

    def handle(self, *args, **options):
        for name, count in retention.purge_expired().items():
            self.stdout.write(f"{name}: {count} deleted")

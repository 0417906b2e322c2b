import time

from django.core.management.base import BaseCommand, CommandError

from search import outbox
from search.engines import remote_engine_names


class Command(BaseCommand):
    help = (
        "Show and apply the index work waiting for remote search engines (Elasticsearch): "
        "without options, how much is pending; --drain applies what is due, --replay applies "
        "everything now (after an outage), --watch keeps applying it (a worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--engine", help="One remote engine from SEARCH_ENGINES (default: all)."
        )
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--drain", action="store_true", help="Apply the work that is due.")
        action.add_argument(
            "--replay", action="store_true", help="Apply all pending work now, ignoring back-off."
        )
        action.add_argument("--watch", action="store_true", help="Keep applying due work.")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds between rounds of --watch."
        )
        parser.add_argument(
            "--stop-after",
            type=float,
            default=None,
            help="End --watch after this many seconds (e.g. run from cron each minute).",
        )

    def handle(self, *args, engine=None, drain=False, replay=False, watch=False, **options):
        names = remote_engine_names()
        if engine and engine not in names:
            raise CommandError(
                f"{engine!r} is not a remote engine in SEARCH_ENGINES ({names or 'none'})."
            )
        names = [engine] if engine else names
        if watch:
            self.watch(names, options["interval"], options["stop_after"])
        elif drain or replay:
            failed = 0
            for name in names:
                report = outbox.drain(name, force=replay)
                failed += report.failed + (report.remaining if replay else 0)
                self.write_report(report)
            if replay and failed:
                raise CommandError("Some index work could not be applied; it stays pending.")
        self.write_status(names)

    def watch(self, names, interval, stop_after):
        ends = None if stop_after is None else time.monotonic() + stop_after
        while ends is None or time.monotonic() < ends:
            for name in names:
                report = outbox.drain(name)
                if report.applied or report.failed:
                    self.write_report(report)
            pause = interval if ends is None else min(interval, ends - time.monotonic())
            time.sleep(max(0.0, pause))

    def write_report(self, report):
        if report.skipped:
            self.stdout.write(f"{report.engine}: not tried ({report.skipped}).")
            return
        line = f"{report.engine}: {report.applied} pages written, {report.failed} failed."
        self.stdout.write(
            self.style.SUCCESS(line) if not report.failed else self.style.WARNING(line)
        )
        for error in report.errors[:5]:
            self.stdout.write(f"  {error}")

    def write_status(self, names):
        rows = [h for h in outbox.health() if h.engine in names]
        if not rows:
            self.stdout.write("No remote search engine is configured; nothing is pending.")
        for health in rows:
            status = health.status
            line = f"{health.engine}: {health.pending} pending ({health.retrying} retrying)"
            if health.oldest_pending_at:
                line += f", oldest recorded {health.oldest_pending_at:%Y-%m-%d %H:%M:%S}"
            self.stdout.write(line + ".")
            if status and status.writes_failing():
                self.stdout.write(self.style.WARNING(f"  writes failing: {status.last_error}"))
            if status and status.searches_degraded():
                self.stdout.write(
                    self.style.WARNING(
                        f"  searches answered by the fallback: {status.search_error}"
                    )
                )

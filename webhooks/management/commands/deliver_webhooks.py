import signal
import threading

from django.core.management.base import BaseCommand

from webhooks.options import webhook_option
from webhooks.services import delivery_attempt
from webhooks.transport import session_create


class Command(BaseCommand):
    help = (
        "Send queued webhook deliveries, signed, retrying failures with backoff. "
        "Runs until SIGTERM or SIGINT (finishing the delivery in hand), or with --once "
        "sends what is due now and exits. Run one or more workers on PostgreSQL; "
        "on SQLite, run one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Send every delivery due now, then exit."
        )
        parser.add_argument(
            "--poll-seconds",
            type=float,
            default=None,
            help="How long to sleep when nothing is due (default: WEBHOOK_POLL_SECONDS).",
        )

    def handle(self, *args, once=False, poll_seconds=None, **options):
        poll_seconds = poll_seconds or webhook_option("WEBHOOK_POLL_SECONDS")
        self.stop = threading.Event()
        previous = {}
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous[signum] = signal.signal(signum, self.request_stop)
        try:
            with session_create() as session:
                self.run(session=session, once=once, poll_seconds=poll_seconds)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def request_stop(self, signum, frame):
        self.stdout.write(f"Signal {signum}: stopping after the delivery in hand.")
        self.stop.set()

    def run(self, *, session, once, poll_seconds):
        sent = 0
        while not self.stop.is_set():
            delivery = delivery_attempt(session=session)
            if delivery is None:
                if once:
                    break
                self.stop.wait(poll_seconds)
                continue
            sent += 1
            self.report(delivery)
        self.stdout.write(f"{sent} delivery attempt(s) made.")

    def report(self, delivery):
        line = f"{delivery.event.event_type} to {delivery.endpoint.name}: {delivery.status}"
        if delivery.status == delivery.Status.DELIVERED:
            self.stdout.write(self.style.SUCCESS(line))
        elif delivery.status == delivery.Status.PENDING:
            self.stdout.write(
                self.style.WARNING(
                    f"{line} ({delivery.last_error}); next attempt at "
                    f"{delivery.next_attempt_at:%Y-%m-%d %H:%M:%S %Z}"
                )
            )
        else:
            self.stdout.write(self.style.ERROR(f"{line} ({delivery.last_error})"))

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.workflows.conftest import article, index, on_commit, people  # noqa: F401
from webhooks.events import EVENT_TYPES
from webhooks.models import WebhookEndpoint


@pytest.fixture
def webhook_options(settings):
    def configure(**options):
        settings.VETTED = {**settings.VETTED, **options}

    return configure


@pytest.fixture
def private_targets_allowed(webhook_options):
    """Receivers in these tests listen on this machine: a private address, refused unless
    the administrator's option allows it."""
    webhook_options(WEBHOOK_ALLOW_PRIVATE_TARGETS=True)


@pytest.fixture
def make_endpoint():
    def make(url="http://127.0.0.1:9/hooks", events=EVENT_TYPES, active=True, name=None):
        return WebhookEndpoint.objects.create(
            name=name or f"Endpoint {WebhookEndpoint.objects.count() + 1}",
            url=url,
            events=sorted(events),
            active=active,
        )

    return make


class Receiver:
    """A webhook receiver on a free port of a loopback address, recording every request
    it gets."""

    def __init__(self, *, host="127.0.0.1", port=0, ssl_context=None):
        self.host = host
        self.requests = []
        self.status = 200
        self.headers = {}  # sent with every response
        self.on_request = None
        self.port = port
        self.server = None
        self.ssl_context = ssl_context  # speaks https with it

    @property
    def url(self):
        scheme = "https" if self.ssl_context else "http"
        return f"{scheme}://{self.host}:{self.port}/hooks"

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                if receiver.on_request:
                    receiver.on_request()
                self.send_response(receiver.status)
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        # The same port again after a restart: the endpoint's URL does not change.
        self.server = ThreadingHTTPServer((self.host, self.port), Handler)
        if self.ssl_context is not None:
            self.server.socket = self.ssl_context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join()
            self.server = None


@pytest.fixture
def make_receiver():
    """Start receivers (`Receiver` arguments); each is stopped after the test."""
    started = []

    def make(**options):
        running = Receiver(**options)
        started.append(running)
        running.start()
        return running

    yield make
    for running in started:
        running.stop()


@pytest.fixture
def receiver(make_receiver):
    return make_receiver()

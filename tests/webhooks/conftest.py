import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.workflows.conftest import article, index, on_commit, people  # noqa: F401
from webhooks.events import EVENT_TYPES
from webhooks.models import WebhookEndpoint


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
    """A webhook receiver on a free loopback port, recording every request it gets."""

    def __init__(self):
        self.requests = []
        self.status = 200
        self.on_request = None
        self.port = 0
        self.server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                if receiver.on_request:
                    receiver.on_request()
                self.send_response(receiver.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        # The same port again after a restart: the endpoint's URL does not change.
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
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
def receiver():
    running = Receiver()
    running.start()
    yield running
    running.stop()

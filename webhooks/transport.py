"""How the worker talks to receivers: a requests session that connects only to an
address `webhooks.targets` checked, and plain words for how an attempt failed.

requests would resolve the endpoint's name again when it connects, and a name may
resolve to a public address for the check and to a private one a moment later
(DNS rebinding). `CheckedAddressAdapter` resolves and checks the name itself and
opens the connection to that address, naming the host in the ``Host`` header
and, for https, in SNI and in the certificate check, so TLS verifies the name as
it would without the pin. The session reads nothing from the environment: no
proxy (it would connect by name) and no netrc credentials.
"""

from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from .targets import target_address

DEFAULT_PORTS = {"http": 80, "https": 443}


class CheckedAddressAdapter(HTTPAdapter):
    """Connects to the address `target_address` returned for the request's host, and to no other.

    Connections are pooled per address and name, so one kept alive from an earlier
    delivery goes to an address that was checked when it was opened.
    """

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        host_params, pool_kwargs = self.build_connection_pool_key_attributes(request, verify, cert)
        scheme, host = host_params["scheme"], host_params["host"]
        port = host_params["port"] or DEFAULT_PORTS[scheme]
        address = target_address(host=host, port=port)
        if scheme == "https":
            pool_kwargs = {**pool_kwargs, "server_hostname": host, "assert_hostname": host}
        return self.poolmanager.connection_from_host(
            host=str(address), port=port, scheme=scheme, pool_kwargs=pool_kwargs
        )

    def add_headers(self, request, **kwargs):
        # The connection is opened to an address: the name goes in the Host header.
        netloc = urlsplit(request.url).netloc
        request.headers["Host"] = netloc.rpartition("@")[2]


def session_create(*, verify=True):
    """A session for sending webhooks; `verify` may name a CA bundle (tests use their own)."""
    session = requests.Session()
    session.trust_env = False
    session.verify = verify
    adapter = CheckedAddressAdapter()
    for prefix in ("http://", "https://"):
        session.mount(prefix, adapter)
    return session


def failure_reason(error):
    """What a `requests` exception means, for the deliveries log; details go to the server log."""
    if isinstance(error, requests.ConnectTimeout):
        return "timed out connecting"
    if isinstance(error, requests.Timeout):
        return "timed out waiting for the answer"
    if isinstance(error, requests.exceptions.SSLError):
        return "could not connect securely: the receiver's certificate was not accepted"
    if isinstance(error, requests.ConnectionError):
        return "could not connect"
    return "the request could not be sent"


def response_reason(status_code):
    """Why a response is not a delivery, or "" when it is one (2xx)."""
    if 200 <= status_code < 300:
        return ""
    if 300 <= status_code < 400:
        return f"redirects are not followed: the receiver answered {status_code}"
    return f"the receiver answered {status_code}"

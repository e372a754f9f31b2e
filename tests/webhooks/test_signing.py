"""A receiver can tell a genuine, fresh request from a forged, altered or replayed one."""

import hashlib
import hmac

from webhooks import signing

SECRET = "whsec_test-secret"
BODY = b'{"data":{"article":{"id":7}},"id":"abc","type":"article.published"}'
NOW = 1_800_000_000


def headers():
    return signing.signed_headers(
        secret=SECRET, body=BODY, event_id="abc", event_type="article.published", timestamp=NOW
    )


def valid(*, body=BODY, secret=SECRET, timestamp=None, signature=None, now=NOW):
    sent = headers()
    return signing.signature_valid(
        secret=secret,
        body=body,
        timestamp=sent[signing.TIMESTAMP_HEADER] if timestamp is None else timestamp,
        signature_header=sent[signing.SIGNATURE_HEADER] if signature is None else signature,
        now=now,
    )


def test_signature_is_hmac_sha256_of_timestamp_dot_body():
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    sent = headers()
    assert sent[signing.SIGNATURE_HEADER] == f"sha256={expected}"
    assert sent[signing.TIMESTAMP_HEADER] == str(NOW)
    assert sent[signing.EVENT_ID_HEADER] == "abc"


def test_a_genuine_request_verifies():
    assert valid()


def test_a_tampered_body_fails():
    assert not valid(body=BODY.replace(b'"id":7', b'"id":8'))


def test_the_wrong_secret_fails():
    assert not valid(secret="whsec_someone-else")


def test_a_replay_with_a_fresh_timestamp_fails():
    assert not valid(timestamp=str(NOW + 600), now=NOW + 600)


def test_a_stale_request_fails_even_with_its_own_signature():
    assert not valid(now=NOW + signing.DEFAULT_TOLERANCE_SECONDS + 1)


def test_a_missing_or_malformed_signature_fails():
    assert not valid(signature="")
    assert not valid(timestamp="yesterday")

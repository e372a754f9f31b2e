"""Delivery keys in DRF: a request with a refused key is a 401 on every endpoint.

The API has no accounts. A valid key is the request's ``auth`` (a
`keys.KeyGrant`, read by `api.throttling`); the user stays None, as for
everyone. Without the header the request is anonymous; with a key that is
unknown, revoked or malformed it is refused, and the 401's
``WWW-Authenticate`` names the scheme.
"""

from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from . import keys


class DeliveryKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        refusal = keys.delivery_key_refusal(request)
        if refusal is not None:
            raise AuthenticationFailed(refusal)
        grant = keys.delivery_key_grant(request)
        return None if grant is None else (None, grant)

    def authenticate_header(self, request):
        return 'Bearer realm="Vetted delivery API"'

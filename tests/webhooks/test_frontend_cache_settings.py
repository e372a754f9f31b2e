"""CDN purging is configured from the environment when a CDN is named, and only then.

Tag purges (Varnish with xkey, Fastly, Cloudflare) go through `api.purging`;
caches that purge only by URL through Wagtail's frontend-cache backends.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CDN_VARIABLES = (
    "VETTED_FRONTEND_CACHE_URL",
    "VETTED_CLOUDFLARE_ZONE_ID",
    "VETTED_CLOUDFLARE_API_TOKEN",
    "VETTED_FASTLY_SERVICE_ID",
    "VETTED_FASTLY_API_TOKEN",
    "VETTED_VARNISH_URL",
)
PROBE = """
import json, django
django.setup()
from django.conf import settings
from wagtail.contrib.frontend_cache.utils import get_backends
from api import purging
print(json.dumps({
    "configured": hasattr(settings, "WAGTAILFRONTENDCACHE"),
    "backends": sorted(type(b).__name__ for b in get_backends().values()),
    "tag_backends": sorted(type(b).__name__ for b in purging.backends().values()),
}))
"""


def frontend_cache(**variables):
    environment = {k: v for k, v in os.environ.items() if k not in CDN_VARIABLES}
    environment.update(DJANGO_SETTINGS_MODULE="cms.settings.test", **variables)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_cdn_in_the_environment_means_no_purging():
    assert frontend_cache() == {"configured": False, "backends": [], "tag_backends": []}


def test_an_http_purge_cache_is_configured_from_its_url():
    got = frontend_cache(VETTED_FRONTEND_CACHE_URL="http://127.0.0.1:6081")
    assert got == {"configured": True, "backends": ["HTTPBackend"], "tag_backends": []}


def test_varnish_with_xkey_is_configured_from_its_url():
    got = frontend_cache(VETTED_VARNISH_URL="http://127.0.0.1:6081")
    assert got == {"configured": False, "backends": [], "tag_backends": ["VarnishXkeyBackend"]}


def test_cloudflare_is_configured_from_its_zone_and_token():
    got = frontend_cache(
        VETTED_CLOUDFLARE_ZONE_ID="0123456789abcdef", VETTED_CLOUDFLARE_API_TOKEN="token"
    )
    assert got == {"configured": False, "backends": [], "tag_backends": ["CloudflareBackend"]}


def test_fastly_is_configured_from_its_service_and_token():
    got = frontend_cache(VETTED_FASTLY_SERVICE_ID="svc", VETTED_FASTLY_API_TOKEN="token")
    assert got == {"configured": False, "backends": [], "tag_backends": ["FastlyBackend"]}


def test_a_cdn_named_without_its_token_is_not_configured():
    got = frontend_cache(VETTED_CLOUDFLARE_ZONE_ID="0123456789abcdef")
    assert got == {"configured": False, "backends": [], "tag_backends": []}

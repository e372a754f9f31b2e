"""CDN purging is configured from the environment when a CDN is named, and only then."""

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
)
PROBE = """
import json, django
django.setup()
from django.conf import settings
from wagtail.contrib.frontend_cache.utils import get_backends
print(json.dumps({
    "configured": hasattr(settings, "WAGTAILFRONTENDCACHE"),
    "backends": sorted(type(b).__name__ for b in get_backends().values()),
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
    assert frontend_cache() == {"configured": False, "backends": []}


def test_an_http_purge_cache_is_configured_from_its_url():
    got = frontend_cache(VETTED_FRONTEND_CACHE_URL="http://127.0.0.1:6081")
    assert got == {"configured": True, "backends": ["HTTPBackend"]}


def test_cloudflare_is_configured_from_its_zone_and_token():
    got = frontend_cache(
        VETTED_CLOUDFLARE_ZONE_ID="0123456789abcdef", VETTED_CLOUDFLARE_API_TOKEN="token"
    )
    assert got == {"configured": True, "backends": ["CloudflareBackend"]}

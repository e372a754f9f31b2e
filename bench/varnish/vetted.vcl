# Varnish in front of Vetted: cache by Cache-Control (as the builtin VCL does),
# purge one URL with `PURGE <path>`, purge by cache tag with `PURGE /` and an
# `xkey-purge: <tag> <tag> …` header (xkey from Debian's varnish-modules).
#
# The app sends both kinds once a change has committed (api.purging, api.tasks):
# VETTED_VARNISH_URL for tags, VETTED_FRONTEND_CACHE_URL for Wagtail's URL
# purges. Every API and frontend response names what it shows in an `xkey`
# header (space-separated tags), which the module indexes when the object is
# stored. `make cdn-check` (bench/cdn_check.py) runs this file against a local
# gunicorn, pointing the backend below at the port it serves on.
vcl 4.1;

import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge. Loopback only here; add the app servers' addresses in a deployment.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from this address"));
        }
        if (req.http.xkey-purge) {
            # A hard purge: the objects go, so nothing stale is served in grace
            # or answered 304 from a kept copy.
            set req.http.x-purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.x-purged + " objects"));
        }
        # Wagtail's URL purge: this URL on this Host, every variant (Vary).
        return (purge);
    }
    # Everything else falls through to the builtin vcl_recv: GET and HEAD
    # without Authorization or Cookie are looked up, the rest is passed.
}

sub vcl_deliver {
    # For people reading responses with curl; X-Varnish with two ids says the same.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}

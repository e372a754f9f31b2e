# The cdn-check's "CDN is down for purges" state: every PURGE is answered 503,
# while readers are served from the same cache as before (a VCL switch keeps the
# cached objects). bench/cdn_check.py loads it with `varnishadm vcl.load` and
# switches back to vetted.vcl with `vcl.use` to check that refused purges are
# retried until they land. Not for deployments.
vcl 4.1;

sub vcl_recv {
    if (req.method == "PURGE") {
        return (synth(503, "Purges refused (cdn-check)"));
    }
}

include "vetted.vcl";

"""The security headers every page sends: one policy, used in the pages' <meta> tags and in _headers."""

from __future__ import annotations

# Only the site's own files; no inline script or style, no eval, no plugins, no <base> tricks.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)
REFERRER_POLICY = "no-referrer"


def headers_file() -> str:
    """`_headers` for hosts that read one (Netlify, Cloudflare Pages). Embeds must stay framable anywhere."""
    return (
        "/*\n"
        f"  Content-Security-Policy: {CONTENT_SECURITY_POLICY}\n"
        f"  Referrer-Policy: {REFERRER_POLICY}\n"
        "  X-Content-Type-Options: nosniff\n"
        "  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=(), browsing-topics=()\n"
        "  Cross-Origin-Opener-Policy: same-origin\n"
    )

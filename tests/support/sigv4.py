"""AWS Signature Version 4 at a moment of the caller's choosing, computed as botocore's SigV4Auth
computes it for a JSON/REST service (cognito-sync, lambda): the path encoded once more, the query
sorted as sent, every header but botocore's unsigned ones signed, the body's SHA-256.

botocore's signers always read the clock, and where they read it is private and differs between
versions (1.29, Debian 12's, calls datetime.utcnow() inside add_auth; 1.43 goes through
botocore.auth.get_current_datetime), so a request signed in the past or future, or a signature
checked at a request's own X-Amz-Date, is computed here instead, with the standard library only."""
import datetime
import hashlib
import hmac
import urllib.parse

ALGORITHM = "AWS4-HMAC-SHA256"
# botocore.auth.SIGNED_HEADERS_BLACKLIST: headers a proxy may change, never signed.
UNSIGNED_HEADERS = {"expect", "user-agent", "x-amzn-trace-id"}


def amz_date(when):
    """The X-Amz-Date value of an aware datetime."""
    return when.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _hmac(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def _canonical_headers(url, headers):
    signed = {}
    for name, value in headers.items():
        if name.lower() not in UNSIGNED_HEADERS:
            signed[name.lower()] = " ".join(str(value).split())
    if "host" not in signed:
        parts = urllib.parse.urlsplit(url)
        default_port = {"http": 80, "https": 443}[parts.scheme]
        signed["host"] = parts.hostname if parts.port in (None, default_port) else parts.netloc
    names = sorted(signed)
    return "".join(f"{n}:{signed[n]}\n" for n in names), ";".join(names)


def authorization(method, url, headers, body, access_key, secret, region, service):
    """The Authorization header value for a request to `url` (path percent-encoded as sent)
    carrying `headers`, which must include X-Amz-Date (and X-Amz-Security-Token when there is
    one); Host comes from the url unless `headers` has it. `body` is bytes."""
    lower = {k.lower(): v for k, v in headers.items()}
    date = lower["x-amz-date"]
    # botocore signs the X-Amz-Content-SHA256 value as the payload hash when the header is there.
    payload = lower.get("x-amz-content-sha256") or hashlib.sha256(body).hexdigest()
    parts = urllib.parse.urlsplit(url)
    pairs = sorted(pair.partition("=")[::2] for pair in parts.query.split("&") if pair)
    query = "&".join(f"{k}={v}" for k, v in pairs)
    canonical_headers, signed_headers = _canonical_headers(url, headers)
    canonical = "\n".join([method, urllib.parse.quote(parts.path or "/", safe="/~"), query,
                           canonical_headers, signed_headers, payload])
    scope = f"{date[:8]}/{region}/{service}/aws4_request"
    to_sign = "\n".join([ALGORITHM, date, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = _hmac(("AWS4" + secret).encode("utf-8"), date[:8])
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return (f"{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders={signed_headers}, "
            f"Signature={signature}")

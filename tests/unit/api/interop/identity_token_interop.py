"""Tokens cogsync signs verify with Python's `cryptography`, and tokens signed there (RS256 and
ES256) verify in cogsync; a tampered one does not. argv[1]: the identity_token_tool binary."""
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

try:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
except ImportError:
    print("skipped: Python's cryptography package is not installed")
    sys.exit(77)

TOOL = sys.argv[1]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def as_int(text: str) -> int:
    return int.from_bytes(unb64(text), "big")


def check_cogsync_token():
    claims = {"iss": "https://sync.example.com", "sub": "us-east-1:abc", "aud": "us-east-1:pool",
              "amr": ["unauthenticated"], "iat": 1, "exp": 2}
    out = subprocess.run([TOOL, "sign", json.dumps(claims)], check=True, capture_output=True, text=True).stdout
    token, jwks = out.split("\n")[:2]
    jwk = json.loads(jwks)["keys"][0]
    header, payload, signature = token.split(".")
    public = rsa.RSAPublicNumbers(as_int(jwk["e"]), as_int(jwk["n"])).public_key()
    public.verify(unb64(signature), f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    assert json.loads(unb64(payload)) == claims
    assert json.loads(unb64(header))["kid"] == jwk["kid"]
    canonical = json.dumps({"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}, separators=(",", ":"), sort_keys=True)
    assert jwk["kid"] == b64(hashlib.sha256(canonical.encode()).digest()), "kid is not the RFC 7638 thumbprint"


def rsa_jwk(key):
    n = key.public_key().public_numbers()
    return {"kty": "RSA", "kid": "py-rsa", "alg": "RS256",
            "n": b64(n.n.to_bytes((n.n.bit_length() + 7) // 8, "big")), "e": b64(n.e.to_bytes(3, "big"))}


def ec_jwk(key):
    n = key.public_key().public_numbers()
    return {"kty": "EC", "kid": "py-ec", "crv": "P-256", "x": b64(n.x.to_bytes(32, "big")), "y": b64(n.y.to_bytes(32, "big"))}


def python_token(alg, kid, key, claims):
    signing_input = b64(json.dumps({"alg": alg, "kid": kid}).encode()) + "." + b64(json.dumps(claims).encode())
    if alg == "RS256":
        sig = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    else:
        r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return signing_input + "." + b64(sig)


def verify(jwks_path, token, now):
    return subprocess.run([TOOL, "verify", jwks_path, "https://idp.example.com", str(now), token],
                          capture_output=True, text=True)


def check_python_tokens():
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    now = int(time.time())
    claims = {"iss": "https://idp.example.com", "sub": "person-7", "aud": "app", "exp": now + 300}
    with tempfile.TemporaryDirectory() as tmp:
        jwks_path = os.path.join(tmp, "jwks.json")
        with open(jwks_path, "w") as f:
            json.dump({"keys": [rsa_jwk(rsa_key), ec_jwk(ec_key)]}, f)
        for alg, kid, key in (("RS256", "py-rsa", rsa_key), ("ES256", "py-ec", ec_key)):
            token = python_token(alg, kid, key, claims)
            done = verify(jwks_path, token, now)
            assert done.returncode == 0 and done.stdout == "ok person-7\n", (alg, done.stdout, done.stderr)
            header, _, signature = token.split(".")
            forged = header + "." + b64(json.dumps(dict(claims, sub="someone-else")).encode()) + "." + signature
            done = verify(jwks_path, forged, now)
            assert done.returncode == 1 and "signature does not verify" in done.stdout, (alg, done.stdout)


check_cogsync_token()
check_python_tokens()
print("ok")

"""RS256 signing for the sandbox's OpenID Connect ID tokens, in pure Python (no crypto dependency).

Intuit signs ID tokens with RS256 and publishes the public keys at the discovery document's ``jwks_uri``
(``samples/oauth-discovery-document.json``: ``id_token_signing_alg_values_supported: ["RS256"]``);
intuitlib verifies each ID token with PyJWT against that JWKS (``intuitlib/utils.py::validate_id_token``).
The sandbox derives a 2048-bit key deterministically from a seed (Miller-Rabin primes) and signs with
RSASSA-PKCS1-v1_5 / SHA-256 (RFC 8017 §8.2), so any JOSE library can verify what it issues. The key
protects nothing: it only makes the sandbox's tokens verifiable the way Intuit's are.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import random
from typing import Any

import attrs

__all__ = ["RsaKey", "b64url", "sandbox_key"]

_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p**0.5) + 1))]
# DigestInfo prefix of SHA-256 (RFC 8017 §9.2 note 1).
_SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _probable_prime(n: int, rng: random.Random) -> bool:
    if any(n % p == 0 for p in _SMALL_PRIMES):
        return n in _SMALL_PRIMES
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(5):  # FIPS 186-4 C.3: 5 rounds for 1024-bit candidates
        x = pow(rng.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int, rng: random.Random, e: int) -> int:
    while True:
        candidate = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if candidate % e != 1 and _probable_prime(candidate, rng):
            return candidate


@attrs.frozen
class RsaKey:
    """An RSA key pair (public ``n``/``e``, private ``d``) with its JWK key id."""

    n: int
    e: int
    d: int = attrs.field(repr=False)
    kid: str

    def jwk(self) -> dict[str, str]:
        """The public key as a JWK (RFC 7517)."""
        size = (self.n.bit_length() + 7) // 8
        return {
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": self.kid,
            "n": b64url(self.n.to_bytes(size, "big")),
            "e": b64url(self.e.to_bytes(3, "big")),
        }

    def sign(self, message: bytes) -> bytes:
        """RSASSA-PKCS1-v1_5 with SHA-256."""
        size = (self.n.bit_length() + 7) // 8
        digest = _SHA256_PREFIX + hashlib.sha256(message).digest()
        encoded = b"\x00\x01" + b"\xff" * (size - len(digest) - 3) + b"\x00" + digest
        return pow(int.from_bytes(encoded, "big"), self.d, self.n).to_bytes(size, "big")

    def jwt(self, claims: dict[str, Any]) -> str:
        """A compact RS256 JWS of ``claims``."""
        header = {"kid": self.kid, "alg": "RS256"}
        signing_input = (
            b64url(json.dumps(header, separators=(",", ":")).encode())
            + "."
            + b64url(json.dumps(claims, separators=(",", ":")).encode())
        )
        return signing_input + "." + b64url(self.sign(signing_input.encode("ascii")))


@functools.lru_cache(maxsize=8)
def sandbox_key(seed: int = 0, bits: int = 2048) -> RsaKey:
    """The deterministic signing key of a sandbox seeded with ``seed`` (computed once per process)."""
    rng = random.Random(f"msplink-qbo-jwks-{seed}")
    e = 65537
    while True:
        p, q = _prime(bits // 2, rng, e), _prime(bits // 2, rng, e)
        if p != q and (p * q).bit_length() == bits:
            break
    phi = (p - 1) * (q - 1)
    d = pow(e, -1, phi)
    kid = hashlib.sha256(str(p * q).encode()).hexdigest()[:16]
    return RsaKey(n=p * q, e=e, d=d, kid=kid)

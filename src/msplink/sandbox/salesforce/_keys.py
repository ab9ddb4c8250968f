"""RSA key material for the sandbox's JWT bearer flow (generated at runtime, cached per process).

``cryptography`` comes from the ``jwt`` extra and is imported lazily, so the sandbox imports without it
(only the JWT bearer grant needs it).
"""

from __future__ import annotations

import functools
from typing import Any

import attrs

__all__ = ["KeyPair", "generate_key_pair", "verify_rs256"]


@attrs.frozen
class KeyPair:
    """A PEM private key (PKCS#8, unencrypted) and its public key."""

    private_pem: bytes = attrs.field(repr=False)
    public_pem: bytes


@functools.lru_cache(maxsize=1)
def generate_key_pair() -> KeyPair:
    """A 2048-bit RSA key pair, generated once per process.

    Raises:
        ImportError: ``cryptography`` is not installed.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return KeyPair(private_pem=private_pem, public_pem=public_pem)


def verify_rs256(public_pem: bytes, signing_input: bytes, signature: bytes) -> bool:
    """Check an RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature."""
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
        from cryptography.hazmat.primitives.serialization import load_pem_public_key
    except ImportError:
        return False
    key: Any = load_pem_public_key(public_pem)
    try:
        key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True

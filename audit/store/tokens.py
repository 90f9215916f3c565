"""Private tokens: unguessable, stored only as a digest, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32  # 256 bits of randomness (the brief asks for at least 128)


def new_token() -> str:
    """A fresh URL-safe token (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> str:
    """The SHA-256 hex digest stored in place of `token`.

    Looking a row up by the digest means a timing difference in the database's index
    reveals nothing about the token itself.
    """
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same_digest(stored: str, token: str) -> bool:
    """Whether `token` hashes to `stored`, compared in constant time."""
    return hmac.compare_digest(stored.encode("ascii"), digest(token).encode("ascii"))


def plausible(token: str) -> bool:
    """Cheap shape check before touching the database (URL-safe base64, sane length)."""
    return 16 <= len(token) <= 128 and all(c.isalnum() or c in "-_" for c in token)

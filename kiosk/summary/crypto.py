"""Sign summaries with the device's Ed25519 key and optionally seal them to the therapist (PyNaCl).

Container (one file): ``MAGIC`` line, a mode line (``signed`` or ``sealed``), then the body.
The body is ``SigningKey.sign(meta_json + b"\\n" + payload)``: the 64-byte signature covers the
metadata (name, kind, sha256, the device's public key) and the payload together. ``sealed``
wraps that signed body in a libsodium sealed box to the therapist's Curve25519 key, converted
from the therapist's Ed25519 public key (the same key that signs plans), so the therapist keeps
one key pair. The signature sits inside the box: a reader without the key learns nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

MAGIC = b"FACECOACH-SUMMARY-1\n"
DEVICE_KEY = "device_ed25519.key"
DEVICE_PUB = "device_ed25519.pub"


class SummaryCryptoError(ValueError):
    """A summary container cannot be verified or opened; the message says why in plain words."""


@dataclass(frozen=True)
class Opened:
    """A verified summary: its metadata, payload and the signer's key fingerprint."""

    meta: dict[str, Any]
    payload: bytes
    signer_hex: str
    was_sealed: bool
    signer_pinned: bool

    @property
    def fingerprint(self) -> str:
        """Short form of the device key, to compare with the one shown on the device."""
        return fingerprint(bytes.fromhex(self.signer_hex))


def fingerprint(public_key: bytes) -> str:
    """A short, readable fingerprint of a public key (first 16 hex of its SHA-256, in groups)."""
    digest = hashlib.sha256(public_key).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def load_or_create_device_key(keys_dir: Path) -> SigningKey:
    """The device signing key from ``keys_dir`` (mode 0600), created on first use."""
    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = keys_dir / DEVICE_KEY
    if path.exists():
        seed = bytes.fromhex(path.read_text(encoding="ascii").strip())
        if len(seed) != 32:
            raise SummaryCryptoError(f"The device key {path} is damaged (expected 32 bytes).")
        return SigningKey(seed)
    key = SigningKey.generate()
    _write_whole(path, key.encode().hex() + "\n", exclusive=True)
    _write_whole(keys_dir / DEVICE_PUB, key.verify_key.encode().hex() + "\n", exclusive=False)
    return key


def _write_whole(path: Path, text: str, *, exclusive: bool) -> None:
    """Write ``text`` to a temporary file, sync it, then give it its name: never a half-written key.

    A full disk used to leave an empty device key behind, "damaged" for ever after.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if exclusive:
            os.link(tmp, path)  # fails if another process created the key meanwhile
        else:
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_public_key(path: Path) -> VerifyKey:
    """An Ed25519 public key file: 64 hex characters (or 32 raw bytes)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SummaryCryptoError(f"Cannot read the key file {path}: {exc.strerror}.") from exc
    return VerifyKey(_key_bytes(data, path))


def read_signing_key(path: Path) -> SigningKey:
    """An Ed25519 private key (seed) file: 64 hex characters (or 32 raw bytes)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SummaryCryptoError(f"Cannot read the key file {path}: {exc.strerror}.") from exc
    return SigningKey(_key_bytes(data, path))


def _key_bytes(data: bytes, path: Path) -> bytes:
    text = data.strip()
    try:
        raw = bytes.fromhex(text.decode("ascii")) if len(text) == 64 else data
    except (UnicodeDecodeError, ValueError):
        raw = data
    if len(raw) != 32:
        raise SummaryCryptoError(f"The key file {path} does not hold a 32-byte key (64 hex characters).")
    return raw


def seal(payload: bytes, meta: dict[str, Any], device_key: SigningKey, therapist: VerifyKey | None) -> bytes:
    """A signed (and, with a therapist key, sealed) container for one payload."""
    meta = {**meta, "sha256": hashlib.sha256(payload).hexdigest(), "signer": device_key.verify_key.encode().hex()}
    signed = bytes(device_key.sign(json.dumps(meta, sort_keys=True).encode() + b"\n" + payload))
    if therapist is None:
        return MAGIC + b"signed\n" + signed
    box = SealedBox(therapist.to_curve25519_public_key())
    return MAGIC + b"sealed\n" + box.encrypt(signed)


def open_container(data: bytes, therapist: SigningKey | None = None, device: VerifyKey | None = None) -> Opened:
    """Verify (and decrypt with the therapist's private key) a container; raise with the reason."""
    if not data.startswith(MAGIC):
        raise SummaryCryptoError("This is not a FaceCoach summary file (its first line is wrong).")
    mode, _, body = data[len(MAGIC) :].partition(b"\n")
    if mode == b"sealed":
        if therapist is None:
            raise SummaryCryptoError("This summary is encrypted; give the therapist's private key (--key FILE).")
        try:
            body = SealedBox(PrivateKey(therapist.to_curve25519_private_key().encode())).decrypt(body)
        except CryptoError as exc:
            raise SummaryCryptoError("Cannot decrypt: wrong key, or the file was changed or cut short.") from exc
    elif mode != b"signed":
        raise SummaryCryptoError(f"Unknown summary mode {mode[:20]!r}.")
    message = body[64:]
    meta_bytes, _, payload = message.partition(b"\n")
    try:
        meta = json.loads(meta_bytes)
        signer = VerifyKey(bytes.fromhex(meta["signer"]))
    except (ValueError, KeyError, TypeError, CryptoError) as exc:
        raise SummaryCryptoError("The summary's header is damaged.") from exc
    if device is not None and device.encode() != signer.encode():
        raise SummaryCryptoError("Signed by a different device key than the one you trust.")
    try:
        signer.verify(body)
    except BadSignatureError as exc:
        raise SummaryCryptoError("The signature does not match: the file was changed after signing.") from exc
    if hashlib.sha256(payload).hexdigest() != meta.get("sha256"):
        raise SummaryCryptoError("The content does not match its recorded checksum.")
    return Opened(meta, payload, signer.encode().hex(), mode == b"sealed", device is not None)


__all__ = ["SummaryCryptoError", "Opened", "seal", "open_container", "load_or_create_device_key"]

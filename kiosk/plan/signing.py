"""Ed25519 detached signatures over a plan file's exact bytes (PyNaCl / libsodium).

Keys are files of 64 hex characters (the same form kiosk.summary reads); the private key file is
created with mode 0600 and may be sealed with a passphrase (argon2id + secretbox,
``LOCKED_MAGIC``). The signature file ``PLAN.sig`` names the signing key's id (like
minisign), so a plan signed with another key is told apart from a plan changed after signing.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import nacl.utils
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.pwhash import argon2id
from nacl.secret import SecretBox
from nacl.signing import SigningKey, VerifyKey

PRIVATE_NAME = "therapist.key"
PUBLIC_NAME = "therapist.pub"
SIG_SUFFIX = ".sig"
SIG_MAGIC = "facecoach-plan-signature 1"
LOCKED_MAGIC = "facecoach-private-key argon2id-secretbox 1"


class SigningError(ValueError):
    """A key or signature file is missing or damaged; the message says which and why."""


@dataclass(frozen=True)
class Signature:
    """A parsed signature file: the 64-byte signature and the signer's key id ('' when not given)."""

    signature: bytes
    key_id: str


def key_id(public: VerifyKey) -> str:
    """A short, stable id of a public key: the first 16 hex characters of its SHA-256."""
    return hashlib.sha256(public.encode()).hexdigest()[:16]


def _hex_key(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise SigningError(f"Cannot read the key file {path}: {exc}") from exc
    try:
        raw = bytes.fromhex(text)
    except ValueError as exc:
        raise SigningError(f"The key file {path} is not 64 hex characters.") from exc
    if len(raw) != 32:
        raise SigningError(f"The key file {path} does not hold a 32-byte key.")
    return raw


def read_public_key(path: Path) -> VerifyKey:
    """The therapist's public key from a file (a private key given by mistake is named as such)."""
    if path.is_file() and is_protected(path):
        raise SigningError(
            f"{path} is the therapist's private key; give the public key ({PUBLIC_NAME}) here, "
            "and keep the private one to yourself."
        )
    return VerifyKey(_hex_key(path))


def is_protected(path: Path) -> bool:
    """True when the private key file is protected by a passphrase."""
    try:
        with open(path, "rb") as f:
            return f.read(len(LOCKED_MAGIC)) == LOCKED_MAGIC.encode()
    except OSError as exc:
        raise SigningError(f"Cannot read the key file {path}: {exc.strerror}") from exc


def _box(passphrase: str, salt: bytes, ops: int, mem: int) -> SecretBox:
    key = argon2id.kdf(SecretBox.KEY_SIZE, passphrase.encode("utf-8"), salt, opslimit=ops, memlimit=mem)
    return SecretBox(key)


def _lock(seed: bytes, passphrase: str) -> str:
    """The text of a passphrase-protected key file: argon2id stretches the passphrase, secretbox seals the key."""
    salt = nacl.utils.random(argon2id.SALTBYTES)
    ops, mem = argon2id.OPSLIMIT_MODERATE, argon2id.MEMLIMIT_INTERACTIVE
    sealed = _box(passphrase, salt, ops, mem).encrypt(seed)
    return f"{LOCKED_MAGIC}\nsalt {salt.hex()}\nops {ops}\nmem {mem}\nbox {bytes(sealed).hex()}\n"


def _unlock(path: Path, passphrase: str | None) -> bytes:
    if passphrase is None:
        raise SigningError(f"The key file {path} is protected by a passphrase; give the passphrase.")
    try:
        fields = dict(line.split(" ", 1) for line in path.read_text(encoding="ascii").splitlines()[1:])
        salt, box = bytes.fromhex(fields["salt"]), bytes.fromhex(fields["box"])
        ops, mem = int(fields["ops"]), int(fields["mem"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
        raise SigningError(f"The key file {path} is damaged.") from exc
    try:
        return _box(passphrase, salt, ops, mem).decrypt(box)
    except CryptoError as exc:
        raise SigningError("The passphrase is not right for this key (nothing was signed).") from exc


def read_private_key(path: Path, passphrase: str | None = None) -> SigningKey:
    """A private key from a file (a protected one needs its passphrase)."""
    if is_protected(path):
        return SigningKey(_unlock(path, passphrase))
    return SigningKey(_hex_key(path))


def keygen(out_dir: Path, passphrase: str | None = None) -> tuple[Path, Path]:
    """A new key pair in ``out_dir`` (private 0600, public 0644); never overwrites a key.

    With ``passphrase`` the private key is stored sealed (argon2id + secretbox), useless without it.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    private, public = out_dir / PRIVATE_NAME, out_dir / PUBLIC_NAME
    for path in (private, public):
        if path.exists():
            raise SigningError(f"{path} already exists; it was left as it is.")
    key = SigningKey.generate()
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(_lock(key.encode(), passphrase) if passphrase else key.encode().hex() + "\n")
    public.write_text(key.verify_key.encode().hex() + "\n", encoding="ascii")
    return private, public


def sign_bytes(data: bytes, key: SigningKey) -> str:
    """The text of a signature file for ``data``."""
    signature = key.sign(data).signature
    return f"{SIG_MAGIC}\nkey-id {key_id(key.verify_key)}\nsignature {signature.hex()}\n"


def sign_file(plan: Path, key_path: Path, passphrase: str | None = None) -> Path:
    """Write ``PLAN.sig`` beside ``plan``; returns its path."""
    key = read_private_key(key_path, passphrase)
    try:
        data = plan.read_bytes()
    except OSError as exc:
        raise SigningError(f"Cannot read the plan {plan}: {exc.strerror}") from exc
    sig_path = plan.with_name(plan.name + SIG_SUFFIX)
    sig_path.write_text(sign_bytes(data, key), encoding="ascii")
    return sig_path


def parse_signature(data: bytes) -> Signature:
    """A signature file in our form, or a bare signature (128 hex characters or 64 raw bytes)."""
    if len(data) == 64:  # a raw signature (our text form and 128 hex are longer)
        return Signature(data, "")
    try:
        text = data.decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise SigningError("The signature file is damaged.") from exc
    fields = dict(line.split(" ", 1) for line in text.splitlines()[1:] if " " in line)
    hex_sig = fields.get("signature", "") if text.startswith(SIG_MAGIC) else text
    try:
        raw = bytes.fromhex(hex_sig.strip())
    except ValueError as exc:
        raise SigningError("The signature file is damaged.") from exc
    if len(raw) != 64:
        raise SigningError("The signature file is damaged.")
    return Signature(raw, fields.get("key-id", "").strip())


def verify_bytes(data: bytes, signature: Signature, public: VerifyKey) -> str | None:
    """None when the signature is good; otherwise the plain reason it is not."""
    if signature.key_id and signature.key_id != key_id(public):
        return (
            f"The plan was signed with a different key (key id {signature.key_id}), "
            f"not the therapist key installed on this kiosk (key id {key_id(public)})."
        )
    try:
        public.verify(data, signature.signature)
    except (BadSignatureError, CryptoError):
        if signature.key_id:
            return "The plan was changed after it was signed, so it cannot be trusted."
        return "The signature does not match this plan and the installed therapist key."
    return None

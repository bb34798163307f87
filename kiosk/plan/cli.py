"""`facecoach plan keygen|sign|verify`: the therapist's key pair, signing a plan, checking one.

The authoring commands (new, show, exercises, identity) are in ``kiosk.plan.cli_authoring``.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from kiosk.plan.authoring import unfilled
from kiosk.plan.cli_authoring import PASS_ENV, new_passphrase, passphrase_for, read_checked, register_authoring
from kiosk.plan.loader import LastApplied, evaluate
from kiosk.plan.signing import SIG_SUFFIX, SigningError, is_protected, keygen, read_public_key, sign_file
from kiosk.settings_files import settings_for_command
from stim_hat.prescription import device_limits


def register(sub: argparse._SubParsersAction) -> None:
    plan = sub.add_parser("plan", help="the therapist's signed plan: keygen, sign, verify")
    cmds = plan.add_subparsers(dest="plan_command", metavar="ACTION")
    p = cmds.add_parser("keygen", help="make a therapist key pair (private key file mode 0600)")
    p.add_argument("--out", required=True, help="folder for therapist.key and therapist.pub")
    p.add_argument("--passphrase", action="store_true", help=f"protect the private key with a passphrase ({PASS_ENV})")
    p.set_defaults(func=cmd_keygen)
    p = cmds.add_parser("sign", help="sign a plan file (writes PLAN.sig beside it)")
    p.add_argument("plan", help="the plan TOML file")
    p.add_argument("--key", required=True, help="the therapist's private key file")
    p.set_defaults(func=cmd_sign)
    p = cmds.add_parser("verify", help="check a plan: exit 0 only when the kiosk would accept it")
    p.add_argument("plan", help="the plan TOML file (its signature is PLAN.sig)")
    p.add_argument("--pubkey", help="the therapist public key (default: sync.therapist_key in the settings)")
    p.add_argument("--last-version", type=int, help="the version now in force (it must increase)")
    p.add_argument("--today", type=date.fromisoformat, help="check the dates as on this day (YYYY-MM-DD)")
    p.add_argument("--device", help="the kiosk id the plan must name (default: not checked)")
    p.set_defaults(func=cmd_verify)
    register_authoring(cmds)
    plan.set_defaults(func=lambda args: plan.print_help() or 2)


def cmd_keygen(args: argparse.Namespace) -> int:
    try:
        passphrase = new_passphrase() if args.passphrase else None
        private, public = keygen(Path(args.out).expanduser(), passphrase)
    except (SigningError, OSError) as exc:
        print(f"No key was made: {exc}")
        return 1
    print(f"Private key: {private} (keep it secret; only you can read it)")
    print(f"Public key:  {public} (install this one on the kiosk)")
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    # A plan is signed only when the kiosk would take it: its problems (or placeholders) come
    # first, before a passphrase is asked for.
    settings = settings_for_command(getattr(args, "config", None))
    if settings is None:
        return 2
    checked = read_checked(Path(args.plan), device_limits(settings.hat))
    if checked is None:
        print("Not signed: fix the problems above first.")
        return 1
    unready = unfilled(checked[0], args.plan)
    if unready:
        print("Not signed: the plan still has the template's placeholders:")
        print("\n".join(f"  {p}" for p in unready))
        return 1
    key = Path(args.key)
    try:
        passphrase = passphrase_for(key) if is_protected(key) else None
        sig = sign_file(Path(args.plan), key, passphrase)
    except SigningError as exc:
        print(f"Not signed: {exc}")
        return 1
    print(f"Signed: {sig}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    path = Path(args.plan)
    settings = settings_for_command(getattr(args, "config", None))
    if settings is None:
        return 2
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"REFUSED: the plan cannot be read: {exc.strerror}")
        return 1
    sig_path = path.with_name(path.name + SIG_SUFFIX)
    signature = sig_path.read_bytes() if sig_path.exists() else None
    key_file = args.pubkey or settings.sync.therapist_key
    try:
        public = read_public_key(Path(key_file).expanduser()) if key_file else None
    except SigningError as exc:
        print(f"REFUSED: {exc}")
        return 1
    last = None
    if args.last_version is not None:
        last = LastApplied(args.last_version, "", True, "")
    limits = device_limits(settings.hat)
    today = args.today or date.today()
    verdict = evaluate(
        data, signature, public, last=last, today=today, limits=limits, filename=str(path), device=args.device
    )
    if not verdict.ok:
        print(f"{'GOOD, BUT WAITS' if verdict.starts else 'REFUSED'}: {verdict.reason}")
        return 1
    plan = verdict.plan
    stim = verdict.stimulation
    what = f"stimulation {stim.side} up to {stim.max_amplitude_ma:g} mA" if stim.enabled else "no stimulation"
    signed = "signed" if plan.signed else "UNSIGNED starter plan"
    print(f"OK: {path} version {plan.version}, {signed}, valid {plan.valid_from} to {plan.valid_until}, {what}")
    if args.device is None:
        print(f"  (the kiosk id was not checked: the plan names {plan.device}; give --device to check it)")
    return 0

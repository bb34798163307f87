"""One stimulation block of the summary as a FHIR Procedure (plain dict)."""

from __future__ import annotations

import json
from typing import Any

from kiosk.summary.fhir_codes import LATERALITY, display, side_concept

PROCEDURE_STATUS = {"finished": "completed", "running": "in-progress"}  # every other end: stopped


def procedure(block: dict[str, Any], rid: str, coding: dict[str, Any], refs: tuple[str, str]) -> dict[str, Any]:
    """The Procedure for ``block`` (a summary stimulation block); ``refs``: (Patient/<id>, Device/<id>)."""
    side = block["side"] if block["side"] in LATERALITY else None
    sites = block["sites"] or [""]
    proc: dict[str, Any] = {
        "resourceType": "Procedure",
        "id": rid,
        "status": PROCEDURE_STATUS.get(block["end_code"], "stopped"),
        "code": {"coding": [coding], "text": display("stimulation-block")},
        "subject": {"reference": refs[0]},
        "performedPeriod": {k: v for k, v in (("start", block["started_at"]), ("end", block["stopped_at"])) if v},
        "bodySite": [
            side_concept(side, f"{site or 'face'}, patient's {side} side") if side else {"text": site or "face"}
            for site in sites
        ],
        "usedReference": [{"reference": refs[1]}],
        "note": [
            {
                "text": f"{block['minutes']} min; max {block['max_amplitude_ma']} mA; plan v{block['plan_version']}; "
                f"parameters {json.dumps(block.get('parameters') or {}, sort_keys=True)}"
            }
        ],
    }
    if block["stopped_early"]:
        proc["statusReason"] = {"text": f"{block['end_words']}: {block['stop_reason'] or 'no reason stored'}"}
    return proc

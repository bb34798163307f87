"""Deliver the summary's FHIR transaction to a clinic's FHIR server (``sync.fhir_url``, bearer token).

The transaction PUTs every resource by its stable id, so a retry after a lost answer changes
nothing on the server. A delivery counts only when the server answers with a
``transaction-response`` whose every entry succeeded; otherwise the outbox keeps the item and
retries it with the same back-off as the other targets.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from kiosk.summary.delivery import FHIR_KIND, DeliveryError, http_request

__all__ = ["FHIR_KIND", "FhirTarget"]


def _outcome_text(body: bytes) -> str:
    """The first issue of an OperationOutcome, or the start of the answer."""
    try:
        doc: Any = json.loads(body)
        issue = doc.get("issue", [{}])[0]
        return str(issue.get("diagnostics") or issue.get("details", {}).get("text") or issue.get("code") or "")
    except (ValueError, AttributeError, IndexError, TypeError):
        return body[:200].decode("utf-8", "replace")


class FhirTarget:
    """A FHIR R4 server base URL: POST the transaction, check every entry of the transaction-response."""

    def __init__(self, url: str, token: str = "", timeout: float = 60.0) -> None:
        parts = urllib.parse.urlsplit(url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DeliveryError(f"The FHIR server address {url!r} is not an http(s) URL.")
        self.parts, self.timeout = parts, timeout
        self.path = parts.path or "/"
        self.headers = {"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.description = f"FHIR server {parts.scheme}://{parts.hostname}:{parts.port or ''}{parts.path}"

    def _post(self, data: bytes) -> tuple[int, bytes]:
        return http_request(self.parts, "POST", self.path, data, self.headers, self.timeout, "The FHIR server")

    def put(self, name: str, data: bytes) -> None:
        """Send one transaction and confirm that the server stored every entry."""
        sent = len(json.loads(data).get("entry", []))
        status, body = self._post(data)
        if status in (401, 403):
            raise DeliveryError(f"The FHIR server refused the token ({status}) for {name}.")
        if status >= 300:
            raise DeliveryError(f"The FHIR server answered {status} for {name}: {_outcome_text(body)}")
        try:
            answer = json.loads(body)
            results = [str(e["response"]["status"]) for e in answer.get("entry", [])]
        except (ValueError, KeyError, TypeError) as exc:
            raise DeliveryError(f"The FHIR server's answer for {name} cannot be read.") from exc
        if answer.get("type") != "transaction-response" or len(results) != sent:
            raise DeliveryError(f"The FHIR server did not confirm every entry of {name}; will try again.")
        failed = [r for r in results if not r.startswith("2")]
        if failed:
            raise DeliveryError(f"The FHIR server refused {len(failed)} entries of {name} ({failed[0]}).")

    def list_inbox(self) -> list[str]:
        """A FHIR server carries no plans to the kiosk."""
        return []

    def get_inbox(self, name: str) -> bytes:
        raise DeliveryError("A FHIR server has no plan inbox.")

"""A reason in plain English that also names itself, so the kiosk can say it in the patient's language.

``Reason`` is a ``str`` (the English words, as every log and test reads them) with a ``key`` and
the ``values`` it was filled with. The kiosk looks the key up in its phrase files
(``[stim_reason]``); stim_hat itself knows nothing of languages.
"""

from __future__ import annotations

from typing import Any


class Reason(str):
    """Plain English words with the key and values a translation needs."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, template: str, **values: Any) -> Reason:
        text = super().__new__(cls, template.format(**values))
        text.key = key
        text.values = values
        return text

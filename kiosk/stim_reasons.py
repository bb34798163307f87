"""Why stimulation was refused or stopped, in the patient's language.

The rules (stim_hat) give their reason as a ``stim_hat.reasons.Reason``: English words with a key
and values. Here the key is looked up in ``content/lang/<code>/phrases.toml`` [stim_reason]. English
keeps stim_hat's own words. Anything without a key (a board fault's technical words) is said in
plain words of the language, and the technical text stays in the log.
"""

from __future__ import annotations

import logging

from content.i18n import DEFAULT_LANGUAGE, phrase
from stim_hat.reasons import Reason

log = logging.getLogger(__name__)


def stopped_by_you(via: str) -> Reason:
    """The reason of a stop the patient asked for (touch, key, button or voice)."""
    return Reason("stopped_by_you", "Stopped by you ({via}).", via=via)


def reason_words(reason: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """``reason`` in ``lang``; a reason the phrase files do not know becomes plain words, never English."""
    if lang == DEFAULT_LANGUAGE:
        return str(reason)
    if isinstance(reason, Reason):
        values = dict(reason.values)
        if "side" in values:  # "left"/"right" as the language says it ("linke")
            values["side"] = phrase(f"stimulation.screen_side_{values['side']}", lang)
        if "via" in values:
            values["via"] = _via(str(values["via"]), lang)
        try:
            return phrase(f"stim_reason.{reason.key}", lang, **values)
        except (KeyError, ValueError, IndexError) as exc:  # a phrase file out of step: plain words, and logged
            log.error("no %s words for the stimulation reason %r: %s", lang, reason.key, exc)
    else:
        log.info("stimulation reason without a key, said in plain words: %s", reason)
    return phrase("stim_reason.other", lang)


def _via(via: str, lang: str) -> str:
    """How the patient stopped it (touch, key, button, voice) in ``lang``."""
    try:
        return phrase(f"stim_reason.via_{via}", lang)
    except KeyError:
        return phrase("stim_reason.via_other", lang)

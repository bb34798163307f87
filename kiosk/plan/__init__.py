"""The therapist's signed plan: parse the header, sign and verify, load with a last-good fallback."""

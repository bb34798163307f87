"""The therapist summary (JSON, PDF, FHIR), its signing and delivery, and the signed plan inbox."""

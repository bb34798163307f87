"""Hardware seams: one interface per device family, real adapters and drivable fakes."""

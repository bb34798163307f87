"""One exercise session: the pure flow (flow.py) and the adapter that runs it (controller.py)."""

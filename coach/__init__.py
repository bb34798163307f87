"""Exercise scoring, pure: landmarks -> calibration -> per-exercise, per-side metrics -> feedback."""

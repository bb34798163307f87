"""Stimulation HAT: gpiozero driver, pure safety rules, the runner that plays one block.

Stimulation is locked unless a signed therapist plan enables it. See stim_hat/README.md.
"""

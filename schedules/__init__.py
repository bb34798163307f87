"""Daily plan, exercise sessions and protected eye-care reminders.

Pure logic (``due``, ``escalation``, ``policy``, ``reconcile``) takes ``now`` as an argument; the
adapters (``repository`` over SQLite, ``scheduler`` over APScheduler, ``notifier`` over HTTP and a
local command) do the I/O. ``service.ReminderService`` is what the kiosk's main loop calls.
"""

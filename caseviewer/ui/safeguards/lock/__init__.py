"""The idle lock: the idle detector, the OS session-lock signal, the lock screen and the controller
that covers every window and clears what it shows (rules in ``core/lock_policy.py``)."""

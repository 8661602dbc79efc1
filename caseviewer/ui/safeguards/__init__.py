"""The workstation safeguards: idle lock, privacy mode, keeping windows out of captures."""

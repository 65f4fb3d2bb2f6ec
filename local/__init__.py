"""Local development and test tooling: emulators, fake vendors, demo data. Never deployed."""

"""Adapters for the operator's tools: Cloud Scheduler and Secret Manager, one module each.

Only ops commands (`python -m shared.cli ops ...`, docs/RUNBOOK.md) use them; functions
never do. Both clients talk REST, so a local server can stand in for Google in tests.
"""

"""Audit log models (see services)."""

"""Shared pieces of the platform apps: the registry base model, validators, choices."""

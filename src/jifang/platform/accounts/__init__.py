"""Accounts and roles, and the one place where every query is scoped to what a user may see."""

"""Change logging: connected by the auditlog app (filled in by the audit log service)."""

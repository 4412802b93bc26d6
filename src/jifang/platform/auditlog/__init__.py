"""The tamper-evident audit log (审计日志): an append-only Merkle tree with signed checkpoints."""

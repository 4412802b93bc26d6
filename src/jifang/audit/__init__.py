"""Tamper-evident audit log (审计日志): the pure-Python cryptographic core.

- :mod:`jifang.audit.merkle` — RFC 9162 Merkle tree hashing over a pluggable node store,
  inclusion proofs (包含性证明) and consistency proofs (一致性证明), and their verifiers.
- :mod:`jifang.audit.checkpoint` — Ed25519-signed checkpoints (检查点) of the tree head.

Nothing here imports Django: the platform supplies a database-backed ``NodeStore`` and calls
these functions inside its own transactions. See ``docs/audit-proofs.md`` for how a third party
checks a proof by hand.
"""

"""The audit log on PostgreSQL: appends with eight writers, verify of a large log, proofs.

Everything runs in child processes against a scratch database made for the run on the server at
JIFANG_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) and dropped
afterwards. Without a server there is one row saying why.

1. **Appends.** Eight writer processes (like web workers: each its own interpreter and
   connection) each commit one audit entry per transaction for a fixed time, through the real
   path: ``services.log_event`` (outside a transaction the entry is queued by one statement
   that commits on its own; then the sequencer moves it into the log and signs a checkpoint).
   With the default checkpoint setting (one signed checkpoint per sequencing batch) and with
   ``JIFANG_AUDIT_CHECKPOINT_INTERVAL=1``; in full mode also a registry save
   (``Division.save()`` through the ORM: row lock, update, entry, all in the caller's
   transaction) and the default again with ``JIFANG_AUDIT_PREPARED_STATEMENTS`` off (as behind a
   pooler that cannot keep prepared statements). Each is set beside the same writers doing the
   same without the log (a bare one-row INSERT transaction, a registry save with the log's
   signals disconnected), because the machine is shared and that baseline shows what it
   allowed at the time. Also reported: the CPU time per append of
   the writer and its server process, and how many checkpoints the run signed. The log is
   verified after each run.
2. **Verify.** A log of N entries is built quickly, but with the sequencer's own functions: the
   leaf bytes by ``canonical.entry_bytes``, leaves and interior nodes by
   ``jifang.audit.merkle.append`` (in aligned blocks of 2**16 leaves, which are perfect subtrees
   and so independent: two processes build blocks in parallel and COPY them in; the nodes above
   the blocks are appended from the block roots), checkpoints signed by ``checkpoint.sign``
   every 2,000 entries and at the end, and the log head written as the sequencer would. Then
   ``jifang audit verify --json`` runs as a process and is timed. The entries look like
   registry updates of units (866 bytes of leaf each, Chinese text included). Full mode also
   verifies a million entries with a checkpoint every 10, about what the default setting
   signs under load, to show what checking signatures costs.
3. **Proofs.** ``services.prove`` of random entries of that log, in one warm process; each
   proof is checked.

    python -m bench.audit                     # full: 10,000,000 entries for verify
    python -m bench.audit --small             # under half a minute (make bench-small runs it)
    python -m bench.audit --entries 1000000   # verify and proofs only, at one size
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .engine import row
from .pg import ADMIN_URL, admin, libpq, unavailable

ROOT = Path(__file__).resolve().parents[1]
WRITERS = 8
BLOCK_BITS = 16  # the build's unit of work: 65,536 leaves, a perfect subtree
BUILDERS = 2
TARGET_APPENDS = 2000.0  # appends/s with 8 writers
TARGET_VERIFY = 60.0  # seconds for 10,000,000 entries
TARGET_PROOF = 10.0  # ms
FULL_ENTRIES = 10_000_000
EVERY = 2000  # entries per checkpoint in the built log: 5,000 for ten million
DENSE = 10  # about what the default setting signs with eight busy writers


# --------------------------------------------------------------------------- the scratch database


class Scratch:
    """A database and a data directory (with the signing key) for one measurement."""

    def __init__(self, tag: str, interval: float = 0) -> None:
        self.name = f"jifang_bench_audit_{os.getpid()}_{tag}"
        self.url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{self.name}"
        self.interval = interval

    def __enter__(self) -> Scratch:
        self.dir = tempfile.TemporaryDirectory(prefix="jifang-bench-audit-")
        admin(f"DROP DATABASE IF EXISTS {self.name}")
        admin(f"CREATE DATABASE {self.name}")
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "JIFANG_DATA_DIR": self.dir.name,
            "JIFANG_AUDIT_CHECKPOINT_INTERVAL": str(self.interval),
        }
        self.worker("setup")
        return self

    def __exit__(self, *exc) -> None:
        admin(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        self.dir.cleanup()

    def argv(self, mode: str, *args: object) -> list[str]:
        # (not "-m bench.audit": the bench package imports this module first)
        call = "import sys; from bench.audit import main; sys.exit(main(sys.argv[1:]))"
        return [sys.executable, "-c", call, "--worker", mode, *map(str, args)]

    def worker(self, mode: str, *args: object, stdin: str | None = None) -> dict:
        out = subprocess.run(
            self.argv(mode, *args),
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
        )
        if out.returncode:
            raise RuntimeError(f"bench.audit {mode} failed:\n{out.stderr[-4000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])


def _django() -> None:
    from jifang.cli.django_setup import setup_django

    setup_django()


# --------------------------------------------------------------------------- 1. appends


BARE_TABLE = "bench_audit_bare"


class Writers:
    """Eight writer processes, started once and given one run after another (the checkpoint
    interval is a setting read at each batch, so a run can change it)."""

    def __init__(self, scratch: Scratch, options: str = "") -> None:
        """``options``: a query string for DATABASE_URL (Django's OPTIONS), e.g.
        ``?prepare_threshold=5``."""
        self.scratch = scratch
        with _connect(scratch.url) as conn:  # for the baseline: a table without an audit log
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} "
                "(id bigserial PRIMARY KEY, ts timestamptz NOT NULL, payload text NOT NULL)"
            )
        self.procs = [
            subprocess.Popen(
                scratch.argv("append", i),
                cwd=ROOT,
                env={**scratch.env, "DATABASE_URL": scratch.url + options},
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for i in range(WRITERS)
        ]
        self._expect("ready")

    def _send(self, line: str, procs=None) -> None:
        for proc in procs or self.procs:
            proc.stdin.write(line + "\n")
            proc.stdin.flush()

    def _expect(self, word: str) -> None:
        for proc in self.procs:
            if proc.stdout.readline().strip() != word:
                raise RuntimeError(f"an append writer failed (expected {word!r})")

    def run(self, kind: str, interval: float, seconds: float) -> dict:
        """One timed run; for the audit kinds the log is checked afterwards."""
        self._send(f"{kind} {interval} {seconds}")
        self._expect("set")  # each has written once with the new settings
        size_before, signed_before = _head_size(self.scratch.url), _checkpoints(self.scratch.url)
        self._send("go")
        results = [json.loads(proc.stdout.readline()) for proc in self.procs]
        backlog = _pending(self.scratch.url)
        count = sum(r["count"] for r in results)
        window = max(r["seconds"] for r in results)
        latencies = sorted(x for r in results for x in r["latencies"])
        out = {
            "rate": count / window,
            "count": count,
            "p50_ms": latencies[len(latencies) // 2] * 1000,
            "p95_ms": latencies[int(len(latencies) * 0.95)] * 1000,
            "cpu_us": sum(r["cpu"] for r in results) / count * 1e6,
            "backlog": backlog,
        }
        if kind in ("event", "unprepared", "registry"):
            self._send("drain", self.procs[:1])
            check = json.loads(self.procs[0].stdout.readline())
            out.update(check, appended=check["size"] - size_before)
            out["per_k"] = 1000 * (check["checkpoints"] - signed_before) / max(out["appended"], 1)
            if out["appended"] != count:
                out["ok"] = False
                out["problems"].append(f"{count} appends, but the log grew by {out['appended']}")
        return out

    def close(self) -> None:
        for proc in self.procs:
            try:
                proc.stdin.close()
                proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()


def _connect(url: str):
    import psycopg

    return psycopg.connect(libpq(url), autocommit=True)


def _head_size(url: str) -> int:
    with _connect(url) as conn:
        found = conn.execute("SELECT size FROM auditlog_loghead WHERE id = 1").fetchone()
    return found[0] if found else 0


def _pending(url: str) -> int:
    with _connect(url) as conn:
        return conn.execute("SELECT count(*) FROM auditlog_pendingentry").fetchone()[0]


def _checkpoints(url: str) -> int:
    with _connect(url) as conn:
        return conn.execute("SELECT count(*) FROM auditlog_checkpoint").fetchone()[0]


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process on this machine (0 if it is not visible)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _append_worker(index: int) -> None:
    """Runs as the coordinator says: ``KIND INTERVAL SECONDS``, then ``go``; ``drain``."""
    _django()
    from django.conf import settings
    from django.db import connection, transaction
    from django.db.models import signals
    from django.utils import timezone

    from jifang.platform.auditlog import services
    from jifang.platform.auditlog import signals as audit_signals
    from jifang.platform.auditlog.context import acting_as
    from jifang.platform.geo.models import Division

    division = None
    hooks = f"jifang-audit-{Division._meta.label_lower}"  # the dispatch_uid auditlog uses

    def event(i: int) -> None:
        services.log_event(
            "export",
            model="units.unit",
            object_pk=i,
            object_repr=f"写入进程 {index} 第 {i} 次导出",
            after={"writer": index, "n": i, "format": "xlsx", "rows": 100 + i % 50},
        )

    def registry(i: int) -> None:
        nonlocal division
        with transaction.atomic():
            if division is None:
                division = Division.objects.create(
                    code=f"35{index + 1:02d}00", name=f"测试市{index}", level="city"
                )
            division.name = f"测试市{index}-{i}"
            division.save()

    def bare(i: int) -> None:  # the same transaction with no audit entry: the baseline
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {BARE_TABLE} (ts, payload) VALUES (%s, %s)",
                [timezone.now(), f"写入进程 {index} 第 {i} 次"],
            )

    def backend_pid() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    with acting_as(f"bench:writer-{index}"):
        event(0)  # connected, key loaded
        print("ready", flush=True)
        for line in sys.stdin:
            if line.strip() == "drain":
                _drain()
                continue
            kind, interval, seconds = line.split()
            settings.JIFANG_AUDIT_CHECKPOINT_INTERVAL = float(interval)
            write = {
                "event": event,
                "unprepared": event,
                "registry": registry,
                "unaudited": registry,
                "bare": bare,
            }[kind]
            if kind == "unaudited":  # a registry save without the log's signals: its baseline
                for signal in (signals.pre_save, signals.post_save):
                    signal.disconnect(sender=Division, dispatch_uid=hooks)
            prepared = kind != "unprepared"
            if getattr(settings, "JIFANG_AUDIT_PREPARED_STATEMENTS", True) != prepared:
                settings.JIFANG_AUDIT_PREPARED_STATEMENTS = prepared
                connection.close()  # (a new connection: none of its statements are prepared)
            write(0)
            backend = backend_pid()
            print("set", flush=True)
            sys.stdin.readline()  # go
            cpu = time.process_time() + _cpu_seconds(backend)
            latencies, i = [], 1
            began = now = time.perf_counter()
            end = began + float(seconds)
            while now < end:
                write(i)
                t = time.perf_counter()
                latencies.append(t - now)
                now, i = t, i + 1
            cpu = time.process_time() + _cpu_seconds(backend) - cpu
            if kind == "unaudited":
                audit_signals.connect()
            print(
                json.dumps(
                    {
                        "count": i - 1,
                        "seconds": now - began,
                        "cpu": cpu,
                        "latencies": latencies[::10],
                    }
                ),
                flush=True,
            )


def _drain() -> None:
    """Sequence and sign what is left, and verify the whole log."""
    from jifang.platform.auditlog import services
    from jifang.platform.auditlog.models import Checkpoint
    from jifang.platform.auditlog.verify import verify

    services.checkpoint()
    result = verify(grace=3600)
    print(
        json.dumps(
            {
                "size": result.size,
                "checkpoints": Checkpoint.objects.count(),
                "ok": result.ok,
                "problems": [p.en for p in result.problems][:3],
            }
        ),
        flush=True,
    )


# --------------------------------------------------------------------------- 2. a large log

_BEFORE = {
    "address": "福建省福州市鼓楼区五四路 88 号",
    "category": "financial",
    "code": "91350100MA2XXXXX0K",
    "contact": "王某某",
    "division": 350102,
    "id": 987654321,
    "name": "中国某某银行股份有限公司福州五四路支行",
    "phone": "0591-87654321",
    "police_organ": 12,
    "regime_id": "fujian-2015",
    "risk_level": "一级",
    "status": "active",
}
_AFTER = {**_BEFORE, "contact": "李某某", "status": "rectifying"}


def _templates() -> tuple[str, str]:
    from jifang.platform.auditlog.canonical import canonical_json

    return canonical_json(_BEFORE), canonical_json(_AFTER)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _build_worker(url: str, total: int, every: int, blocks: str) -> None:
    """Build and COPY the given blocks; print each block's top hashes for the seal step."""
    import datetime as dt

    import psycopg

    from jifang.audit import merkle
    from jifang.platform.auditlog.canonical import entry_bytes, ts_text
    from jifang.platform.auditlog.store import node_pos, perfect_keys

    before_t, after_t = _templates()
    width = 1 << BLOCK_BITS
    base = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    out = []
    with psycopg.connect(libpq(url)) as conn:
        for block in map(int, blocks.split(",")):
            start = block * width
            end = min(start + width, total)
            store = merkle.MemoryNodeStore()  # block-local indices: the same shape
            entries, cuts = [], {}
            for seq in range(start, end):
                moment = base + dt.timedelta(microseconds=seq * 3001)
                ts = ts_text(moment)
                pk = str(seq % 50_000 + 1)
                before = before_t.replace("987654321", pk)
                after = after_t.replace("987654321", pk)
                actor = f"user:officer{seq % 37}"
                text = f"某某银行支行 {pk}"
                leaf = merkle.leaf_hash(
                    entry_bytes(seq, ts, actor, "update", "units.unit", pk, text, before, after)
                )
                merkle.append(store, seq - start, leaf)
                entries.append(
                    (seq, moment, actor, "update", "units.unit", pk, text, before, after, leaf)
                )
                if (seq + 1) % every == 0 or seq + 1 == total:
                    cuts[seq + 1] = _b64(merkle.root(store, seq + 1 - start))
            with conn.cursor() as cursor:
                with cursor.copy(
                    "COPY auditlog_logentry (seq, ts, actor, action, model, object_pk, "
                    "object_repr, before, after, leaf_hash) FROM STDIN"
                ) as copy:
                    for entry in entries:
                        copy.write_row(entry)
                with cursor.copy("COPY auditlog_merklenode (pos, hash) FROM STDIN") as copy:
                    for (level, index), digest in store.nodes.items():
                        if level:
                            copy.write_row((node_pos(level, index + (start >> level)), digest))
            conn.commit()
            # what the seal needs: the block's root (if whole), checkpoint cuts inside it,
            # and for the last block the perfect subtrees of the log's right edge inside it
            item = {"block": block, "cuts": cuts}
            if end - start == width:
                item["root"] = _b64(store.nodes[(BLOCK_BITS, 0)])
            if end == total:  # the log's right edge below block level, for the head
                item["edge"] = [
                    _b64(store.nodes[(level, index - (start >> level))])
                    for level, index in perfect_keys(total)
                    if level < BLOCK_BITS
                ]
            out.append(item)
    print(json.dumps(out))


def _seal_worker(total: int) -> None:
    """Nodes above the blocks, signed checkpoints and the log head, from the builders' output."""
    _django()
    from django.db import connection, transaction

    from jifang.audit import checkpoint as cp
    from jifang.audit import merkle
    from jifang.platform.auditlog import services
    from jifang.platform.auditlog.store import node_pos, perfect_keys

    items = sorted(json.loads(sys.stdin.read()), key=lambda item: item["block"])
    top = merkle.MemoryNodeStore()  # level 0 here is level BLOCK_BITS of the log
    for item in items:
        if "root" in item:
            merkle.append(top, item["block"], base64.b64decode(item["root"]))
    key, origin = services.signing_key(), services.origin()

    def upper(blocks: int) -> list[bytes]:
        """The perfect subtrees (all above block level) that the first ``blocks`` make."""
        return [top.nodes[key] for key in perfect_keys(blocks)]

    def fold(hashes: list[bytes]) -> bytes:  # as merkle.root folds a tree's perfect subtrees
        digest = hashes[-1]
        for left in reversed(hashes[:-1]):
            digest = merkle.node_hash(left, digest)
        return digest

    checkpoints = []
    for item in items:
        block = item["block"]
        for size, local in item["cuts"].items():
            size = int(size)
            if size == (block + 1) << BLOCK_BITS:  # the cut ends the block
                root = fold(upper(block + 1))
            else:  # the whole blocks before it, then the block's own part
                root = fold([*upper(block), base64.b64decode(local)])
            checkpoints.append(cp.sign(key, origin, size, root))
    whole = total >> BLOCK_BITS
    edge = upper(whole) + [base64.b64decode(h) for h in items[-1].get("edge", [])]
    with transaction.atomic(), connection.cursor() as cursor:
        rows = [
            (node_pos(level + BLOCK_BITS, index), digest)
            for (level, index), digest in top.nodes.items()
            if level
        ]
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            cursor.execute(
                "INSERT INTO auditlog_merklenode (pos, hash) VALUES "
                + ", ".join(["(%s, %s)"] * len(chunk)),
                [value for r in chunk for value in r],
            )
        for start in range(0, len(checkpoints), 1000):
            chunk = checkpoints[start : start + 1000]
            cursor.execute(
                "INSERT INTO auditlog_checkpoint (size, origin, root, timestamp, key_id, "
                "signature) VALUES " + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk)),
                [
                    v
                    for c in chunk
                    for v in (c.size, c.origin, c.root, c.timestamp, c.key_id, c.signature)
                ],
            )
        cursor.execute(
            "INSERT INTO auditlog_loghead (id, size, frontier, signed_size, signed_at) "
            "VALUES (1, %s, %s, %s, %s)",
            [total, b"".join(edge), total, int(time.time())],
        )
    cursor = connection.cursor()
    cursor.execute("ANALYZE auditlog_logentry")
    cursor.execute("ANALYZE auditlog_merklenode")
    print(json.dumps({"checkpoints": len(checkpoints), "root": _b64(checkpoints[-1].root)}))


def build(scratch: Scratch, total: int, every: int) -> dict:
    """A valid log of ``total`` entries (see the module docstring); seconds and counts."""
    began = time.perf_counter()
    blocks = list(range(-(-total // (1 << BLOCK_BITS))))
    procs = [
        subprocess.Popen(
            scratch.argv("build", scratch.url, total, every, ",".join(map(str, part))),
            cwd=ROOT,
            env=scratch.env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for part in (blocks[k::BUILDERS] for k in range(BUILDERS))
        if part
    ]
    items = []
    for proc in procs:
        out, _ = proc.communicate()
        if proc.returncode:
            raise RuntimeError("bench.audit build failed")
        items += json.loads(out)
    sealed = scratch.worker("seal", total, stdin=json.dumps(items))
    return {"seconds": time.perf_counter() - began, **sealed}


def verify_timed(scratch: Scratch) -> dict:
    """``jifang audit verify --json`` as a process: wall time, and the report's own time."""
    began = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "jifang.cli", "audit", "verify", "--json"],
        cwd=ROOT,
        env=scratch.env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - began
    report = json.loads(out.stdout)
    return {"wall": wall, "exit": out.returncode, **report}


def _prove_worker(total: int, samples: int) -> None:
    import random

    _django()
    from jifang.audit import merkle
    from jifang.platform.auditlog import services

    rng = random.Random(2024)
    services.prove(0)  # warm: key, connection
    times = []
    for _ in range(samples):
        seq = rng.randrange(total)
        t0 = time.perf_counter()
        proof = services.prove(seq)
        times.append((time.perf_counter() - t0) * 1000)
        path = [base64.b64decode(h) for h in proof["inclusion_path"]]
        leaf = merkle.leaf_hash(base64.b64decode(proof["entry"]))
        if not merkle.verify_inclusion(
            leaf, seq, proof["tree_size"], path, base64.b64decode(proof["root"])
        ):
            raise RuntimeError(f"the proof of entry {seq} does not hold")
    times.sort()
    print(json.dumps({"p50": times[len(times) // 2], "p95": times[int(len(times) * 0.95)]}))


def _signature_us() -> float:
    """What checking one checkpoint's signature costs (verify checks every one)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from jifang.audit import checkpoint as cp

    key = Ed25519PrivateKey.generate()
    note = cp.sign(key, "bench/audit", 1, bytes(32))
    public = key.public_key()
    t0 = time.perf_counter()
    for _ in range(2000):
        cp.verify(public, note)
    return (time.perf_counter() - t0) / 2000 * 1e6


# --------------------------------------------------------------------------- the rows


def _mean(runs: list[dict]) -> dict:
    out = {key: sum(r[key] for r in runs) / len(runs) for key in ("rate", "p95_ms", "cpu_us")}
    if "ok" in runs[0]:
        out["ok"] = all(r["ok"] for r in runs)
        out["problems"] = [p for r in runs for p in r["problems"]]
        out["per_k"] = sum(r["per_k"] for r in runs) / len(runs)
    return out


def append_rows(scratch: Scratch, small: bool) -> list[dict]:
    """Each audited run alternates with the same writers doing the same without an audit entry
    (a one-row INSERT transaction; a registry save with the log's signals disconnected): the
    machine is shared, and that baseline shows what it allowed at the time."""
    seconds, rounds = (1.5, 1) if small else (7.5, 2)

    def paired(writers: Writers, kind: str, interval: float, plain: str) -> tuple[dict, dict]:
        audited, baseline = [], []
        for _ in range(rounds):
            baseline.append(writers.run(plain, 0, seconds))
            audited.append(writers.run(kind, interval, seconds))
        return _mean(audited), _mean(baseline)

    results = []
    writers = Writers(scratch)
    try:
        label = "log_event, checkpoint every batch (default)"
        results.append((label, *paired(writers, "event", 0, "bare")))
        label = "log_event, checkpoint interval 1 s"
        results.append((label, *paired(writers, "event", 1, "bare")))
        if not small:
            label = "registry save (Division.save), checkpoint every batch"
            results.append((label, *paired(writers, "registry", 0, "unaudited")))
            label = "log_event, default, JIFANG_AUDIT_PREPARED_STATEMENTS off"
            results.append((label, *paired(writers, "unprepared", 0, "bare")))
    finally:
        writers.close()
    rows = []
    for label, result, bare in results:
        if not result["ok"]:
            raise RuntimeError(f"the log after {label} does not verify: {result['problems']}")
        rows += [
            row(
                f"audit append, {WRITERS} writer processes, {label}",
                result["rate"],
                "appends/s",
                TARGET_APPENDS,
                baseline=round(bare["rate"]),
                lower_is_better=False,
            ),
            row(f"  {label}: one transaction, p95", result["p95_ms"], "ms", None),
            row(
                f"  {label}: CPU per append (writer and its server process)",
                result["cpu_us"],
                "µs",
                None,
                baseline=round(bare["cpu_us"]),
            ),
            row(f"  {label}: checkpoints per 1,000 entries", result["per_k"], "", None),
        ]
    return rows


def big_log(scratch: Scratch, total: int, every: int, samples: int) -> list[dict]:
    """Build, verify (as a command) and prove entries of a log of ``total`` entries."""
    built = build(scratch, total, every)
    checked = verify_timed(scratch)
    if checked["exit"] or not checked["ok"] or checked["size"] != total:
        raise RuntimeError(f"verify of the built log failed: {checked}")
    proofs = scratch.worker("prove", total, samples) if samples else None
    label = f"{total:,} entries, {built['checkpoints']:,} checkpoints"
    rows = [
        row(f"  build a log of {label} (COPY)", built["seconds"], "s", None),
        row(
            f"jifang audit verify, {label} (whole command)",
            checked["wall"],
            "s",
            TARGET_VERIFY if total >= FULL_ENTRIES else None,
        ),
        row(
            f"  verify, {label}: entries per second",
            total / checked["seconds"],
            "entries/s",
            # (small logs are dominated by fixed costs: no target below a million)
            round(FULL_ENTRIES / TARGET_VERIFY) if total >= 1_000_000 else None,
            lower_is_better=False,
        ),
    ]
    if proofs:
        rows += [
            row(f"inclusion proof, log of {total:,} (p50)", proofs["p50"], "ms", TARGET_PROOF),
            row(f"inclusion proof, log of {total:,} (p95)", proofs["p95"], "ms", TARGET_PROOF),
        ]
    return rows


def _skipped(reason: str) -> list[dict]:
    return [
        {
            "name": f"audit log: skipped, no PostgreSQL at {ADMIN_URL}: {reason}",
            "value": None,
            "unit": "",
            "target": None,
            "baseline": None,
            "ratio": None,
            "met": None,
        }
    ]


def run(small: bool = False, entries: int | None = None) -> list[dict]:
    """Rows for the bench table (see the module docstring for what is measured)."""
    reason = unavailable()
    if reason:
        return _skipped(reason)
    if entries is not None:
        with Scratch("verify") as scratch:
            return big_log(scratch, entries, EVERY, 1000)
    if small:  # one database: the built log, then the writers append to it
        with Scratch("small") as scratch:
            rows = big_log(scratch, 30_000, EVERY, 200)
            rows = append_rows(scratch, small=True) + rows
        return [*rows, row("  checking one checkpoint signature", _signature_us(), "µs", None)]
    with Scratch("append") as scratch:
        rows = append_rows(scratch, small=False)
    rows.append(row("  checking one checkpoint signature", _signature_us(), "µs", None))
    with Scratch("verify") as scratch:
        rows += big_log(scratch, FULL_ENTRIES, EVERY, 1000)
    with Scratch("dense") as scratch:  # as the default setting signs under load
        rows += big_log(scratch, 1_000_000, DENSE, 0)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.audit")
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--entries", type=int, help="verify and proofs only, at this size")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        mode, *rest = args.worker
        if mode == "setup":
            _django()
            from django.core.management import call_command

            from jifang.platform.auditlog import services

            call_command("migrate", interactive=False, verbosity=0)
            services.signing_key()
            print("{}")
        elif mode == "append":
            _append_worker(int(rest[0]))
        elif mode == "build":
            _build_worker(rest[0], int(rest[1]), int(rest[2]), rest[3])
        elif mode == "seal":
            _seal_worker(int(rest[0]))
        elif mode == "prove":
            _prove_worker(int(rest[0]), int(rest[1]))
        return 0
    from . import _table

    print(_table(run(small=args.small, entries=args.entries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

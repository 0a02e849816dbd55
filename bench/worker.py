"""A bench worker: one process set up on one bench database, answering the orchestrator's requests.

The orchestrator (bench/run.py) starts one worker per database it measures and
sends it one JSON line per measurement ({"op": "get", "kwargs": {"page":
"dashboard"}}); the worker answers one JSON line ({"ok": …} or {"error": …}).
Two workers on two databases can so be timed in turns (interleaved A/B), each
with its own Django set-up. The protocol uses the original stdout; anything
else the process prints goes to stderr.
"""
import json
import os
import subprocess
import sys
import traceback
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def serve(vendor, size):
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout = sys.stderr
    from bench import databases

    databases.setup_django(vendor, size)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from bench.measures import Bench

    bench = Bench()
    channel.write(json.dumps({"ok": bench.describe()}, default=_plain) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = {"ok": getattr(bench, request["op"])(**request.get("kwargs", {}))}
        except Exception:  # noqa: BLE001 — the orchestrator prints it and goes on with the other figures
            answer = {"error": traceback.format_exc()}
        channel.write(json.dumps(answer, default=_plain) + "\n")


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


class Worker:
    """The orchestrator's handle on a worker process."""

    def __init__(self, vendor, size, *, python=sys.executable):
        self.vendor, self.size = vendor, size
        log = ROOT / "bench" / "out" / f"worker-{vendor}-{size}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        self.log = log
        self.process = subprocess.Popen(
            [python, str(ROOT / "bench" / "run.py"), "worker", "--vendor", vendor, "--size", size],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(log, "w"), text=True, cwd=ROOT,
        )
        self.info = self._read()

    def _read(self):
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"工作进程退出（{self.vendor}/{self.size}），见 {self.log}：\n{self.tail()}")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer["ok"]

    def tail(self, lines=15):
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def __call__(self, op, **kwargs):
        self.process.stdin.write(json.dumps({"op": op, "kwargs": kwargs}) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()

"""The README's commands work as written on a fresh copy of the project.

The module copies the project's files (what `git ls-files` lists, tracked or
not ignored — what a clone of this working tree has) into a temporary folder,
shares the project's `.venv` with it, and runs there every command of the
README's ``sh`` blocks, in the README's order: the development ones as written
(SQLite `db.sqlite3` of the copy, the demo loaded by `make demo`, outputs in
the copy's `out/`), and the deployment block with the production settings.
A command added to the README without a way to run it here fails
`test_every_readme_command_is_run`.

Only the network-dependent first line of the deployment block
(`python3.11 -m venv .venv && pip install`) is not run: the copy uses the
project's virtualenv.
"""
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DEPLOY_MARKER = "DJANGO_SETTINGS_MODULE=config.settings.production"
NOT_RUN = ("python3.11 -m venv",)  # needs the network; the copy shares .venv
# make targets that would run the suite or the benchmark from inside the suite: checked with `make -n`.
DRY_RUN_TARGETS = {"test", "test-postgres", "bench"}
DEMO_LOGINS = ("wuyou-demo-2025", "city3713", "county371302", "town371302001", "admin")


def shell_blocks(text=None):
    """The README's ```sh blocks as lists of commands: comments dropped, `\\` continuations joined."""
    text = README.read_text(encoding="utf-8") if text is None else text
    blocks = []
    for body in re.findall(r"^```sh\n(.*?)^```", text, re.S | re.M):
        commands, pending = [], ""
        for line in body.splitlines():
            if line.rstrip().endswith("\\"):
                pending += line.rstrip()[:-1] + " "
                continue
            command = re.sub(r"\s+#.*$", "", pending + line).strip()
            pending = ""
            if command and not command.startswith("#"):
                commands.append(" ".join(command.split()))
        blocks.append(commands)
    return blocks


def dev_commands():
    return [command for block in shell_blocks() if not any(DEPLOY_MARKER in c for c in block) for command in block]


def deploy_commands():
    blocks = [block for block in shell_blocks() if any(DEPLOY_MARKER in c for c in block)]
    assert len(blocks) == 1, "the README has one deployment block"
    return blocks[0]


def clean_env(**extra):
    """The environment of a new shell: none of this test run's Django, database or make variables."""
    dropped = ("DJANGO_", "DATABASE_URL", "MAKE", "MFLAGS", "PYTEST_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(dropped)}
    return {**env, **extra}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command, cwd, env, timeout=300):
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def ok(result):
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


class Server:
    """A long-running command (runserver, gunicorn) in its own process group, its output collected."""

    def __init__(self, command, cwd, env):
        self.process = subprocess.Popen(
            ["bash", "-c", command], cwd=cwd, env={**env, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self):
        return "".join(self.lines)

    def wait_for(self, text, timeout=120):
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.reader.join(timeout=5)
                raise AssertionError(f"never printed {text!r}:\n{self.output[-4000:]}")
            time.sleep(0.2)

    def get(self, url, headers=None, timeout=60):
        """GET `url` once the server answers; return (status, body)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
                    return response.status, response.read()
            except urllib.error.HTTPError as error:
                return error.code, error.read()
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"{url} never answered:\n{self.output[-4000:]}") from None
                time.sleep(0.3)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.reader.join(timeout=5)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project as a clone of this working tree has it, with the demo loaded by `make demo`."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True,
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout: cannot tell which files a clone has")
    copy = tmp_path_factory.mktemp("clone")
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = ROOT / name
        if source.is_file():  # listed but deleted in the working tree: not in a clone of it either
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)  # keeps times: make sees the shared .venv as up to date
    (copy / ".venv").symlink_to(ROOT / ".venv")
    demo = ok(run("make demo", copy, clean_env()))
    assert "已载入演示数据" in demo
    return copy


def test_every_readme_command_is_run():
    known = re.compile(r"^(make( [a-z-]+)?( [A-Z_]+=\"[^\"]*\")?|mkdir -p out|\.venv/bin/python manage\.py .+)$")
    unknown = [c for c in dev_commands() if not known.match(c)]
    assert not unknown, f"README commands tests/test_readme.py does not know how to run: {unknown}"
    assert shell_blocks()[0][:3] == ["make run", "make logins", "make test"]
    text = README.read_text(encoding="utf-8")
    assert "../shared" not in text and "(docs/standard.md)" in text
    assert " python manage.py" not in text, "use .venv/bin/python: a bare python has no Django"


def test_make_run_prints_the_logins_on_every_start_and_serves(project):
    port = free_port()
    server = Server(f"make run HOST=127.0.0.1:{port}", project, clean_env())
    try:
        server.wait_for("Quit the server with")
        status, body = server.get(f"http://127.0.0.1:{port}/accounts/login/")
    finally:
        server.stop()
    out = server.output
    assert status == 200 and "五有".encode() in body
    assert "演示数据已存在，跳过载入。" in out  # the fixture loaded it: this is a second start
    assert all(login in out for login in DEMO_LOGINS), out
    assert out.count("Watching for file changes") == 1, out


@pytest.mark.parametrize("command", dev_commands())
def test_readme_command(project, command):
    env = clean_env()
    words = shlex.split(command)
    if words[0] == "make" and len(words) > 1 and words[1] in DRY_RUN_TARGETS:
        # The suite and the benchmark are not run from inside the suite: the target exists and passes options on.
        printed = ok(run(f"make -n {command[len('make '):]}", project, env))
        for assignment in words[2:]:
            assert assignment.split("=", 1)[1] in printed, printed
        return
    if command == "make run":
        return  # test_make_run_prints_the_logins_on_every_start_and_serves
    out = ok(run(command, project, env))
    if command in ("make logins",) or "load_demo --logins" in command:
        assert all(login in out for login in DEMO_LOGINS), out
    elif "export_compliance" in command:
        target = project / words[words.index("-o") + 1]
        assert zipfile.is_zipfile(target), out  # an xlsx is a zip
        assert str(target.relative_to(project)).startswith("out/")
    elif "verify_compliance" in command:
        assert "已保存的结果与实时计算一致" in out, out
    elif "refresh_compliance" in command:
        assert "按今日重新评判" in out, out
    elif "compliance" in command and "--json" in command:
        data = json.loads(out)
        assert data["townships"] and all(t["results"] for t in data["townships"])
    elif "compliance" in command:
        assert "达标" in out


def test_the_standard_document_names_every_rule_the_product_computes(project):
    """docs/standard.md lists exactly the rule codes `compliance --json` reports."""
    out = ok(run(".venv/bin/python manage.py compliance 371302001 --year 2025 --json", project, clean_env()))
    computed = {result["code"] for result in json.loads(out)["townships"][0]["results"]}
    document = (ROOT / "docs" / "standard.md").read_text(encoding="utf-8")
    prefixes = {code.split(".")[0] for code in computed}
    documented = {
        code for code in re.findall(r"`([a-z_]+\.[a-z_]+)`", document) if code.split(".")[0] in prefixes
    }
    assert documented == computed


def test_readme_deployment_block_with_the_production_settings(project):
    commands = deploy_commands()
    export = next(c for c in commands if c.startswith("export "))
    variables = dict(word.split("=", 1) for word in shlex.split(export)[1:])
    assert variables["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert set(variables) >= {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"}
    # The README's "…" stand for the operator's secrets; PostgreSQL is replaced by a file of the copy.
    variables.update(DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL=f"sqlite:///{project / 'prod.sqlite3'}")
    env = clean_env(**variables)
    host = variables["DJANGO_ALLOWED_HOSTS"].split(",")[0]
    ran = []
    for command in commands:
        if command.startswith(NOT_RUN) or command == export:
            continue
        ran.append(command.split()[2] if "manage.py" in command else command.split()[0])
        if command.endswith("manage.py createsuperuser"):
            out = ok(run(command + " --noinput", project, {
                **env, "DJANGO_SUPERUSER_USERNAME": "ops", "DJANGO_SUPERUSER_EMAIL": "ops@example.gov.cn",
                "DJANGO_SUPERUSER_PASSWORD": secrets.token_urlsafe(16),
            }))
        elif "gunicorn" in command:
            port = free_port()
            server = Server(re.sub(r"--bind \S+", f"--bind 127.0.0.1:{port}", command), project, env)
            try:
                headers = {"Host": host, "X-Forwarded-Proto": "https"}
                status, body = server.get(f"http://127.0.0.1:{port}/accounts/login/", headers)
                assert status == 200, body[:2000]
                asset = re.search(rb'/static/[^"]+\.[0-9a-f]{12}\.css', body)
                assert asset, "whitenoise serves the hashed names collectstatic wrote"
                status, _css = server.get(f"http://127.0.0.1:{port}{asset.group().decode()}", headers)
                assert status == 200
            finally:
                server.stop()
            assert "Traceback" not in server.output, server.output
        else:
            out = ok(run(command, project, env))
            if "check --deploy" in command:
                assert "System check identified no issues (0 silenced)." in out
    assert ran == ["check", "migrate", "collectstatic", "createsuperuser", ".venv/bin/gunicorn"]

"""Issue #14, item 5 (secret): the .env.example placeholder and low-entropy secrets are refused by every role that
uses BETTER_AUTH_SECRET (serve-api, serve, migrate), from the environment or a _FILE: exit code 2, one line on
standard error naming the key and not the value, and never a listening port. A strong secret starts each role
(the control that shows the harness itself works)."""

import os
import socket
import subprocess
import time

import pytest

import harness

WEAK = {
    "placeholder": harness.PLACEHOLDER_SECRET,
    "one-letter": "a" * 36,
    "few-letters": "abcdefghijk" * 4,  # 44 characters, 11 distinct
}
ROLES = ["serve-api", "serve", "migrate"]
STORES = ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL") else [])


def run_role(role, folder, secret, via, store, seconds=15):
    """Runs `role`; returns (exit code or None if it kept running, stdout, stderr, whether it listened)."""
    port = harness.free_port()
    env = harness.server_environment(role, folder, tls=False)
    env.pop("BETTER_AUTH_SECRET")
    env["DATABASE_URL"] = os.environ["DATABASE_URL"] if store == "postgresql" else "sqlite:todo.sqlite"
    if via == "env":
        env["BETTER_AUTH_SECRET"] = secret
    else:
        path = os.path.join(folder, "auth-secret")
        with open(path, "w") as file:
            file.write(secret + "\n")
        env["BETTER_AUTH_SECRET_FILE"] = path
    arguments = [harness.BIN, role] + ([] if role == "migrate" else ["--port", str(port)])
    out_path, err_path = os.path.join(folder, "stdout"), os.path.join(folder, "stderr")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen(arguments, env=env, cwd=folder, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        listened = False
        deadline = time.monotonic() + seconds
        try:
            while process.poll() is None and time.monotonic() < deadline:
                if role != "migrate":
                    with socket.socket() as probe:
                        probe.settimeout(0.2)
                        if probe.connect_ex(("127.0.0.1", port)) == 0:
                            listened = True
                            # Give a server a moment to prove it really serves, then stop it.
                            time.sleep(0.2)
                            break
                time.sleep(0.02)
        finally:
            code = process.poll()
            if code is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(10)
    with open(out_path, "rb") as out, open(err_path, "rb") as err:
        return code, out.read().decode(errors="replace"), err.read().decode(errors="replace"), listened


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("via", ["env", "file"])
@pytest.mark.parametrize("weak", list(WEAK))
@pytest.mark.parametrize("role", ROLES)
def test_weak_secret_refused(tmp_path, role, weak, via, store):
    secret = WEAK[weak]
    code, stdout, stderr, listened = run_role(role, str(tmp_path), secret, via, store)
    shown = f"exit {code}, listened {listened}\nstdout: {stdout[-600:]!r}\nstderr: {stderr[-600:]!r}"
    assert not listened, f"{role} listened with the {weak} secret: {shown}"
    assert code == 2, f"{role} with the {weak} secret ({via}) should exit 2: {shown}"
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "BETTER_AUTH_SECRET" in lines[0], f"expected one line naming BETTER_AUTH_SECRET: {shown}"
    assert secret not in stdout + stderr, f"the secret's value was printed: {shown}"


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("role", ROLES)
def test_strong_secret_starts(tmp_path, role, store):
    code, stdout, stderr, listened = run_role(role, str(tmp_path), harness.SECRET, "env", store)
    shown = f"exit {code}, listened {listened}\nstdout: {stdout[-600:]!r}\nstderr: {stderr[-600:]!r}"
    if role == "migrate":
        assert code == 0, f"migrate with a strong secret failed: {shown}"
    else:
        assert listened, f"{role} with a strong secret did not start: {shown}"
    assert harness.SECRET not in stdout + stderr, f"the secret's value was printed: {shown}"

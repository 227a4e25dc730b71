"""Fixtures of the attack suite: the TLS material, a launcher whose roles are stopped after each test (even a failed
one), and the logs of the roles involved attached to every failure report."""

import os
import resource

import pytest

import harness


def pytest_configure(config):
    # Hundreds of held connections per test: raise the soft file-descriptor limit (the servers inherit it).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 16384 if hard == resource.RLIM_INFINITY else min(hard, 16384)
    if soft != resource.RLIM_INFINITY and soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    # Every request goes to loopback, never through a proxy from the environment.
    for key in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        os.environ.pop(key, None)


def pytest_report_header(config):
    database = "PostgreSQL (DATABASE_URL)" if os.environ.get("DATABASE_URL") else "SQLite in a temporary folder"
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return [f"binary: {harness.BIN}", f"store: {database}; open files: {soft}",
            f"server timeouts: {harness.TIMEOUT_ENV}"]


@pytest.fixture(scope="session", autouse=True)
def certs(tmp_path_factory):
    if not os.access(harness.BIN, os.X_OK):
        pytest.exit(f"{harness.BIN} not found: build it or set BIN", returncode=2)
    harness.make_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def launch(tmp_path):
    """Starts roles with `launch.start(command, env=…, tls=…)`; stops them afterwards and fails the test if one of
    them died on its own."""
    launcher = harness.Launcher(tmp_path)
    yield launcher
    died = launcher.died()
    launcher.stop_all()
    if died:
        pytest.fail("server process died during the test:\n" + "\n".join(
            f"{role.name} exit {role.process.returncode}\n{role.tail(1500)}" for role in died))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    item.first_role = len(harness.ROLES)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and report.when in ("setup", "call"):
        first = getattr(item, "first_role", 0)
        for index, role in enumerate(harness.ROLES):
            if index >= first or (not role.stopped and role.alive()):
                report.sections.append((f"log of {role.name} (last 4000 bytes)", role.tail() or "(empty)"))
    return report


def pytest_sessionfinish(session, exitstatus):
    for role in harness.ROLES:
        if not role.stopped:
            role.stop()

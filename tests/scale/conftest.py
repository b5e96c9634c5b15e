"""Scale-out fixtures: a fresh PostgreSQL database, Redis, and two Rasa processes behind HAProxy.

These run when PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer and skip, saying so,
when they do not; with REQUIRE_SCALE_SERVICES=1 (as .ci/run sets) they fail instead of skipping.
"""

import os
import shutil
import uuid

import pytest

from bot import PROJECT_ROOT
from tests.helpers import Bot, free_port

PG_ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


def unavailable() -> str:
    """Why the scale-out tests cannot run here, or "" when they can."""
    import psycopg2
    import redis

    try:
        psycopg2.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg2.Error as error:
        return f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {error}"
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_timeout=3).ping()
    except redis.RedisError as error:
        return f"Redis is not reachable at {TEST_REDIS_URL}: {error}"
    if shutil.which("haproxy") is None:
        return "haproxy is not installed (apt-get install haproxy)"
    return ""


@pytest.fixture(scope="session")
def scale_services_ready():
    reason = unavailable()
    if reason:
        if os.environ.get("REQUIRE_SCALE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(f"scale-out tests skipped: {reason}")


@pytest.fixture(scope="session")
def database_url(scale_services_ready):
    import psycopg2

    name = f"screening_test_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(PG_ADMIN_URL)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    admin = psycopg2.connect(PG_ADMIN_URL)  # the server may have restarted in a test
    admin.autocommit = True
    cursor = admin.cursor()
    cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
    cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


@pytest.fixture(scope="session")
def scaled(trained_model, database_url):
    import redis

    from bot.tasks.scaled import ScaledServices

    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    stack = ScaledServices(
        model=trained_model,
        token=uuid.uuid4().hex,
        backend_ports=[free_port(), free_port()],
        front_port=free_port(),
        action_port=free_port(),
        env={
            "DATABASE_URL": database_url,
            "REDIS_URL": TEST_REDIS_URL,
            # The fault tests' traffic all comes from one address, faster than people type.
            "RATE_LIMIT_SESSION": "off",
            "RATE_LIMIT_ADDRESS": "off",
        },
        log_dir=PROJECT_ROOT / "var" / "log" / "scale-tests",
    )
    with stack:
        yield stack


def local_bot(port: int, token: str) -> Bot:
    """A client for the Rasa server (or HAProxy in front of them) on this machine's `port`."""
    return Bot(f"http://127.0.0.1:{port}", token)


@pytest.fixture(scope="session")
def front(scaled):
    return local_bot(scaled.front_port, scaled.token)


@pytest.fixture(scope="session")
def backends(scaled):
    return [local_bot(port, scaled.token) for port in scaled.backend_ports]

"""PostgreSQL from the Debian package, one cluster under the stack folder run with pg_ctl.

PostgreSQL refuses to run as root, so when the stack is started by root the
cluster belongs to the package's `postgres` user.
"""

import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from infra.stack.component import Component
from infra.stack.packages import apt_install
from infra.stack.process import StackError

PG_ROOT = Path("/usr/lib/postgresql")


def _bin_dir() -> Path | None:
    versions = sorted(
        (p for p in PG_ROOT.glob("*/bin") if (p / "pg_ctl").exists()),
        key=lambda p: int(p.parent.name),
    )
    return versions[-1] if versions else None


@dataclass
class PostgresServer(Component):
    user: str = "shop"
    password: str = "shop"
    database: str = "shop"
    _bin: Path = field(default=Path("/nonexistent"), init=False, repr=False)

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def socket_dir(self) -> Path:
        return self.home / "run"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "postmaster.pid"

    def install(self) -> None:
        if _bin_dir() is None:
            apt_install("postgresql")
            # The package creates and starts a default cluster; this stack runs its own.
            subprocess.run(["service", "postgresql", "stop"], capture_output=True, check=False)
        bin_dir = _bin_dir()
        if bin_dir is None:
            raise StackError("postgresql installed but no pg_ctl found under /usr/lib/postgresql")
        self._bin = bin_dir
        self.home.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            self._let_postgres_user_reach_home()
        if not (self.data_dir / "PG_VERSION").exists():
            self._run("initdb", "-D", str(self.data_dir), "-U", "postgres",
                      "--auth-local=trust", "--auth-host=scram-sha-256",
                      "--encoding=UTF8", "--locale=C.UTF-8")

    def start(self) -> None:
        options = (f"-c listen_addresses={self.host} -p {self.ports[0]} "
                   f"-k {self.socket_dir} -c shared_buffers=256MB -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file),
                  "-o", options, "-W", "start")

    def running(self) -> bool:
        return self._pg_ctl_status() == 0

    def stop(self) -> bool:
        if not self.running():
            return False
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")
        return True

    def healthy(self) -> bool:
        pg_isready = self._resolved_bin() / "pg_isready"
        result = subprocess.run(
            [str(pg_isready), "-h", self.host, "-p", str(self.ports[0]), "-t", "1"],
            capture_output=True, check=False,
        )
        return result.returncode == 0

    def after_start(self) -> None:
        # Role and database for the project, created only when missing.
        sql = f"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{self.user}') THEN
            CREATE ROLE "{self.user}" LOGIN CREATEDB PASSWORD '{self.password}';
          END IF;
        END $$;
        """
        self._psql("postgres", sql)
        exists = self._psql(
            "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{self.database}'"
        )
        if "1" not in exists.split():
            self._psql("postgres", f'CREATE DATABASE "{self.database}" OWNER "{self.user}"')

    def _psql(self, database: str, sql: str) -> str:
        return self._run("psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
                         "-h", str(self.socket_dir), "-p", str(self.ports[0]),
                         "-U", "postgres", "-d", database, "-c", sql)

    def _pg_ctl_status(self) -> int:
        if not (self.data_dir / "PG_VERSION").exists():
            return 4
        return subprocess.run(self._as_owner(["pg_ctl", "-D", str(self.data_dir), "status"]),
                              capture_output=True, check=False).returncode

    def _run(self, program: str, *args: str) -> str:
        result = subprocess.run(self._as_owner([program, *args]),
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise StackError(f"{program} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
        return result.stdout

    def _resolved_bin(self) -> Path:
        if not self._bin.exists():
            found = _bin_dir()
            if found is None:
                raise StackError("PostgreSQL is not installed (run `shop stack up`)")
            self._bin = found
        return self._bin

    def _as_owner(self, argv: list[str]) -> list[str]:
        command = [str(self._resolved_bin() / argv[0]), *argv[1:]]
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return command

    def _chown(self, path: Path) -> None:
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def _let_postgres_user_reach_home(self) -> None:
        for path in (self.home, self.socket_dir):
            self._chown(path)
        # The postgres user must be able to walk down to the data folder (x only, no read).
        for parent in self.home.parents:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                parent.chmod(mode | 0o001)
        if shutil.which("runuser") is None:
            raise StackError("runuser is needed to run PostgreSQL as the postgres user")

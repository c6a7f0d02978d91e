"""Resolve a runtime classpath from Maven Central into a folder, once."""

import shutil
import subprocess
from pathlib import Path

from infra.stack.process import StackError


def resolve_jars(pom: Path, lib: Path, repo: Path) -> None:
    stamp = lib / ".resolved"
    if stamp.exists() and stamp.read_text() == pom.read_text():
        return
    if shutil.which("mvn") is None:
        raise StackError("Maven (mvn) is not on PATH; install it (apt-get install -y maven)")
    lib.mkdir(parents=True, exist_ok=True)
    # copy-dependencies never removes a jar, and two versions of one library break the JVM.
    for jar in lib.glob("*.jar"):
        jar.unlink()
    result = subprocess.run(
        ["mvn", "-B", "-q", f"-Dmaven.repo.local={repo}", "-f", str(pom),
         "dependency:copy-dependencies", "-DincludeScope=runtime",
         f"-DoutputDirectory={lib}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise StackError(f"mvn could not resolve {pom.name}:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
    stamp.write_text(pom.read_text())


def maven_repo(component_home: Path) -> Path:
    # The local repository lives beside the stack so that a second run is offline and fast.
    return component_home.parent / "cache" / "m2"

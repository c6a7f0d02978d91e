"""Debian packages the stack needs, installed only when missing."""

import os
import shutil
import subprocess

from infra.stack.process import StackError

_updated = False


def apt_install(*packages: str) -> None:
    global _updated
    if os.geteuid() != 0:
        raise StackError(f"{' '.join(packages)} missing; run: sudo apt-get install -y {' '.join(packages)}")
    if shutil.which("apt-get") is None:
        raise StackError(f"{' '.join(packages)} missing and apt-get is not available to install it")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if not _updated:
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, capture_output=True)
        _updated = True
    result = subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        env=env, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise StackError(f"apt-get install {' '.join(packages)} failed:\n{result.stderr[-2000:]}")

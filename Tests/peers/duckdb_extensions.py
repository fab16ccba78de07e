"""DuckDB extensions for machines that cannot reach DuckDB's extension server: the extensions are also published on
PyPI as wheels (`duckdb-extension-NAME`), each pinned to the DuckDB release it was built for. This installs that
DuckDB and the extension into a virtual environment of their own under .build-venvs/ (git-ignored), so the
DuckDB the other tests use stays as it is, and returns what a child process needs to load the extension.

    python, load = duckdb_with_extension("delta")    # or "postgres_scanner"
    subprocess.run([python, "-c", f"import duckdb; con = duckdb.connect(); con.execute({load!r}); …"])
"""
import glob
import os
import subprocess
import sys

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DUCKDB_VERSION = "1.5.5"


def duckdb_with_extension(name):
    """(python of the venv, the `LOAD '…'` statement for the extension); raises RuntimeError when pip fails."""
    venv = os.path.join(PACKAGE_ROOT, ".build-venvs", f"duckdb-{name}")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    wanted = [f"duckdb=={DUCKDB_VERSION}", f"duckdb-extension-{name}=={DUCKDB_VERSION}"]
    done = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + wanted,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"cannot install {' '.join(wanted)}: {done.stderr.strip()[-300:]}")
    package = f"duckdb_extension_{name}"
    found = subprocess.run([python, "-c", f"import os, {package}; print(os.path.dirname({package}.__file__))"],
                           capture_output=True, text=True, check=True).stdout.strip()
    files = glob.glob(os.path.join(found, "extensions", "*", f"{name}.duckdb_extension"))
    if not files:
        raise RuntimeError(f"{package} holds no {name}.duckdb_extension")
    return python, f"LOAD '{files[0]}'"

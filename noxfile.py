"""Developer sessions; CI (.ci/run) runs the same commands as ``tests``, ``lint`` and ``typecheck``."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
LINT_PATHS = ["src", "tests", "examples", "benchmarks", "noxfile.py"]


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the whole test suite (cassettes replay only; no network)."""
    session.install("-e", ".[test]")
    session.run("pytest", "-n", "2", "-q", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install("ruff")
    session.run("ruff", "check", *LINT_PATHS)
    session.run("ruff", "format", "--check", *LINT_PATHS)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on src, tests and examples."""
    session.install("-e", ".[test]")
    session.run("mypy", "--strict", "src", "tests", "examples", "benchmarks")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation (mkdocs-material, API reference per package) with warnings as errors.

    ``nox -s docs -- serve`` serves it at http://127.0.0.1:8000 instead.
    """
    session.install("-e", ".[docs]")
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", *session.posargs[1:])
        return
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", *session.posargs)


@nox.session
def examples(session: nox.Session) -> None:
    """Run every example against the in-process sandboxes (no credentials in the environment)."""
    session.install("-e", ".[test]")
    session.run("python", "examples/run_all.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Run the benchmarks (API-call counts, throughput, memory, parsing side by side with the peers);
    the sync adapter benchmark runs 1k, 10k and 100k companies here."""
    session.install("-e", ".[test,bench,sandbox]")
    session.run(
        "python", "-m", "benchmarks", *session.posargs, env={"MSPLINK_BENCH_SIZES": "1000,10000,100000"}
    )


@nox.session
def reliability(session: nox.Session) -> None:
    """The slow reliability profiles: every SIGKILL point, the 2,000-company fault-profile sync, the
    full crash matrices (``MSPLINK_SLOW=1``)."""
    session.install("-e", ".[test,sandbox]")
    session.run("pytest", "-n", "2", "-q", "tests/sync", *session.posargs, env={"MSPLINK_SLOW": "1"})


@nox.session
def codegen(session: nox.Session) -> None:
    """Regenerate the ConnectWise wire models from the committed schema (``-- --check`` only compares)."""
    session.run("python", "tools/codegen/connectwise_models.py", *session.posargs)

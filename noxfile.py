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
    """Run the benchmarks: every recipe at 1k, 10k and 100k source records (calls vs the platform minimum,
    CPU per record, wall time sync vs async, memory), the peers side by side, achieved vs allowed
    concurrency, parsing. Results under ``benchmarks/results/``. ``-- recipes`` runs one module
    (names match ``bench_*``); ``MSPLINK_BENCH_SIZES=1000,10000`` skips the 100k runs."""
    session.install("-e", ".[test,sandbox,bench]")
    session.env.setdefault("MSPLINK_BENCH_SIZES", "1000,10000,100000")
    session.run("python", "-m", "benchmarks", *session.posargs)


@nox.session
def reliability(session: nox.Session) -> None:
    """The full reliability suite (``tests/reliability``, ``MSPLINK_SLOW=1``): fault storm at 400
    companies, SIGKILL at 20 points, tokens, bad input with 300 examples per property, security; plus
    the slow recipe fault and SIGKILL tests of ``tests/sync``."""
    session.install("-e", ".[test,sandbox]")
    session.env["MSPLINK_SLOW"] = "1"
    session.run("pytest", "-n", "2", "-q", "tests/reliability", "tests/sync", *session.posargs)


@nox.session
def codegen(session: nox.Session) -> None:
    """Regenerate the ConnectWise wire models from the committed schema (``-- --check`` only compares)."""
    session.run("python", "tools/codegen/connectwise_models.py", *session.posargs)

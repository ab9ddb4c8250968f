"""msplink benchmarks: speed, memory and API-call targets (run with ``python -m benchmarks``)."""

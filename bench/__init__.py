"""Benchmarks: measured outside the test suite (see bench/README.md)."""

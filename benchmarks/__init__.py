"""Benchmarks: `make bench`. Never part of the pass/fail tests."""

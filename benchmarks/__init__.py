"""Benchmarks run by `make bench` (never by `make test`); each appends to reports/benchmarks.csv."""

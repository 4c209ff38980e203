"""Benchmarks against DESIGN.md's budgets: ``make bench`` prints measured against budget."""

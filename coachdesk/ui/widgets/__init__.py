"""Reusable widgets: charts, step indicators, pickers."""

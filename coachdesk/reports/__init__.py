"""Printable handouts and evaluation reports."""

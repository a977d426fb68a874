"""Permissions for this part of grants (see rules.py)."""

"""Transparency: public pages (no sign-in) and open data (360Giving and OCDS)."""

"""The transparency pages and open data: public, no sign-in (issue 12, points 4 and 5)."""

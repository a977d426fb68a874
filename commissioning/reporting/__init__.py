"""Reporting: the Police & Crime Panel report, small-number suppression and returns to funders."""

"""Reads for reporting: the Police and Crime Panel report and the returns to funders."""

"""OCDS 1.1 publishing of priority commissioning (issue 10, point 10): releases built from the procurement records,
streamed as a release package, and validated against the vendored schema."""

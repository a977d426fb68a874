"""Forms of priority commissioning, one module per part (ADR 0004)."""

"""Priority commissioning pages, one module per part (ADR 0004)."""

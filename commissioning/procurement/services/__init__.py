"""Writes of priority commissioning, one module per part (ADR 0004): quotes, tenders, bids, suppliers; evaluation and award."""

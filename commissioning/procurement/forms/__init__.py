"""Forms of priority commissioning, one module per part."""

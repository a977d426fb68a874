"""Who may do what in procurement: one module per part, registered on import by procurement/rules.py."""

"""OPCC profiles: an OPCC's configuration as data (profiles/<name>/profile.yaml), checked and loaded here."""

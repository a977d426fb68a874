"""Evaluation mechanics shared by grant assessment and tender evaluation: declarations of interest before any
access, independent scoring with justification hidden until moderation, consensus with its rationale."""

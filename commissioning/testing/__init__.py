"""Test support shared by every app: the role × URL matrix contract and the browser-test fixtures.

It stands above every app (it knows every role and signs people in), so only tests import it.
"""

"""The demo help center: one command (`manage.py load_demo`) sets up a working site.

A leaf: nothing in the product imports it.
"""

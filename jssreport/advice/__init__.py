"""Advice over the model: what to do about each contract, and what the score will do.

Pure functions over frozen records (no I/O, no templates, no charts). Every effect and
projection is computed by re-running the model on modified contract lists.
"""

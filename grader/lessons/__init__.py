"""Helpers (data recipes, figures, widgets) specific to one notebook."""

"""Guanxi (关系): one shared customer database for direct-selling and direct-response companies."""

__version__ = "0.1.0"

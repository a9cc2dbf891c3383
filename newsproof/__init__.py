"""newsproof: offline-first news verification."""
__version__ = "0.1.0"

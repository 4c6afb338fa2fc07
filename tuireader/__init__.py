"""tuireader: a keyboard-driven terminal reader for research-paper collections."""

__version__ = "0.1.0"

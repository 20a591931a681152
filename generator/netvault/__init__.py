"""netvault: a private follow-up dashboard built from a vault of Markdown notes."""

__version__ = "0.1.0"

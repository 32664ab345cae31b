"""API keys for clients and desk members."""

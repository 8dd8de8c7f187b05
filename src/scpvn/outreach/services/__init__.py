"""Outreach rules, one module per activity: events, media, PSS."""

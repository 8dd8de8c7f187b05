"""scpvn: run a Vietnamese province's Sustainable Production & Consumption plan."""

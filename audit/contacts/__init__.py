"""Contact-list reading and analysis: what a client's export says about its audience."""

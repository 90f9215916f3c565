"""The agency's portfolio: past assessments, kept for benchmarks (`audit portfolio`).

Records live in the store's `portfolio` table (migration 2): a digest of the client's
name (never the name), the pack, the size band and sector answered, the date and the
score per dimension. `benchmark` places one client among the others.
"""

"""Development tooling: relevance evaluation and benchmarks (`search_eval`, `search_bench`,
`search_insights_bench`, `load_bench`).

Installed only by the development and test settings, so production never ships it; a leaf:
nothing in the product imports it.
"""

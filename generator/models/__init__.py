"""Models: expensive results (trained networks, fitted embeddings) that figures reuse."""

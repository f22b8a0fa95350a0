"""Trained networks put to work: prompts to digits, and faces to latent codes and back."""

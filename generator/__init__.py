"""Trains the models and renders every figure of the site."""

"""Figures: one small registered function per output."""

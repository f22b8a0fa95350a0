"""The torch networks, their training loops and samplers, and their export to the browser."""

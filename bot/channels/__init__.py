"""Input channels of our own."""

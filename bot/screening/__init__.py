"""Screening: the rules engine and the answers it reads."""

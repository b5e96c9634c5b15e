"""Commands behind the Makefile: train when the data changed, run everything, evaluate."""

"""Storage: where conversations live (the tracker store) and how they are erased."""

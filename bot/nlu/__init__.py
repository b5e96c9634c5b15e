"""Language understanding: the project's spaCy pipeline and the Rasa components that use it."""

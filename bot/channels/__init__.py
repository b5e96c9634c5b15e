"""Input channels of our own. Importing them also applies bot.rasa_patches (measured Rasa fixes)."""

import bot.rasa_patches  # noqa: F401

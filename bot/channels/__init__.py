"""Input channels of our own. Importing them checks the Rasa version and applies our measured fix
(bot/rasa_compat.py), so a Rasa server never runs without either."""

import bot.rasa_compat  # noqa: F401

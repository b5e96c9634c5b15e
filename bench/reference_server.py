"""The reference bot's Rasa server: bot/tasks/rasa_server.py without our patch of Rasa (bot/rasa_compat.py).

Our channels import bot/rasa_compat.py, which checks Rasa's version and replaces one method of Rasa's
on import. Here the module is imported first, the original method put back, and `apply` made a no-op, so
the server runs Rasa's own code while the rest of our bot stays the same.
"""

from __future__ import annotations


def main() -> None:
    from rasa.core.actions.action import RemoteAction

    original = RemoteAction._validate_action_result
    import bot.rasa_compat

    bot.rasa_compat.apply = lambda: None
    RemoteAction._validate_action_result = original
    from bot.tasks.rasa_server import main as serve

    serve()


if __name__ == "__main__":
    main()

"""Chat platforms, one module or package each, all listed in ``registry``.

Adapters only translate: input becomes typed calls on ``bot.service``, and what it
returns is rendered for the platform. ``console`` is the smallest complete example.
"""

"""Errors the engine raises about its input, translatable by the caller.

The engine imports no Django: a message is an English template marked for extraction,
with its parameters kept apart, so the caller can show it in the user's language.
"""


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue (makemessages) without translating."""
    return message


class InputError(ValueError):
    """Bad input that stops a run: names the file row or plan key at fault."""

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)

    def translated(self, gettext) -> str:
        message = gettext(self.template)
        return message % self.params if self.params else message


class PlanError(InputError):
    """A plan that cannot be run as written."""

"""Signals the models send, for the layers above to act on (connected in AppConfig.ready())."""

from django.dispatch import Signal

#: What the public may see changed outside a publish: a withdrawal of consent, which takes
#: effect on save. Sent with the model class as sender; the publication generation listens.
public_content_changed = Signal()

"""(to be written)"""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


practitioners = warning_list = complaint = _missing

"""(to be written)"""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


registry_list = registry_export = registry_detail = _missing

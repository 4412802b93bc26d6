"""The API's filter backend: django-filter, with id choices narrowed to the user's scope."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend

from jifang.platform.accounts.scope import restrict_choices


class ScopedFilterBackend(DjangoFilterBackend):
    """`?unit=7` for a unit outside the scope answers as for a unit that does not exist."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            restrict_choices(filterset, request.user)
        return filterset

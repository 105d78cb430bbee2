from django.http import HttpRequest, HttpResponse


def edition_diff(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError("being built")

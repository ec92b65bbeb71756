"""Chinese first: the demo ignores the browser's Accept-Language; the language switch
(a cookie set by Django's set_language view) is the only way to English."""


class ChineseFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)

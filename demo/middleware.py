"""Chinese first: the demo ignores the browser's Accept-Language; the language switch
(a cookie set by Django's set_language view) is the only way to English."""


class ChineseFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class BenchTimingMiddleware:
    """Only with DEMO_BENCH=1 (the HTTP benchmarks): a ``Server-Timing`` header with the time the request
    spent in the server (``app``, from the first middleware to the response), in the database (``db``)
    and its query count, so a benchmark can tell time in Python from time in the database and from
    time queued in front of a busy worker (what the client measures beyond ``app``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time  # pylint: disable=import-outside-toplevel

        from django.db import connection  # pylint: disable=import-outside-toplevel

        spent = {"db": 0.0, "n": 0}

        def timed(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent["db"] += time.perf_counter() - started
                spent["n"] += 1

        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = self.get_response(request)
        app = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f'app;dur={app:.1f}, db;dur={spent["db"] * 1000:.1f};desc="{spent["n"]}"'
        return response

"""REST API v1 of the plugin."""
urlpatterns = []

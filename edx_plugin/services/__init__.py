"""Rules of the plugin. Blocks, views, the API and commands all call these functions."""

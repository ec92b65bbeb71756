"""Date and number formats for the platform's language codes that Django names differently
(``FORMAT_MODULE_PATH``): ``zh-cn`` uses Django's ``zh_Hans`` formats."""

"""The learning file (学习档案): everything a member did, by year, gathered through core's registry."""

"""Tests of party classes (party_class): sign-in, questions, reflections, completion, attendance."""

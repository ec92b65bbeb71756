"""Rotation training (rotation, 集中轮训): needs surveys, programs, classes, sessions, attendance, ratings."""

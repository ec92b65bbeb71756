"""Party classes (党课): sign-in, questions to the lecturer, reflections, attendance, completion."""

"""Party classes (party_class, 党课): sign-in, questions to the lecturer, reflections, attendance, completion."""

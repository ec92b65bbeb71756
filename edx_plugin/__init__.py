"""Django app plugin (label ``party_training``): records that span courses and people."""

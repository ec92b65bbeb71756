"""Menu-based selection (menu_selection, 菜单式选学): electives with seats, waiting lists, rules,
preference allocation and content gated by the choice."""

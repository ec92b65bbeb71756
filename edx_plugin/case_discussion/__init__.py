"""Case discussions (case_discussion, 案例分析 / 交流研讨): post first, discuss in groups, grade with a rubric."""

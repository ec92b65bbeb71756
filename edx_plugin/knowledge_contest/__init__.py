"""Knowledge contests (知识竞赛, knowledge_contest): question banks, attempts, scoring, leaderboards,
item analysis, exports."""

"""Knowledge contests (知识竞赛): question banks, attempts, scoring, leaderboards, item analysis, exports."""

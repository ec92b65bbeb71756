"""Writing assignments (writing_assignment), writing that instructors grade (读书笔记、心得体会、征文…):
drafts, grading, judges, the queue, near-copies, archives."""

"""What every area shares: the organisation tree, members and categories, the hours ledger, roles
and permissions, background jobs, files and text, the rotating sign-in code, and the registry
through which areas contribute to what gathers from all of them. Core imports no area."""

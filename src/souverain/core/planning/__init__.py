"""Planning: the radar, exit plans and the roadmap of actions."""

"""Scoring: the methodology, the rules' context and predicates, the audit, the what-if."""

"""Crisis scenarios: the scenario graph, its walks, findings and analyses."""

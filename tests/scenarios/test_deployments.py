"""Links, devices and sites in the simulation: what runs where the organisation is
survives its provider degraded; a link its operator cuts goes down (docs/scenarios.md)."""

from __future__ import annotations

from tests.scenarios.test_scenarios import graph, states

NETWORK = {
    "processes": [
        {"id": "field", "criticality": "vital", "depends_on": ["tablets", "office"]},
        {"id": "online", "criticality": "important", "depends_on": ["fibre"]},
    ],
    "providers": [
        {"id": "maker", "country": "FR"},
        {"id": "landlord", "country": "FR"},
        {"id": "operator", "country": "FR"},
    ],
    "assets": [
        {"id": "tablets", "deployment": "device", "provider": "maker"},
        {"id": "office", "deployment": "site", "provider": "landlord"},
        {"id": "fibre", "deployment": "link", "provider": "operator"},
    ],
}


def test_a_device_whose_maker_is_lost_keeps_running_degraded() -> None:
    assert states(graph(**NETWORK), "provider:maker")["field"] == "degraded"


def test_a_site_whose_landlord_is_lost_is_still_there_degraded() -> None:
    assert states(graph(**NETWORK), "provider:landlord")["field"] == "degraded"


def test_a_link_whose_operator_is_lost_goes_down() -> None:
    result = states(graph(**NETWORK), "provider:operator")
    assert result == {"field": "up", "online": "down"}

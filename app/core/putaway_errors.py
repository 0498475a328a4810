"""Errors of the put-away workflow: refused bins, deviations, rule imports."""

from __future__ import annotations

from app.core.errors import NeedsApproval, StockfloorError
from app.core.putaway_rules import Refusal


class PutawayRefused(StockfloorError):
    """The scanned bin cannot take these goods; ``refusal`` holds the reason as data."""

    template = "{location} cannot take these goods."
    refusal: Refusal | None = None


class NotAStorageBin(PutawayRefused):
    template = "{location} is a {kind} location: put away into a storage bin or pick face."


class BinBlocked(PutawayRefused):
    template = "Location {location} is blocked."


class ZoneNotAllowed(PutawayRefused):
    template = "{sku} may not be stored in zone {zone} ({location}); allowed zones: {allowed}."


class LotMixingNotAllowed(PutawayRefused):
    template = "{location} holds lot {other_lot} of {sku}; lots may not be mixed there."


class OverCapacity(PutawayRefused):
    template = "{location} is full."


class OverUnitCapacity(OverCapacity):
    template = "{location} holds {used} units, room for {limit}: {adding} more do not fit."


class OverWeightCapacity(OverCapacity):
    template = "{location} would weigh {would_be} kg, its limit is {limit} kg."


class OverVolumeCapacity(OverCapacity):
    template = "{location} would hold {would_be} l, its limit is {limit} l."


REFUSAL_ERRORS: dict[str, type[PutawayRefused]] = {
    "not_storage": NotAStorageBin,
    "blocked": BinBlocked,
    "zone_not_allowed": ZoneNotAllowed,
    "lots_mixed": LotMixingNotAllowed,
    "over_units": OverUnitCapacity,
    "over_weight": OverWeightCapacity,
    "over_volume": OverVolumeCapacity,
}


def refusal_error(refusal: Refusal) -> PutawayRefused:
    error = REFUSAL_ERRORS[refusal.code](**refusal.params)
    error.refusal = refusal
    return error


class NothingWaiting(StockfloorError):
    template = "No {what} waits to be put away on {sources}."


class DeviationReasonRequired(StockfloorError):
    template = "{suggested} was suggested: say why {location} is used instead."


class DeviationNeedsApproval(NeedsApproval):
    template = "{suggested} was suggested. A supervisor must approve using {location} instead."


class WholePlateOnly(StockfloorError):
    template = "License plate {plate} moves whole: scan an item on it to move part of it."

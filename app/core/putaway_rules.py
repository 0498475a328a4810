"""Where should received goods go? Put-away rules and bin suggestions on plain dataclasses.

Order of preference for a load (one item line, or every line of a license plate):

1. the product's fixed home location;
2. a bin that already holds the same product: the same lot first; with FEFO, only bins
   whose stock of the product expires no later than the incoming goods (so older stock
   stays in front and is picked first), the closest expiry first; then the nearest;
3. the nearest empty bin in the product's preferred zone, then in any allowed zone;
4. as a last resort the nearest bin that still has room.

Every step only offers bins that pass ``check_bin``: storage or pick-face kind, not blocked,
in an allowed zone, no forbidden lot mixing, and within its unit, weight and volume limits.
Distances are walking distances along aisles: |dx| + |dy| from the origin (the location the
goods wait on). Bins without coordinates come last. Reasons and refusals are data (a code
and its params); ``REASON_TEMPLATES`` holds the English text the UI translates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# Kinds of location goods may be put away into.
STORAGE_KINDS = ("storage", "pick_face")
RULE_SCOPES = ("product", "group", "zone")
MAX_ALTERNATIVES = 3

REASON_TEMPLATES = {
    "home_location": "{location} is the home location of {sku}.",
    "same_lot": "{location} already holds lot {lot} of {sku}.",
    "same_product": "{location} already holds {sku}.",
    "same_product_fefo": "{location} holds {sku} expiring {bin_expiry}, no later than this lot ({expiry}).",
    "empty_bin_in_zone": "{location} is the nearest empty bin in zone {zone}.",
    "empty_bin": "{location} is the nearest empty bin.",
    "nearest_with_room": "{location} is the nearest bin with room for {quantity} x {sku}.",
    "nothing_fits": "No bin can take {quantity} x {sku}: scan any bin that has room.",
}


@dataclass(frozen=True)
class Reason:
    """Why a bin is suggested: a code the UI translates, with its parameters."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return REASON_TEMPLATES[self.code].format(**self.params)


@dataclass(frozen=True)
class Refusal:
    """Why a bin cannot take a load; app/core/putaway_errors.py turns it into an error."""

    code: str  # not_storage | blocked | zone_not_allowed | lots_mixed | over_units | over_weight | over_volume
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def is_capacity(self) -> bool:
        return self.code.startswith("over_")


@dataclass(frozen=True)
class Item:
    """One line of goods to put away."""

    product_id: int
    sku: str
    quantity: int
    lot_id: int | None = None
    lot: str | None = None
    expiry: dt.date | None = None
    group: str | None = None
    unit_weight_kg: float | None = None
    unit_volume_l: float | None = None
    expiry_tracked: bool = False


@dataclass(frozen=True)
class Stock:
    """What a bin holds of one product / lot; weight and volume are per unit (None: unknown)."""

    product_id: int
    quantity: int
    lot_id: int | None = None
    lot: str | None = None
    expiry: dt.date | None = None
    unit_weight_kg: float | None = None
    unit_volume_l: float | None = None


@dataclass(frozen=True)
class Bin:
    location_id: int
    code: str
    kind: str = "storage"
    zone: str | None = None
    x: float | None = None
    y: float | None = None
    blocked: bool = False
    max_units: int | None = None
    max_weight_kg: float | None = None
    max_volume_l: float | None = None
    mix_lots: bool = True  # the location's own flag: False always forbids mixing
    stock: tuple[Stock, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(s.quantity > 0 for s in self.stock)


@dataclass(frozen=True)
class PutawayRule:
    """A supervisor's rule for a product (target = SKU), a product group or a zone.

    None / empty means "no opinion": the next, less specific rule decides. Home location,
    preferred and allowed zones apply to products and groups; a zone rule may say whether
    lots may be mixed in its bins and whether FEFO applies there.
    """

    scope: str
    target: str
    home_location: str | None = None
    preferred_zone: str | None = None
    allowed_zones: tuple[str, ...] = ()
    mix_lots: bool | None = None
    fefo: bool | None = None


@dataclass(frozen=True)
class Policy:
    """The rules that apply to one product, after product -> group precedence."""

    home_location: str | None = None
    preferred_zone: str | None = None
    allowed_zones: frozenset[str] = frozenset()  # empty: every zone
    mix_lots: bool | None = None
    fefo: bool | None = None


@dataclass(frozen=True)
class Choice:
    location_id: int
    code: str
    reason: Reason


@dataclass(frozen=True)
class Suggestion:
    choice: Choice | None
    alternatives: tuple[Choice, ...] = ()
    skipped: tuple[Refusal, ...] = ()  # e.g. why the home location was not suggested
    fallback: Reason | None = None  # set when nothing fits

    @property
    def destination(self) -> str | None:
        return self.choice.code if self.choice else None

    @property
    def destination_id(self) -> int | None:
        return self.choice.location_id if self.choice else None

    @property
    def reason(self) -> Reason:
        return self.choice.reason if self.choice else self.fallback  # type: ignore[return-value]


class RuleBook:
    """Put-away rules looked up by scope and target."""

    def __init__(self, rules: Iterable[PutawayRule] = ()) -> None:
        self._rules = {(rule.scope, rule.target): rule for rule in rules}

    def get(self, scope: str, target: str | None) -> PutawayRule | None:
        return self._rules.get((scope, target)) if target else None

    def policy(self, item: Item) -> Policy:
        """Product rule first, then the product group's rule, field by field."""
        found = [r for r in (self.get("product", item.sku), self.get("group", item.group)) if r]

        def first(name: str):  # noqa: ANN202 - any field type
            return next((getattr(r, name) for r in found if getattr(r, name) not in (None, ())), None)

        return Policy(
            home_location=first("home_location"),
            preferred_zone=first("preferred_zone"),
            allowed_zones=frozenset(first("allowed_zones") or ()),
            mix_lots=first("mix_lots"),
            fefo=first("fefo"),
        )

    def mix_lots(self, item: Item, bin_: Bin) -> bool:
        """May this item's lot share ``bin_`` with other lots? The location's flag can forbid
        it outright; otherwise product, group, then the bin's zone rule decide (default yes)."""
        if not bin_.mix_lots:
            return False
        return _first_set(self.policy(item).mix_lots, self._zone_field(bin_, "mix_lots"), True)

    def fefo(self, item: Item, bin_: Bin) -> bool:
        """Is FEFO wanted? Product, group, the bin's zone, else: when the product has expiries."""
        return _first_set(self.policy(item).fefo, self._zone_field(bin_, "fefo"), item.expiry_tracked)

    def _zone_field(self, bin_: Bin, name: str) -> bool | None:
        rule = self.get("zone", bin_.zone)
        return getattr(rule, name) if rule else None


def rule_problems(rule: PutawayRule) -> list[tuple[str, str]]:
    """(field, reason) for every field that does not fit the rule's scope."""
    problems = []
    if rule.scope not in RULE_SCOPES:
        problems.append(("scope", f"'{rule.scope}' is not one of {', '.join(RULE_SCOPES)}"))
    if rule.home_location and rule.scope != "product":
        problems.append(("home_location", "only a product has a home location"))
    if rule.scope == "zone":
        if rule.preferred_zone:
            problems.append(("preferred_zone", "a zone rule cannot prefer a zone"))
        if rule.allowed_zones:
            problems.append(("allowed_zones", "a zone rule cannot allow zones"))
    if rule.preferred_zone and rule.allowed_zones and rule.preferred_zone not in rule.allowed_zones:
        problems.append(("preferred_zone", f"'{rule.preferred_zone}' is not among the allowed zones"))
    return problems


def _first_set(*values: bool | None) -> bool:
    return next(v for v in values if v is not None)


def volume_litres(length_cm: float | None, width_cm: float | None, height_cm: float | None) -> float | None:
    if None in (length_cm, width_cm, height_cm):
        return None
    return length_cm * width_cm * height_cm / 1000.0  # type: ignore[operator]


def _total(lines: Iterable[Item | Stock], attribute: str) -> float:
    # Unknown weights/volumes count as zero: a limit can only hold what is known.
    return sum(line.quantity * (getattr(line, attribute) or 0.0) for line in lines)


def check_bin(items: Sequence[Item], bin_: Bin, rules: RuleBook) -> Refusal | None:
    """None when ``bin_`` may take every line of ``items``, else the first reason it may not."""
    where = {"location": bin_.code}
    if bin_.kind not in STORAGE_KINDS:
        return Refusal("not_storage", {**where, "kind": bin_.kind.replace("_", " ")})
    if bin_.blocked:
        return Refusal("blocked", where)
    for item in items:
        allowed = rules.policy(item).allowed_zones
        if allowed and bin_.zone not in allowed:
            return Refusal("zone_not_allowed", {**where, "sku": item.sku, "zone": bin_.zone or "-",
                                                "allowed": ", ".join(sorted(allowed))})
        if item.lot_id is not None and not rules.mix_lots(item, bin_):
            other = next((s for s in bin_.stock if s.product_id == item.product_id
                          and s.quantity > 0 and s.lot_id != item.lot_id), None)
            if other is not None:
                return Refusal("lots_mixed", {**where, "sku": item.sku, "lot": item.lot,
                                              "other_lot": other.lot})
    return _capacity_refusal(items, bin_)


def _capacity_refusal(items: Sequence[Item], bin_: Bin) -> Refusal | None:
    where = {"location": bin_.code}
    if bin_.max_units is not None:
        used = sum(s.quantity for s in bin_.stock)
        adding = sum(item.quantity for item in items)
        if used + adding > bin_.max_units:
            return Refusal("over_units", {**where, "used": used, "adding": adding, "limit": bin_.max_units})
    for code, attribute, limit in (("over_weight", "unit_weight_kg", bin_.max_weight_kg),
                                   ("over_volume", "unit_volume_l", bin_.max_volume_l)):
        if limit is None:
            continue
        would_be = _total(bin_.stock, attribute) + _total(items, attribute)
        if would_be > limit + 1e-9:
            return Refusal(code, {**where, "would_be": round(would_be, 2), "limit": limit})
    return None


def distance(bin_: Bin, origin: tuple[float, float]) -> float | None:
    if bin_.x is None or bin_.y is None:
        return None
    return abs(bin_.x - origin[0]) + abs(bin_.y - origin[1])


def _nearness(bin_: Bin, origin: tuple[float, float]) -> tuple:
    d = distance(bin_, origin)
    return (d is None, d or 0.0, bin_.code)


def suggest(
    items: Sequence[Item],
    bins: Sequence[Bin],
    rules: RuleBook,
    origin: tuple[float, float] = (0.0, 0.0),
) -> Suggestion:
    """The best bin for ``items`` (the largest line leads the preferences), with alternatives."""
    if not items:
        raise ValueError("nothing to put away")
    lead = max(items, key=lambda item: item.quantity)
    policy = rules.policy(lead)
    fits = [b for b in bins if check_bin(items, b, rules) is None]
    ranked: list[Choice] = []
    skipped: list[Refusal] = []

    if policy.home_location:
        home = next((b for b in bins if b.code == policy.home_location), None)
        refusal = check_bin(items, home, rules) if home else None
        if home is not None and refusal is None:
            ranked.append(Choice(home.location_id, home.code,
                                 Reason("home_location", {"location": home.code, "sku": lead.sku})))
        elif refusal is not None:
            skipped.append(refusal)
    ranked.extend(_same_product(lead, fits, rules, origin))
    ranked.extend(_empty_bins(lead, policy, fits, origin))
    quantity = sum(item.quantity for item in items)
    ranked.extend(
        Choice(b.location_id, b.code,
               Reason("nearest_with_room", {"location": b.code, "quantity": quantity, "sku": lead.sku}))
        for b in sorted(fits, key=lambda b: _nearness(b, origin))
    )
    unique = _first_choice_per_bin(ranked)
    if not unique:
        return Suggestion(None, (), tuple(skipped),
                          Reason("nothing_fits", {"quantity": quantity, "sku": lead.sku}))
    return Suggestion(unique[0], tuple(unique[1 : 1 + MAX_ALTERNATIVES]), tuple(skipped))


def _first_choice_per_bin(ranked: list[Choice]) -> list[Choice]:
    seen: set[int] = set()
    unique = []
    for choice in ranked:
        if choice.location_id not in seen:
            seen.add(choice.location_id)
            unique.append(choice)
    return unique


def _same_product(lead: Item, fits: Sequence[Bin], rules: RuleBook,
                  origin: tuple[float, float]) -> list[Choice]:
    ranked = []
    for b in fits:
        rank = _same_product_rank(lead, b, rules)
        if rank is not None:
            preference, reason = rank
            ranked.append(((*preference, *_nearness(b, origin)), Choice(b.location_id, b.code, reason)))
    return [choice for _, choice in sorted(ranked, key=lambda pair: pair[0])]


def _same_product_rank(lead: Item, bin_: Bin, rules: RuleBook) -> tuple[tuple[int, int], Reason] | None:
    """How good a bin holding the lead product is (lower is better), or None if it is not one."""
    mine = [s for s in bin_.stock if s.product_id == lead.product_id and s.quantity > 0]
    if not mine:
        return None
    where = {"location": bin_.code, "sku": lead.sku}
    if lead.lot_id is not None and any(s.lot_id == lead.lot_id for s in mine):
        return (0, 0), Reason("same_lot", {**where, "lot": lead.lot})
    if lead.expiry is not None and rules.fefo(lead, bin_):
        expiries = [s.expiry for s in mine if s.expiry is not None]
        if any(expiry > lead.expiry for expiry in expiries):
            return None  # ours would expire first yet sit among fresher stock: FEFO picks go wrong
        if expiries:
            latest = max(expiries)
            # Closest expiry first: the bin stays as uniform as possible.
            return (1, (lead.expiry - latest).days), Reason("same_product_fefo", {
                **where, "bin_expiry": latest.isoformat(), "expiry": lead.expiry.isoformat()})
    return (2, 0), Reason("same_product", where)


def _empty_bins(lead: Item, policy: Policy, fits: Sequence[Bin],
                origin: tuple[float, float]) -> list[Choice]:
    empty = sorted((b for b in fits if b.is_empty),
                   key=lambda b: (b.zone != policy.preferred_zone if policy.preferred_zone else False,
                                  *_nearness(b, origin)))
    choices = []
    for b in empty:
        if policy.preferred_zone and b.zone == policy.preferred_zone:
            reason = Reason("empty_bin_in_zone", {"location": b.code, "zone": b.zone})
        else:
            reason = Reason("empty_bin", {"location": b.code})
        choices.append(Choice(b.location_id, b.code, reason))
    return choices

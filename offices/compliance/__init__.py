"""The compliance contract, shared by every app whose data a rule reads.

Each app above `offices` owns its rules and exposes them through a module
`<app>/compliance.py` (listed in settings.WUYOU_RULE_MODULES) with:

    RULES: list[RuleSpec]
        The app's rules, declared once in `<app>/rules.py` (code, dimension,
        title, unit, fixing form, who acts, which standard parameter switches
        the rule on).

    gather(townships, year) -> dict[township_id, <inputs>]
        `townships` is the list the engine has loaded (read ids with
        `township_ids`). Collect the inputs of the app's rules for every
        township in a FIXED number of queries — never one per township.

    DECIDERS: dict[code, (inputs, context) -> RuleResult]
        Pure: no ORM. Call the pure functions of `<app>/rules.py` with plain
        values and the applicable `Standard` from `context`. Called only for
        rules the standard sets.

    evaluate = engine.evaluator(RULES, DECIDERS)

The engine (`offices.compliance.engine`) combines them; every page,
spreadsheet and API reads that one computation.
"""
from offices.compliance.contract import (  # noqa: F401
    FIVE_HAVES,
    LEFT_OUT,
    MONEY_UNITS,
    NO_STANDARD,
    Actor,
    Dimension,
    RuleResult,
    RuleSpec,
    Status,
    TownshipContext,
    Unit,
)
from offices.compliance.helpers import (  # noqa: F401
    NAMES_LISTED,
    TEN_THOUSAND,
    format_number,
    listed,
    money,
    money_text,
    per_ten_thousand,
    present,
    share,
    shortfall,
    township_ids,
    year_end,
)

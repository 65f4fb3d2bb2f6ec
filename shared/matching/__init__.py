"""Documents to bank transactions: precise, explainable, fast (pure, no I/O).

    from shared.matching import DocumentLine, OrganizationProfile, TransactionLine, match

    results = match(organization, transactions, documents)  # one MatchResult per document

See `engine` for the contract, `policy` for every tolerance, `model` for the
input records and their validation, `commands` for `python -m shared.cli match`.
"""

from shared.matching.native import use_native_build

# The compiled engine first, when it was built from these sources (`native`).
use_native_build(__path__)

from shared.matching.engine import MatchResult, match  # noqa: E402
from shared.matching.model import (  # noqa: E402
    DocumentLine,
    MalformedLine,
    OrganizationProfile,
    TransactionLine,
)
from shared.matching.policy import MatchingPolicy  # noqa: E402

__all__ = [
    "DocumentLine",
    "MalformedLine",
    "MatchResult",
    "MatchingPolicy",
    "OrganizationProfile",
    "TransactionLine",
    "match",
]

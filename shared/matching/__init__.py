"""Documents to bank transactions: precise, explainable, fast (pure, no I/O).

    from shared.matching import DocumentLine, OrganizationProfile, TransactionLine, match

    results = match(organization, transactions, documents)  # one MatchResult per document

See `engine` for the contract, `policy` for every tolerance, `model` for the
input records and their validation, `commands` for `python -m shared.cli match`.
"""

from shared.matching.engine import MatchResult, match
from shared.matching.model import DocumentLine, MalformedLine, OrganizationProfile, TransactionLine
from shared.matching.policy import MatchingPolicy

__all__ = [
    "DocumentLine",
    "MalformedLine",
    "MatchResult",
    "MatchingPolicy",
    "OrganizationProfile",
    "TransactionLine",
    "match",
]

"""
Indian English number formats, which Django does not ship: amounts are grouped in lakhs and
crores (₹12,34,567.50), as ``ramp.services.limits.rupees`` writes them in every message.
Anything not set here (dates, times) comes from Django's ``en`` formats.
"""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = (3, 2, 0)  # the last 3 digits, then groups of 2

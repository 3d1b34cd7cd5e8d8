"""The direct-selling network: distributors, genealogy, volume ledger, plans, commission runs."""

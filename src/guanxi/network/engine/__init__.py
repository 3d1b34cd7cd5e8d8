"""The commission engine: plans and payouts over arrays. Imports no Django.

A network is a parent array (index of each member's sponsor, -1 for a root) with each
member's personal volume for the period, in integer cents. `payout.compute` turns it and
a `plan.Plan` into per-member component amounts, also in cents.
"""

"""Every write to procurement, one module per part (ADR 0004): planning (cases, needs, priorities, resources,
engagement, approval to proceed), market (events, questions, appetite), notices, specification, routes (route to
market, exemptions); quotes, tenders, bids and suppliers; evaluation and award. Each checks permission, runs in a
transaction and records who and why in the history."""

"""REST route groups of the fake Discord, one module per group."""

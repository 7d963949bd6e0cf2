"""Pure domain logic: no Flask, no SQLAlchemy, no clock. Plain values in, plain values out."""

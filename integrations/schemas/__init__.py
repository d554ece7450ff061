"""Typed schemas of the webhook bodies. Nothing reads a body before these do."""

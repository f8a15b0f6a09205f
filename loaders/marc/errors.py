"""Errors raised while mapping a decoded MARC record to the model."""

from __future__ import annotations


class MappingError(Exception):
    """A record that parsed but cannot be described (no title, no control number).

    ``reason`` is a short code for reports (``missing-title``); ``detail`` is
    the message a cataloguer reads.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail

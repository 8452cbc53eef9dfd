"""A small, safe arithmetic evaluator for declared weight shapes: `n_head*d_head`, `4*d_model`.

Integers, the model's names, + - * / // % ** and parentheses; nothing else. Never `eval`.
Division must be exact, and every intermediate value stays below 2**64, so `9**9**9**9`
is refused at once instead of being computed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

LIMIT = 2**64
MAX_LENGTH = 200
_TOKEN = re.compile(r"\s*(?:(\d[\d_]*)|([A-Za-z_][A-Za-z_0-9]*)|(\*\*|//|[-+*/%()]))")


class ExpressionError(ValueError):
    """An expression that cannot be evaluated; the message says why, in the user's terms."""


def evaluate(text: str, names: Mapping[str, int]) -> int:
    """The integer value of `text`, with `names` bound to the model's hyperparameters."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters")
    return _Parser(_tokens(text), names).parse()


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ExpressionError(f"unexpected {text[position:].strip()[:1]!r} at position {position + 1}")
        number, name, operator = match.groups()
        tokens.append(("number", number) if number else ("name", name) if name else ("op", operator))
        position = match.end()
    return tokens


class _Parser:
    """Precedence climbing: sums of products of powers of atoms, as in Python."""

    def __init__(self, tokens: list[tuple[str, str]], names: Mapping[str, int]) -> None:
        self.tokens, self.names, self.at, self.depth = tokens, names, 0, 0

    def parse(self) -> int:
        if not self.tokens:
            raise ExpressionError("the expression is empty")
        value = self.sum()
        if self.at < len(self.tokens):
            raise ExpressionError(f"unexpected {self.tokens[self.at][1]!r}")
        return value

    def peek(self) -> str | None:
        return self.tokens[self.at][1] if self.at < len(self.tokens) and self.tokens[self.at][0] == "op" else None

    def sum(self) -> int:
        value = self.product()
        while self.peek() in ("+", "-"):
            operator = self.tokens[self.at][1]
            self.at += 1
            right = self.product()
            value = _bounded(value + right if operator == "+" else value - right)
        return value

    def product(self) -> int:
        value = self.power()
        while self.peek() in ("*", "/", "//", "%"):
            operator = self.tokens[self.at][1]
            self.at += 1
            right = self.power()
            if operator == "*":
                value = _bounded(value * right)
            elif right == 0:
                raise ExpressionError("division by zero")
            elif operator == "%":
                value = value % right
            elif operator == "/" and value % right:
                raise ExpressionError(f"{value} / {right} is not a whole number")
            else:
                value = value // right
        return value

    def power(self) -> int:
        base = self.unary()
        if self.peek() == "**":
            self.at += 1
            exponent = self.power()  # right-associative, like Python
            if exponent < 0:
                raise ExpressionError("negative exponents do not give whole numbers")
            if abs(base) > 1 and exponent >= 64:
                raise ExpressionError(f"{base}**{exponent} is far too large for a dimension")
            return _bounded(base**exponent)
        return base

    def unary(self) -> int:
        if self.peek() in ("-", "+"):
            negative = self.tokens[self.at][1] == "-"
            self.at += 1
            value = self.unary()
            return -value if negative else value
        return self.atom()

    def atom(self) -> int:
        if self.at >= len(self.tokens):
            raise ExpressionError("the expression ends too early")
        kind, text = self.tokens[self.at]
        self.at += 1
        if kind == "number":
            return _bounded(int(text.replace("_", "")))
        if kind == "name":
            if text not in self.names:
                known = ", ".join(sorted(self.names))
                raise ExpressionError(f"{text!r} is not a hyperparameter of this model; known names: {known}")
            return self.names[text]
        if text == "(":
            self.depth += 1
            if self.depth > 20:
                raise ExpressionError("parentheses nest too deep")
            value = self.sum()
            if self.peek() != ")":
                raise ExpressionError("missing ')'")
            self.at += 1
            self.depth -= 1
            return value
        raise ExpressionError(f"unexpected {text!r}")


def _bounded(value: int) -> int:
    if abs(value) >= LIMIT:
        raise ExpressionError("the value is far too large for a dimension")
    return value

"""Password hashing with Argon2id (argon2-cffi), cost set per application."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD_LENGTH = 10


def _hasher() -> PasswordHasher:
    hasher = current_app.extensions.get("gongdan_password_hasher")
    if hasher is None:
        hasher = PasswordHasher(time_cost=current_app.config["PASSWORD_HASH_TIME_COST"],
                                memory_cost=current_app.config["PASSWORD_HASH_MEMORY_KIB"])
        current_app.extensions["gongdan_password_hasher"] = hasher
    return hasher


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no stored hash, spend the same time and say no."""
    hasher = _hasher()
    if not password_hash:
        hasher.hash(password)  # equal work whether or not the account exists
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > 200:
        return "Use at most 200 characters."
    if password.strip() == "" or len(set(password)) < 4:
        return "This password is too easy to guess; mix more different characters."
    return None

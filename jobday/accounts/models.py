"""User accounts and their roles."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobday.collation import keep_search_key, search_key_column
from jobday.db import Base, UTCDateTime, utcnow
from jobday.security import Role
from jobday.vocabulary import VocabularyType, check_constraint


def new_session_version() -> str:
    return secrets.token_urlsafe(12)


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored normalised (stripped, lower case): uniqueness is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    locale: Mapped[str | None] = mapped_column(String(5))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Part of the login cookie: changing it ends every session of this user.
    session_version: Mapped[str] = mapped_column(String(32), default=new_session_version)
    is_disabled: Mapped[bool] = mapped_column(default=False)
    # Names and address without accents or capitals, for searching (jobday.collation).
    search_key: Mapped[str] = search_key_column("first_name", "last_name", "email")

    # Loaded when read: the logged-in user's roles come with the login's query, and a page
    # that lists other people (recruiters, scanners) reads none of theirs.
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="select"
    )

    @property
    def roles(self) -> set[Role]:
        return set(self._held_roles())

    def _held_roles(self) -> frozenset[Role]:
        # The login's query reads the roles with the user (``remember_roles``); otherwise they
        # come from ``role_rows``. Kept until the user's rows change or its state expires.
        held = self.__dict__.get(_HELD_ROLES)
        if held is None:
            held = frozenset(Role(row.role) for row in self.role_rows)
        return held

    def remember_roles(self, roles) -> None:
        self.__dict__[_HELD_ROLES] = frozenset(roles)

    def has_role(self, role: Role | str) -> bool:
        held = self._held_roles()
        role = Role(role)
        return role in held or (role == Role.STAFF and Role.ADMIN in held)

    def add_role(self, role: Role) -> None:
        if Role(role) not in self.roles:
            self.role_rows.append(UserRole(role=str(role)))

    def remove_role(self, role: Role) -> None:
        self.role_rows = [row for row in self.role_rows if row.role != str(role)]

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return not self.is_disabled

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.email

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def end_all_sessions(self) -> None:
        self.session_version = new_session_version()

    def __repr__(self) -> str:
        return f"<User {self.id}>"


keep_search_key(User, "first_name", "last_name", "email")

_HELD_ROLES = "_jobday_held_roles"


def _forget_roles(user, *_args, **_kwargs) -> None:
    if user is not None:  # an expiring object may already be gone
        user.__dict__.pop(_HELD_ROLES, None)


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (check_constraint(Role, "role", "role_known"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(VocabularyType(Role, 20), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


# The roles read with the user are forgotten when its role rows change (``add_role``,
# ``remove_role``, a new list), when its state expires (a commit, a rollback) or when the
# user is read again whole (``refresh``): the next check reads ``role_rows``.
for _name in ("append", "remove", "bulk_replace"):
    event.listen(User.role_rows, _name, _forget_roles)
event.listen(User, "expire", _forget_roles)


@event.listens_for(User, "refresh")
def _forget_roles_read_again(user, _context, attrs) -> None:
    # ``attrs`` None: the user read again whole (``Session.refresh``). Otherwise another
    # query's row met the user and filled in what it lacked: its role rows are not read then.
    if attrs is None:
        _forget_roles(user)

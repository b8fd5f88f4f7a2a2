"""Queries, one keyword-only function each; callers pass the session."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, select

from trainer.storage.models import Team, User


def get_user(*, session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def list_users(*, session: Session, team_id: int | None = None) -> Sequence[User]:
    query = select(User).order_by(User.username)
    if team_id is not None:
        query = query.where(User.team_id == team_id)
    return session.exec(query).all()


def add_user(*, session: Session, user: User) -> User:
    session.add(user)
    session.flush()
    return user


def get_or_create_team(*, session: Session, name: str) -> Team:
    team = session.exec(select(Team).where(Team.name == name)).first()
    if team is None:
        team = Team(name=name)
        session.add(team)
        session.flush()
    return team


def get_team(*, session: Session, team_id: int) -> Team | None:
    return session.get(Team, team_id)

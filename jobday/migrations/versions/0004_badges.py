"""badges: badge codes, print records

Revision ID: 0004_badges
Revises: 0003_companies
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0004_badges'
down_revision = '0003_companies'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

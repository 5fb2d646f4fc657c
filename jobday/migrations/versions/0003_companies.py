"""companies: companies, recruiters, participations, offers, interview plans

Revision ID: 0003_companies
Revises: 0002_candidates
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0003_companies'
down_revision = '0002_candidates'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

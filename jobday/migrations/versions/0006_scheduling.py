"""scheduling: bookings, applications, wishes, waiting lists, schedule runs

Revision ID: 0006_scheduling
Revises: 0005_jobs
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0006_scheduling'
down_revision = '0005_jobs'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

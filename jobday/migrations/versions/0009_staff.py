"""staff: audit log, campaigns, retention

Revision ID: 0009_staff
Revises: 0008_checkin
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0009_staff'
down_revision = '0008_checkin'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

"""checkin: scans, gate devices

Revision ID: 0008_checkin
Revises: 0007_mail_attachments
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0008_checkin'
down_revision = '0007_mail_attachments'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

"""recruiter e-mails: each recruiter chooses whether to hear of new applications, bookings and
cancellations at their company (on by default)

Revision ID: 0017_recruiter_mail
Revises: 0016_label_layout
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_recruiter_mail'
down_revision = '0016_label_layout'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('company_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_activity', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('company_members', schema=None) as batch_op:
        batch_op.drop_column('email_activity')

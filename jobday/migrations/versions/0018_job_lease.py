"""jobs: a lease (which worker runs the job, and its last heartbeat), so that a job whose
worker died is marked failed instead of running forever

Revision ID: 0018_job_lease
Revises: 0017_recruiter_mail
"""
import sqlalchemy as sa
from alembic import op

revision = '0018_job_lease'
down_revision = '0017_recruiter_mail'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worker', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('worker')

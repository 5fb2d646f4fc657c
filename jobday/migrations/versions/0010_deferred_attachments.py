"""mail: attachments rendered at delivery (a source instead of the bytes)

Revision ID: 0010_deferred_attachments
Revises: 0009_staff
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_deferred_attachments'
down_revision = '0009_staff'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbound_attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=100), nullable=True))
        batch_op.alter_column('content', existing_type=sa.LargeBinary(), nullable=True)
        batch_op.create_check_constraint(
            batch_op.f('ck_outbound_attachments_content_or_source'),
            'content IS NOT NULL OR source IS NOT NULL')


def downgrade():
    # The older release cannot render a source: attachments still waiting for it go (their
    # e-mails are sent without them).
    op.execute('DELETE FROM outbound_attachments WHERE content IS NULL')
    with op.batch_alter_table('outbound_attachments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbound_attachments_content_or_source'), type_='check')
        batch_op.alter_column('content', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('source')

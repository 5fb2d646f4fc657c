"""mail: attachments kept with their message in the outbox

Revision ID: 0007_mail_attachments
Revises: 0006_scheduling
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_mail_attachments'
down_revision = '0006_scheduling'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outbound_attachments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('mimetype', sa.String(length=100), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['email_id'], ['outbound_emails.id'],
                                name=op.f('fk_outbound_attachments_email_id_outbound_emails'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_attachments')),
    )
    op.create_index(op.f('ix_outbound_attachments_email_id'), 'outbound_attachments', ['email_id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_outbound_attachments_email_id'), table_name='outbound_attachments')
    op.drop_table('outbound_attachments')

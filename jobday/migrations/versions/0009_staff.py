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
    op.create_table(
        'audit_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('object_type', sa.String(length=40), nullable=False),
        sa.Column('object_id', sa.Integer(), nullable=True),
        sa.Column('ip', sa.String(length=45), nullable=False),
        sa.Column('detail', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_entries_actor_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries')),
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_action_created_at', ['action', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_created_at'), ['created_at'], unique=False)

    op.create_table(
        'campaigns',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('audience', sa.String(length=40), nullable=False),
        sa.Column('subject_fr', sa.String(length=200), nullable=False),
        sa.Column('subject_en', sa.String(length=200), nullable=False),
        sa.Column('body_fr', sa.Text(), nullable=False),
        sa.Column('body_en', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('send_started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('recipient_count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_campaigns_created_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['edition_id'], ['editions.id'],
                                name=op.f('fk_campaigns_edition_id_editions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns')),
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaigns_edition_id'), ['edition_id'], unique=False)

    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_cv_months', sa.Integer(), server_default='6', nullable=False))
        batch_op.add_column(sa.Column('retention_data_months', sa.Integer(), server_default='24',
                                      nullable=False))
        batch_op.add_column(sa.Column('retention_scans_months', sa.Integer(), server_default='12',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('retention_scans_months')
        batch_op.drop_column('retention_data_months')
        batch_op.drop_column('retention_cv_months')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaigns_edition_id'))
    op.drop_table('campaigns')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_actor_id'))
        batch_op.drop_index('ix_audit_entries_action_created_at')
    op.drop_table('audit_entries')

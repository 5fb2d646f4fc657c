"""checkin: scans, gate devices

Revision ID: 0008_checkin
Revises: 0007_mail_attachments
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_checkin'
down_revision = '0007_mail_attachments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('checkin_gate_devices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('gate', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_checkin_gate_devices_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_checkin_gate_devices_edition_id_editions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_gate_devices')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_checkin_gate_devices_token_hash'))
    )
    with op.batch_alter_table('checkin_gate_devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_gate_devices_edition_id'), ['edition_id'], unique=False)

    op.create_table('checkin_scans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('badge_id', sa.Integer(), nullable=True),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('gate', sa.String(length=20), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('scope', sa.String(length=24), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('scanned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('client_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('raw_input', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('forced', sa.Boolean(), nullable=False),
    sa.Column('is_offline', sa.Boolean(), nullable=False),
    sa.Column('local_result', sa.String(length=16), nullable=True),
    sa.Column('first_scan_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("result IN ('ok', 'already_inside', 'unknown', 'revoked', 'wrong_edition', 'not_today', 'cancelled', 'exit')", name=op.f('ck_checkin_scans_result_known')),
    sa.ForeignKeyConstraint(['badge_id'], ['badges.id'], name=op.f('fk_checkin_scans_badge_id_badges'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['device_id'], ['checkin_gate_devices.id'], name=op.f('fk_checkin_scans_device_id_checkin_gate_devices'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_checkin_scans_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['first_scan_id'], ['checkin_scans.id'], name=op.f('fk_checkin_scans_first_scan_id_checkin_scans'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_user_id'], ['users.id'], name=op.f('fk_checkin_scans_staff_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_scans')),
    sa.UniqueConstraint('scope', 'nonce', name=op.f('uq_checkin_scans_scope_nonce'))
    )
    with op.batch_alter_table('checkin_scans', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_scans_badge_id_scanned_at', ['badge_id', 'scanned_at'], unique=False)
        batch_op.create_index('ix_checkin_scans_edition_id_scanned_at', ['edition_id', 'scanned_at'], unique=False)

    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('records_exits', sa.Boolean(), server_default='0', nullable=False))



def downgrade():
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('records_exits')

    with op.batch_alter_table('checkin_scans', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_scans_edition_id_scanned_at')
        batch_op.drop_index('ix_checkin_scans_badge_id_scanned_at')

    op.drop_table('checkin_scans')
    with op.batch_alter_table('checkin_gate_devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_gate_devices_edition_id'))

    op.drop_table('checkin_gate_devices')

"""badges: badge codes, print records

Revision ID: 0004_badges
Revises: 0003_companies
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_badges'
down_revision = '0003_companies'
branch_labels = None
depends_on = None

ACTIVE_ONLY = "status = 'active'"


def upgrade():
    op.create_table(
        'badges',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=24), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=12), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoke_reason', sa.String(length=40), nullable=True),
        sa.Column('replaced_by_id', sa.Integer(), nullable=True),
        sa.Column('first_name', sa.String(length=100), nullable=False),
        sa.Column('last_name', sa.String(length=100), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=True),
        sa.Column('company_name', sa.String(length=200), nullable=False),
        sa.Column('stand', sa.String(length=12), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('display_hash', sa.String(length=32), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('printed_hash', sa.String(length=32), nullable=True),
        sa.Column('printed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('print_count', sa.Integer(), nullable=False),
        sa.CheckConstraint("role IN ('candidate', 'recruiter', 'staff', 'visitor')",
                           name=op.f('ck_badges_role_known')),
        sa.CheckConstraint("status IN ('active', 'revoked')", name=op.f('ck_badges_status_known')),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_badges_company_id_companies'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_badges_edition_id_editions'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['replaced_by_id'], ['badges.id'],
                                name=op.f('fk_badges_replaced_by_id_badges'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_badges_user_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_badges')),
        sa.UniqueConstraint('code', name=op.f('uq_badges_code')),
    )
    op.create_index(op.f('ix_badges_company_id'), 'badges', ['company_id'], unique=False)
    op.create_index('ix_badges_edition_id_status', 'badges', ['edition_id', 'status'], unique=False)
    op.create_index(op.f('ix_badges_user_id'), 'badges', ['user_id'], unique=False)
    # One active badge per person and edition; revoked ones are kept for the door.
    op.create_index('uq_badges_one_active_per_person', 'badges', ['user_id', 'edition_id'], unique=True,
                    sqlite_where=sa.text(ACTIVE_ONLY), postgresql_where=sa.text(ACTIVE_ONLY))

    op.create_table(
        'badge_print_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('job_id', sa.Integer(), nullable=True),
        sa.Column('started_by_id', sa.Integer(), nullable=True),
        sa.Column('layout', sa.String(length=10), nullable=False),
        sa.Column('selection', sa.String(length=200), nullable=False),
        sa.Column('badge_count', sa.Integer(), nullable=False),
        sa.Column('reprint_count', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['editions.id'],
                                name=op.f('fk_badge_print_runs_edition_id_editions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['started_by_id'], ['users.id'],
                                name=op.f('fk_badge_print_runs_started_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_print_runs')),
    )
    op.create_index(op.f('ix_badge_print_runs_edition_id'), 'badge_print_runs', ['edition_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_badge_print_runs_edition_id'), table_name='badge_print_runs')
    op.drop_table('badge_print_runs')
    op.drop_index('uq_badges_one_active_per_person', table_name='badges',
                  sqlite_where=sa.text(ACTIVE_ONLY), postgresql_where=sa.text(ACTIVE_ONLY))
    op.drop_index(op.f('ix_badges_user_id'), table_name='badges')
    op.drop_index('ix_badges_edition_id_status', table_name='badges')
    op.drop_index(op.f('ix_badges_company_id'), table_name='badges')
    op.drop_table('badges')

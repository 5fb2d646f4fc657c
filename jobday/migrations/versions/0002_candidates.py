"""candidates: profiles, CVs, consents, registrations

Revision ID: 0002_candidates
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_candidates'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('candidate_profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('region', sa.String(length=20), nullable=False),
    sa.Column('education_level', sa.String(length=20), nullable=True),
    sa.Column('field_of_study', sa.String(length=200), nullable=False),
    sa.Column('years_experience', sa.Integer(), nullable=True),
    sa.Column('availability_date', sa.Date(), nullable=True),
    sa.Column('about', sa.Text(), nullable=False),
    sa.Column('cv_stored_name', sa.String(length=80), nullable=True),
    sa.Column('cv_original_name', sa.String(length=200), nullable=True),
    sa.Column('cv_size', sa.Integer(), nullable=True),
    sa.Column('cv_uploaded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('years_experience IS NULL OR years_experience >= 0', name=op.f('ck_candidate_profiles_experience_positive')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_candidate_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_candidate_profiles'))
    )
    with op.batch_alter_table('candidate_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_profiles_education_level'), ['education_level'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidate_profiles_region'), ['region'], unique=False)

    op.create_table('consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=False),
    sa.Column('text_version', sa.String(length=20), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_consents_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents'))
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index('ix_consents_user_id_kind_id', ['user_id', 'kind', 'id'], unique=False)

    op.create_table('registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('waitlisted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offer_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_registrations_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_registrations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registrations')),
    sa.UniqueConstraint('user_id', 'edition_id', name=op.f('uq_registrations_user_id_edition_id'))
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_edition_id_status', ['edition_id', 'status'], unique=False)

    op.create_table('candidate_contract_types',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('contract_type', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['candidate_profiles.user_id'], name=op.f('fk_candidate_contract_types_user_id_candidate_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'contract_type', name=op.f('pk_candidate_contract_types'))
    )
    with op.batch_alter_table('candidate_contract_types', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_contract_types_contract_type'), ['contract_type'], unique=False)

    op.create_table('candidate_job_areas',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['candidate_profiles.user_id'], name=op.f('fk_candidate_job_areas_user_id_candidate_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'area', name=op.f('pk_candidate_job_areas'))
    )
    with op.batch_alter_table('candidate_job_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_job_areas_area'), ['area'], unique=False)

    op.create_table('candidate_languages',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['candidate_profiles.user_id'], name=op.f('fk_candidate_languages_user_id_candidate_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'language', name=op.f('pk_candidate_languages'))
    )
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waitlist_offer_hours', sa.Integer(), server_default='48', nullable=False))



def downgrade():
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('waitlist_offer_hours')

    op.drop_table('candidate_languages')
    with op.batch_alter_table('candidate_job_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_job_areas_area'))

    op.drop_table('candidate_job_areas')
    with op.batch_alter_table('candidate_contract_types', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_contract_types_contract_type'))

    op.drop_table('candidate_contract_types')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_edition_id_status')

    op.drop_table('registrations')
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index('ix_consents_user_id_kind_id')

    op.drop_table('consents')
    with op.batch_alter_table('candidate_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_profiles_region'))
        batch_op.drop_index(batch_op.f('ix_candidate_profiles_education_level'))

    op.drop_table('candidate_profiles')

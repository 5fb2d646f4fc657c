"""leads: leads, scans, tags, history, invitations; offers' region and languages

Revision ID: 0011_leads
Revises: 0010_deferred_attachments
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_leads'
down_revision = '0010_deferred_attachments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lead_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('name_key', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_lead_tags_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_tags')),
    sa.UniqueConstraint('company_id', 'name_key', name=op.f('uq_lead_tags_company_id_name_key'))
    )
    op.create_table('job_offer_languages',
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['job_offers.id'], name=op.f('fk_job_offer_languages_offer_id_job_offers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('offer_id', 'language', name=op.f('pk_job_offer_languages'))
    )
    op.create_table('leads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('first_scanned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_scanned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_scanned_by_id', sa.Integer(), nullable=True),
    sa.Column('last_scanned_by_id', sa.Integer(), nullable=True),
    sa.Column('scan_count', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=True),
    sa.Column('access_withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('share_requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('to_contact', 'contacted', 'interview_planned', 'hired', 'not_retained')", name=op.f('ck_leads_state_known')),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_leads_rating_range')),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_leads_candidate_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_leads_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_leads_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['first_scanned_by_id'], ['users.id'], name=op.f('fk_leads_first_scanned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['last_scanned_by_id'], ['users.id'], name=op.f('fk_leads_last_scanned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offer_id'], ['job_offers.id'], name=op.f('fk_leads_offer_id_job_offers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_leads_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leads')),
    sa.UniqueConstraint('edition_id', 'company_id', 'candidate_id', name=op.f('uq_leads_edition_id_company_id_candidate_id'))
    )
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leads_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('lead_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('old_value', sa.String(length=500), nullable=False),
    sa.Column('new_value', sa.String(length=500), nullable=False),
    sa.CheckConstraint("field IN ('rating', 'state', 'tags', 'note', 'offer', 'access', 'share_request')", name=op.f('ck_lead_changes_field_known')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_lead_changes_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_changes_lead_id_leads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_changes'))
    )
    with op.batch_alter_table('lead_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lead_changes_lead_id'), ['lead_id'], unique=False)

    op.create_table('lead_scans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('recruiter_id', sa.Integer(), nullable=True),
    sa.Column('scope', sa.String(length=24), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('scanned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('client_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_offline', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_scans_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recruiter_id'], ['users.id'], name=op.f('fk_lead_scans_recruiter_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_scans')),
    sa.UniqueConstraint('scope', 'nonce', name=op.f('uq_lead_scans_scope_nonce'))
    )
    with op.batch_alter_table('lead_scans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lead_scans_lead_id'), ['lead_id'], unique=False)

    op.create_table('lead_tag_links',
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_tag_links_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['lead_tags.id'], name=op.f('fk_lead_tag_links_tag_id_lead_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('lead_id', 'tag_id', name=op.f('pk_lead_tag_links'))
    )
    with op.batch_alter_table('lead_tag_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lead_tag_links_tag_id'), ['tag_id'], unique=False)

    op.create_table('interview_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('apply', 'slot')", name=op.f('ck_interview_invitations_kind_known')),
    sa.CheckConstraint("source IN ('lead', 'match')", name=op.f('ck_interview_invitations_source_known')),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'declined', 'cancelled')", name=op.f('ck_interview_invitations_status_known')),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_interview_invitations_candidate_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_interview_invitations_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_interview_invitations_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_interview_invitations_participation_id_participations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['interview_slots.id'], name=op.f('fk_interview_invitations_slot_id_interview_slots'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_invitations'))
    )
    with op.batch_alter_table('interview_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_invitations_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interview_invitations_edition_id'), ['edition_id'], unique=False)
        batch_op.create_index('uq_interview_invitations_participation_id_candidate_id_pending', ['participation_id', 'candidate_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    with op.batch_alter_table('job_offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region', sa.String(length=20), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('job_offers', schema=None) as batch_op:
        batch_op.drop_column('region')

    with op.batch_alter_table('interview_invitations', schema=None) as batch_op:
        batch_op.drop_index('uq_interview_invitations_participation_id_candidate_id_pending', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index(batch_op.f('ix_interview_invitations_edition_id'))
        batch_op.drop_index(batch_op.f('ix_interview_invitations_candidate_id'))

    op.drop_table('interview_invitations')
    with op.batch_alter_table('lead_tag_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_tag_links_tag_id'))

    op.drop_table('lead_tag_links')
    with op.batch_alter_table('lead_scans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_scans_lead_id'))

    op.drop_table('lead_scans')
    with op.batch_alter_table('lead_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_changes_lead_id'))

    op.drop_table('lead_changes')
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leads_candidate_id'))

    op.drop_table('leads')
    op.drop_table('job_offer_languages')
    op.drop_table('lead_tags')

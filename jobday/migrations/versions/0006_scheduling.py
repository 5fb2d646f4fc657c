"""scheduling: bookings, applications, wishes, waiting lists, schedule runs

Revision ID: 0006_scheduling
Revises: 0005_jobs
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_scheduling'
down_revision = '0005_jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('availabilities',
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.CheckConstraint("period IN ('all', 'morning', 'afternoon')", name=op.f('ck_availabilities_period_known')),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_availabilities_candidate_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_availabilities_edition_id_editions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('edition_id', 'candidate_id', name=op.f('pk_availabilities'))
    )
    op.create_table('calendar_feeds',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_calendar_feeds'))
    )
    op.create_table('interview_policies',
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('max_per_candidate', sa.Integer(), nullable=False),
    sa.CheckConstraint('max_per_candidate BETWEEN 1 AND 10', name=op.f('ck_interview_policies_max_range')),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_interview_policies_participation_id_participations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('participation_id', name=op.f('pk_interview_policies'))
    )
    op.create_table('schedule_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('stats', sa.JSON(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_schedule_runs_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_schedule_runs_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_schedule_runs_job_id_jobs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_runs'))
    )
    with op.batch_alter_table('schedule_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_runs_edition_id'), ['edition_id'], unique=False)

    op.create_table('shortlists',
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_shortlists_candidate_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_shortlists_participation_id_participations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('participation_id', 'candidate_id', name=op.f('pk_shortlists'))
    )
    op.create_table('wishes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('rank >= 1', name=op.f('ck_wishes_rank_positive')),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_wishes_candidate_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_wishes_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_wishes_participation_id_participations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wishes')),
    sa.UniqueConstraint('candidate_id', 'participation_id', name=op.f('uq_wishes_candidate_id_participation_id')),
    sa.UniqueConstraint('edition_id', 'candidate_id', 'rank', name=op.f('uq_wishes_edition_id_candidate_id_rank'))
    )
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wishes_edition_id'), ['edition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wishes_participation_id'), ['participation_id'], unique=False)

    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=True),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decision_message', sa.Text(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('proposed_slot_id', sa.Integer(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'declined', 'withdrawn')", name=op.f('ck_applications_status_known')),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_applications_candidate_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_applications_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_applications_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offer_id'], ['job_offers.id'], name=op.f('fk_applications_offer_id_job_offers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_applications_participation_id_participations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_slot_id'], ['interview_slots.id'], name=op.f('fk_applications_proposed_slot_id_interview_slots'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('participation_id', 'candidate_id', name=op.f('uq_applications_participation_id_candidate_id'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_edition_id'), ['edition_id'], unique=False)

    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('outcome_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=20), nullable=True),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('held', 'no_show')", name=op.f('ck_bookings_outcome_known')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_bookings_range_ordered')),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_bookings_candidate_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_bookings_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_bookings_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_bookings_participation_id_participations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['interview_slots.id'], name=op.f('fk_bookings_slot_id_interview_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_edition_id_candidate_id', ['edition_id', 'candidate_id'], unique=False)
        batch_op.create_index('ix_bookings_participation_id_active', ['participation_id', 'active'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_slot_id'), ['slot_id'], unique=False)
        batch_op.create_index('uq_bookings_candidate_id_starts_at_active', ['candidate_id', 'starts_at'], unique=True, sqlite_where=sa.text('active'), postgresql_where=sa.text('active'))
        batch_op.create_index('uq_bookings_slot_id_active', ['slot_id'], unique=True, sqlite_where=sa.text('active'), postgresql_where=sa.text('active'))

    op.create_table('schedule_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_schedule_assignments_candidate_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_schedule_assignments_participation_id_participations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['schedule_runs.id'], name=op.f('fk_schedule_assignments_run_id_schedule_runs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['interview_slots.id'], name=op.f('fk_schedule_assignments_slot_id_interview_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_assignments')),
    sa.UniqueConstraint('run_id', 'slot_id', name=op.f('uq_schedule_assignments_run_id_slot_id'))
    )
    with op.batch_alter_table('schedule_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_assignments_run_id'), ['run_id'], unique=False)

    op.create_table('waitlist_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('offered_slot_id', sa.Integer(), nullable=True),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offer_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('passed_slot_ids', sa.JSON(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('waiting', 'offered', 'accepted', 'left', 'expired')", name=op.f('ck_waitlist_entries_status_known')),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_waitlist_entries_candidate_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_waitlist_entries_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offered_slot_id'], ['interview_slots.id'], name=op.f('fk_waitlist_entries_offered_slot_id_interview_slots'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_waitlist_entries_participation_id_participations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waitlist_entries'))
    )
    with op.batch_alter_table('waitlist_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_waitlist_entries_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index('ix_waitlist_entries_participation_id_status', ['participation_id', 'status'], unique=False)
        batch_op.create_index('uq_waitlist_entries_offered_slot_id_offered', ['offered_slot_id'], unique=True, sqlite_where=sa.text("status = 'offered'"), postgresql_where=sa.text("status = 'offered'"))
        batch_op.create_index('uq_waitlist_entries_participation_id_candidate_id_open', ['participation_id', 'candidate_id'], unique=True, sqlite_where=sa.text("status IN ('waiting', 'offered')"), postgresql_where=sa.text("status IN ('waiting', 'offered')"))

    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interview_gap_minutes', sa.Integer(), server_default='10', nullable=False))
        batch_op.add_column(sa.Column('max_interviews_per_candidate', sa.Integer(), server_default='6', nullable=False))
        batch_op.add_column(sa.Column('wishes_open_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('wishes_close_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('max_wishes', sa.Integer(), server_default='8', nullable=False))
        batch_op.add_column(sa.Column('slot_offer_minutes', sa.Integer(), server_default='120', nullable=False))
        batch_op.add_column(sa.Column('slot_offer_minutes_on_day', sa.Integer(), server_default='10', nullable=False))
        batch_op.add_column(sa.Column('interview_changes_close_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('interview_changes_close_at')
        batch_op.drop_column('slot_offer_minutes_on_day')
        batch_op.drop_column('slot_offer_minutes')
        batch_op.drop_column('max_wishes')
        batch_op.drop_column('wishes_close_at')
        batch_op.drop_column('wishes_open_at')
        batch_op.drop_column('max_interviews_per_candidate')
        batch_op.drop_column('interview_gap_minutes')

    with op.batch_alter_table('waitlist_entries', schema=None) as batch_op:
        batch_op.drop_index('uq_waitlist_entries_participation_id_candidate_id_open', sqlite_where=sa.text("status IN ('waiting', 'offered')"), postgresql_where=sa.text("status IN ('waiting', 'offered')"))
        batch_op.drop_index('uq_waitlist_entries_offered_slot_id_offered', sqlite_where=sa.text("status = 'offered'"), postgresql_where=sa.text("status = 'offered'"))
        batch_op.drop_index('ix_waitlist_entries_participation_id_status')
        batch_op.drop_index(batch_op.f('ix_waitlist_entries_candidate_id'))

    op.drop_table('waitlist_entries')
    with op.batch_alter_table('schedule_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_assignments_run_id'))

    op.drop_table('schedule_assignments')
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('uq_bookings_slot_id_active', sqlite_where=sa.text('active'), postgresql_where=sa.text('active'))
        batch_op.drop_index('uq_bookings_candidate_id_starts_at_active', sqlite_where=sa.text('active'), postgresql_where=sa.text('active'))
        batch_op.drop_index(batch_op.f('ix_bookings_slot_id'))
        batch_op.drop_index('ix_bookings_participation_id_active')
        batch_op.drop_index('ix_bookings_edition_id_candidate_id')

    op.drop_table('bookings')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_edition_id'))
        batch_op.drop_index(batch_op.f('ix_applications_candidate_id'))

    op.drop_table('applications')
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wishes_participation_id'))
        batch_op.drop_index(batch_op.f('ix_wishes_edition_id'))

    op.drop_table('wishes')
    op.drop_table('shortlists')
    with op.batch_alter_table('schedule_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_runs_edition_id'))

    op.drop_table('schedule_runs')
    op.drop_table('interview_policies')
    op.drop_table('calendar_feeds')
    op.drop_table('availabilities')

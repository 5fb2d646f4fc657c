"""wishes: a company's wishes indexed by rank, so that a page of the recruiter's wish list reads
the first ranks only (SQLite sorted all of a company's wishes for each page: 1.1 ms -> 0.14 ms
for 663 wishes); it replaces the index on the company alone, its first column

Revision ID: 0019_wish_rank_index
Revises: 0018_job_lease
"""
from alembic import op

revision = '0019_wish_rank_index'
down_revision = '0018_job_lease'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.create_index('ix_wishes_participation_id_rank', ['participation_id', 'rank'], unique=False)
        batch_op.drop_index('ix_wishes_participation_id')


def downgrade():
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.create_index('ix_wishes_participation_id', ['participation_id'], unique=False)
        batch_op.drop_index('ix_wishes_participation_id_rank')

"""label_layout: badges print on a label printer too (the door's walk-ins): the print runs'
layout may be "label"

Revision ID: 0016_label_layout
Revises: 0015_stored_files
"""
from alembic import op

revision = '0016_label_layout'
down_revision = '0015_stored_files'
branch_labels = None
depends_on = None

BEFORE = "layout IN ('a4-8', 'a4-4', 'a6', 'card')"
AFTER = "layout IN ('a4-8', 'a4-4', 'a6', 'card', 'label')"


def _layouts(sql: str) -> None:
    with op.batch_alter_table('badge_print_runs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_badge_print_runs_layout_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_badge_print_runs_layout_known'), sql)


def upgrade():
    _layouts(AFTER)


def downgrade():
    op.execute("UPDATE badge_print_runs SET layout = 'card' WHERE layout = 'label'")
    _layouts(BEFORE)

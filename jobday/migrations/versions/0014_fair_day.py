"""fair day: a scheduler run can be "publishing"; the audit log records approvals, declines,
schedule publications and backups

Revision ID: 0014_fair_day
Revises: 0013_search_keys
"""
from alembic import op

revision = '0014_fair_day'
down_revision = '0013_search_keys'
branch_labels = None
depends_on = None

RUN_STATUSES = "'running', 'preview', 'failed', 'published', 'discarded'"
ACTIONS = ("'login', 'role_change', 'cv_view', 'export', 'forced_scan', 'badge_reissue', 'erasure', 'campaign_send', "
           "'registration_withdraw', 'email_resend', 'purge', 'edition_change'")
OBJECTS = "'', 'user', 'edition', 'campaign', 'registration', 'badge', 'cv', 'retention', 'scan', 'participation'"
NEW_ACTIONS = ", 'company_approve', 'company_decline', 'schedule_publish', 'backup'"


def _replace(table: str, name: str, sql: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(f'ck_{table}_{name}'), type_='check')
        batch_op.create_check_constraint(batch_op.f(f'ck_{table}_{name}'), sql)


def upgrade():
    _replace('schedule_runs', 'status_known', f"status IN ({RUN_STATUSES}, 'publishing')")
    _replace('audit_entries', 'action_known', f"action IN ({ACTIONS}{NEW_ACTIONS})")
    _replace('audit_entries', 'object_type_known', f"object_type IN ({OBJECTS}, 'schedule_run')")


def downgrade():
    op.execute("UPDATE schedule_runs SET status = 'preview' WHERE status = 'publishing'")
    op.execute("DELETE FROM audit_entries WHERE action IN ('company_approve', 'company_decline', "
               "'schedule_publish', 'backup')")
    _replace('schedule_runs', 'status_known', f"status IN ({RUN_STATUSES})")
    _replace('audit_entries', 'action_known', f"action IN ({ACTIONS})")
    _replace('audit_entries', 'object_type_known', f"object_type IN ({OBJECTS})")
